#!/usr/bin/env bash
# Precision and recall, measured on text nobody here wrote:
#  - precision: findings per 100 MB over a corpus of ordinary source and documentation
#    (/usr/include, /usr/share/doc, Debian's Python and Perl libraries); every finding is
#    listed for inspection (nearly all would be false positives);
#  - recall: every example of every rule planted into a copy of a corpus file (at its
#    rule's path when the rule needs one), then scanned: found / planted, per rule.
# usage: bench/precision.sh [LEAKSCAN]    (needs python3 with PyYAML: python3-yaml)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/leakscan}")
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus"
for d in /usr/include /usr/share/doc /usr/lib/python3 /usr/share/perl5 /usr/share/perl; do
  [ -d "$d" ] && cp -r "$d" "$work/corpus/$(echo "$d" | tr / _)" 2>/dev/null || true
done
bytes=$(du -sb "$work/corpus" | cut -f1)
( cd "$work/corpus" && "$bin" --fail-on none --format json -o "$work/corpus.json" . ) 2>"$work/corpus.err" || true
python3 - "$work/corpus.json" "$bytes" <<'PY'
import json, sys
rep = json.load(open(sys.argv[1])); mb = int(sys.argv[2]) / 1e6
f = rep["findings"]
print("precision: %d findings in %.0f MB of ordinary text (%d files): %.2f per 100 MB"
      % (len(f), mb, rep["stats"]["files"], len(f) / mb * 100))
for x in f:
    print("  %s:%s  %s  %s" % (x.get("path"), x["line"], x["rule_id"], x.get("secret", "")))
PY
python3 - "$here/.." "$work" "$bin" <<'PY'
import glob, json, os, random, subprocess, sys, yaml
root, work, binary = sys.argv[1:4]
random.seed(7)
corpus = [os.path.join(d, f) for d, _, fs in os.walk(os.path.join(work, "corpus")) for f in fs]
corpus = [p for p in corpus if os.path.isfile(p) and not os.path.islink(p) and os.path.getsize(p) < 200000]
planted, want = os.path.join(work, "planted"), {}
n = 0
for rf in sorted(glob.glob(os.path.join(root, "rules", "*.yaml"))):
    for r in yaml.safe_load(open(rf))["rules"]:
        if r.get("redact"):
            continue  # log rules: only `leakscan redact`
        for i, ex in enumerate(r.get("examples", [])):
            text, path = (ex, None) if isinstance(ex, str) else (ex["text"], ex.get("path"))
            rel = path or "%s/%d.txt" % (r["id"], i)
            dst = os.path.join(planted, "%04d" % n, rel)
            os.makedirs(os.path.dirname(dst), exist_ok=True)
            base = b""
            if not r.get("match") == "path" and not path:
                base = open(random.choice(corpus), "rb").read()
                if b"\0" in base[:8192]:
                    base = b""
            with open(dst, "wb") as out:
                out.write(base + b"\n" + text.encode() + b"\n")
            want[(os.path.relpath(dst, planted), r["id"])] = True
            n += 1
rep = subprocess.run([binary, "--fail-on", "none", "--format", "json", "--max-file-size", "1G", planted],
                     capture_output=True, text=True)
found = {(f.get("path"), f["rule_id"]) for f in json.loads(rep.stdout)["findings"]}
missed = [k for k in want if k not in found]
rules = {k[1] for k in want}
missed_rules = {k[1] for k in missed}
print("recall: %d of %d planted examples found (%.1f %%); %d of %d rules at 100 %%"
      % (len(want) - len(missed), len(want), 100.0 * (len(want) - len(missed)) / len(want),
         len(rules) - len(missed_rules), len(rules)))
for k in sorted(missed):
    print("  missed: %s (%s)" % k)
PY
