#!/usr/bin/env bash
# SARIF 2.1.0 output: valid against the OASIS schema (shipped here as data), and
# the same findings as the JSON report. See README.md in this directory.
# usage: check.sh LEAKSCAN SOURCE_DIR
set -euo pipefail
bin=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
src=$(cd "$2" && pwd)
schema=$src/tests/sarif/sarif-schema-2.1.0.json
demo=$src/fixtures/demo
fail() { echo "sarif: $*" >&2; exit 1; }

py=
for p in python3 /usr/bin/python3; do
  if command -v "$p" >/dev/null && "$p" -c 'import jsonschema' 2>/dev/null; then py=$p; break; fi
done
[ -n "$py" ] || fail "needs python3 with jsonschema (Debian: python3-jsonschema, see scripts/deps.sh)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakscan-sarif.XXXXXX")
cleanup() { chmod -R u+rwX "$tmp" 2>/dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

# a hermetic git
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_CONFIG GIT_CONFIG_GLOBAL GIT_CONFIG_SYSTEM \
      GIT_CONFIG_COUNT GIT_CONFIG_PARAMETERS GIT_CEILING_DIRECTORIES
export HOME=$tmp/home GIT_CONFIG_NOSYSTEM=1 NO_COLOR=1
mkdir -p "$HOME"

# --- a repository whose file names need percent-encoding -------------------------------------
repo=$tmp/repo
mkdir -p "$repo/config" "$repo/données"
cd "$repo"
git init -q .
sed -n 2,3p "$demo/.env" >.env                                  # OpenAI, Anthropic
grep GITHUB_TOKEN "$demo/config/settings.py" >"config/my settings #1.py"
# the same token with a broken CRC-32: reported at low, validated false
echo 'BROKEN = "ghp_6km97eVQArzOzCx2NEv3Np3BGthcxO3RKUk1"' >>"config/my settings #1.py"
# non-ASCII bytes before a secret: columns count bytes
{ grep -E 'STRIPE|SLACK' "$demo/k8s/secrets.yaml"
  grep DATABASE_URL "$demo/deploy/docker-compose.yml" | sed 's/DATABASE_URL/clé_DATABASE_URL/'
} >"données/clé ü.yaml"
hdr=$(printf '{"alg":"HS256","typ":"JWT"}' | base64 -w0 | tr '+/' '-_' | tr -d '=')
pl=$(printf '{"sub":"agentds-bot","iat":1700000000}' | base64 -w0 | tr '+/' '-_' | tr -d '=')
echo "AUTH_TOKEN=$hdr.$pl.Xq7pR2mK9vL4wT8nB3cZ6yH1jF5dG0sA2eU7iO4pQ9r" >'100% done?.txt' # medium
echo 'stripe_key = "rk_test_51Hq8vT2LpX9wQm4Zr7Ns3Kd6Bf1Jy0Gc"' >$'raw\xff.env'          # low
git add -A
git -c user.name=t -c user.email=t@example.com commit -qm fixtures

set +e
"$bin" -q --format sarif . >"$tmp/out.sarif"; rc=$?
"$bin" -q --format json . >"$tmp/out.json"; rcj=$?
"$bin" rules list >"$tmp/rules.txt" 2>/dev/null
set -e
[ "$rc" -eq 1 ] || fail "--format sarif: expected exit 1, got $rc"
[ "$rcj" -eq 1 ] || fail "--format json: expected exit 1, got $rcj"

# history: a secret in a commit message has no location, its commit is in properties
git -c user.name=t -c user.email=t@example.com commit -q --allow-empty \
    -m "rotate: old key sk_live_q6csRHpYntCcxkgRJOIZtnWZ"
set +e
"$bin" -q --history --format sarif . >"$tmp/history.sarif"; rc=$?
set -e
[ "$rc" -eq 1 ] || fail "--history --format sarif: expected exit 1, got $rc"
git rev-parse HEAD >"$tmp/head"

# --- an unreadable file: executionSuccessful false, a notification ---------------------------
tree=$tmp/tree
mkdir -p "$tree/sub"
printf 'key=%s\n' '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' >"$tree/sub/visible.txt"
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' >"$tree/secret.txt"
chmod 000 "$tree/secret.txt"
if [ "$(id -u)" = 0 ]; then
  # chmod 000 does not stop root: scan as nobody, with a copy of the binary it can run
  cp "$bin" "$tmp/leakscan"
  chmod 755 "$tmp" "$tmp/leakscan"
  chown -R 65534:65534 "$tree"
  as() { setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"; }
  ubin=$tmp/leakscan
else
  as() { "$@"; }
  ubin=$bin
fi
set +e
(cd "$tree" && as "$ubin" -q --format sarif . >"$tmp/err.sarif" 2>"$tmp/err.stderr"); rc=$?
set -e
[ "$rc" -eq 3 ] || { cat "$tmp/err.stderr" >&2; fail "unreadable file: expected exit 3, got $rc"; }

"$py" - "$schema" "$tmp" "$repo" <<'EOF'
import json, os, re, sys
import urllib.parse

import jsonschema

schema_path, tmp, repo = sys.argv[1:4]
errors = []


def check(cond, msg):
    if not cond:
        errors.append(msg)


schema = json.load(open(schema_path, encoding="utf-8"))
cls = jsonschema.validators.validator_for(schema)
assert cls is jsonschema.Draft7Validator, cls
cls.check_schema(schema)
fmt = getattr(cls, "FORMAT_CHECKER", None) or jsonschema.draft7_format_checker
validator = cls(schema, format_checker=fmt)


def validate(name):
    raw = open(os.path.join(tmp, name), "rb").read()
    doc = json.loads(raw.decode("utf-8"))  # strict: the report is valid UTF-8
    for e in validator.iter_errors(doc):
        errors.append("%s: schema: %s at /%s" % (name, e.message, "/".join(map(str, e.path))))
    return raw, doc


raw, log = validate("out.sarif")
report = json.load(open(os.path.join(tmp, "out.json"), encoding="utf-8"))
severity = {}
for line in open(os.path.join(tmp, "rules.txt"), encoding="utf-8"):
    parts = line.split()
    if len(parts) >= 2:
        severity[parts[0]] = parts[1]

LEVEL = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
SCORE = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0", "info": "1.0"}

check(log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json", "$schema")
check(log["version"] == "2.1.0", "version")
check(len(log["runs"]) == 1, "one run")
run = log["runs"][0]
driver = run["tool"]["driver"]
check(driver["name"] == "leakscan" and driver["version"] == report["tool"]["version"], "driver")
rules = driver["rules"]
ids = [r["id"] for r in rules]
check(len(ids) == len(set(ids)), "rule descriptors are unique")
# lint findings (the committed .env: dotenv-tracked) are checked by the CLI tests;
# here: the secret rules
lint_ids = {f["rule_id"] for f in report["findings"] if f["category"] != "secret"}
for r in rules:
    if r["id"] in lint_ids:
        continue
    sev = severity.get(r["id"])
    check(sev is not None, "rule %s is not a built-in rule" % r["id"])
    check(r["defaultConfiguration"]["level"] == LEVEL.get(sev), "%s: default level" % r["id"])
    check(r["properties"]["security-severity"] == SCORE.get(sev), "%s: security-severity" % r["id"])
    check(r["properties"]["tags"] == ["security", "secret"], "%s: tags" % r["id"])
    check(r["shortDescription"]["text"] and r["fullDescription"]["text"], "%s: descriptions" % r["id"])
    check("rotate" in r["help"]["text"].lower() and "secret manager" in r["help"]["text"],
          "%s: help text" % r["id"])

check(lint_ids <= {"dotenv-tracked"}, "lint findings: %s" % sorted(lint_ids))
results = [r for r in run["results"] if r["properties"]["category"] == "secret"]
findings = [f for f in report["findings"] if f["category"] == "secret"]
check(len(results) == len(findings) and len(findings) == 9,
      "%d results, %d JSON findings, 9 expected" % (len(results), len(findings)))
check(set(ids) == {f["rule_id"] for f in report["findings"]}, "one descriptor per rule with a finding")
levels = set()
for res, f in zip(results, findings):
    where = "%s:%s %s" % (f.get("path"), f["line"], f["rule_id"])
    check(res["ruleId"] == f["rule_id"], where + ": ruleId")
    check(ids[res["ruleIndex"]] == f["rule_id"], where + ": ruleIndex")
    check(res["level"] == LEVEL[f["severity"]], where + ": level")
    levels.add(res["level"])
    text = "%s: %s" % (f["message"], f["secret"])
    if f.get("validated") is False:
        text += " (checksum mismatch)"
    check(res["message"]["text"] == text, where + ": message %r" % res["message"]["text"])
    check(res["partialFingerprints"] == {"leakscan/v1": f["fingerprint"]}, where + ": fingerprint")
    props = res["properties"]
    check(props["category"] == "secret", where + ": category")
    check(props.get("validated") == f.get("validated"), where + ": validated")
    (loc,) = res["locations"]
    art = loc["physicalLocation"]["artifactLocation"]
    reg = loc["physicalLocation"]["region"]
    check(art["uriBaseId"] == "%SRCROOT%", where + ": uriBaseId")
    uri = art["uri"]
    check(re.fullmatch(r"(?:[A-Za-z0-9\-._~!$&'()*+,;=@/]|%[0-9A-F]{2})+", uri) is not None,
          where + ": uri %r is not a percent-encoded relative reference" % uri)
    path = urllib.parse.unquote_to_bytes(uri)
    check(path.decode("utf-8", "replace") == f["path"], where + ": uri %r" % uri)
    check((reg["startLine"], reg["startColumn"], reg["endLine"], reg["endColumn"]) ==
          (f["line"], f["column"], f["end_line"], f["end_column"] + 1), where + ": region")
    # the region (bytes, endColumn exclusive) is exactly a secret we planted
    lines = open(os.path.join(repo.encode(), path), "rb").read().split(b"\n")
    span = lines[reg["startLine"] - 1][reg["startColumn"] - 1:reg["endColumn"] - 1]
    check(len(span) > 8 and span.decode()[:4] in f["secret"], where + ": region %r" % span)
    check(span.decode() not in raw.decode(), where + ": the full secret is in the report")
check(levels == {"error", "warning", "note"}, "levels seen: %s" % sorted(levels))

uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in results}
for want in (".env", "config/my%20settings%20%231.py", "donn%C3%A9es/cl%C3%A9%20%C3%BC.yaml",
             "100%25%20done%3F.txt", "raw%FF.env"):
    check(want in uris, "no result with uri %r (have %s)" % (want, sorted(uris)))
inv = run["invocations"]
check(len(inv) == 1 and inv[0]["executionSuccessful"] is True, "executionSuccessful")
check(inv[0]["toolExecutionNotifications"] == [], "no notifications")

# history
hraw, hlog = validate("history.sarif")
commit = open(os.path.join(tmp, "head"), encoding="ascii").read().strip()
msg = [r for r in hlog["runs"][0]["results"] if "locations" not in r]
check(len(msg) == 1, "history: %d location-less results, 1 expected" % len(msg))
if msg:
    check(msg[0]["ruleId"] == "stripe-secret-key", "history: commit message rule")
    check(msg[0]["properties"].get("commit") == commit, "history: commit of the message")
for r in hlog["runs"][0]["results"]:
    check(r["properties"].get("email") == "t@example.com", "history: author email")
check(b"sk_live_q6csRHpYntCcxkgRJOIZtnWZ" not in hraw, "history: the full secret is in the report")
check(hlog["runs"][0]["invocations"][0]["properties"]["mode"] == "history", "history: mode")

# the unreadable file
_, elog = validate("err.sarif")
erun = elog["runs"][0]
einv = erun["invocations"][0]
check(einv["executionSuccessful"] is False, "unreadable file: executionSuccessful must be false")
notes = einv["toolExecutionNotifications"]
check(len(notes) == 1, "unreadable file: %d notifications" % len(notes))
if notes:
    n = notes[0]
    check(n["level"] == "error", "notification level")
    check(n["message"]["text"].startswith("secret.txt: ") and "Permission denied" in
          n["message"]["text"], "notification message %r" % n["message"]["text"])
    check(n["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "secret.txt",
          "notification location")
check([r["ruleId"] for r in erun["results"]] == ["openai-legacy-key"], "unreadable file: results")

for e in errors:
    print("sarif: " + e, file=sys.stderr)
sys.exit(1 if errors else 0)
EOF
echo "sarif: ok"
