#!/usr/bin/env python3
"""Build the working-tree corpus for bench/tree.sh: real text nobody here wrote, with planted
fake secrets.

usage: bench/make-tree.py OUT_DIR [PLANTS]   (needs python3-yaml)

Copies /usr/include, /usr/share/doc, Debian's Python and Perl libraries, Vim's runtime files and
the system node_modules (whatever of them exists) into OUT_DIR/tree, then appends PLANTS
(default 300) rule examples, every content rule in turn (seed 1), to copies of corpus text
files. OUT_DIR/planted.tsv lists them: path, rule id. OUT_DIR/small is a redis-sized tree
(1,600 C headers, about 16 MB) for the start-up-bound case. Prints the corpus sizes.
"""
import glob
import os
import random
import shutil
import sys

import yaml

SOURCES = ["/usr/include", "/usr/share/doc", "/usr/lib/python3", "/usr/lib/python3.11",
           "/usr/share/perl", "/usr/share/perl5", "/usr/share/vim", "/usr/lib/node_modules"]


def main():
    out = sys.argv[1]
    plants = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    root = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
    tree = os.path.join(out, "tree")
    if os.path.exists(out):
        shutil.rmtree(out)
    os.makedirs(tree)
    for src in SOURCES:
        if os.path.isdir(src):
            shutil.copytree(src, os.path.join(tree, src.strip("/").replace("/", "_")),
                            symlinks=True, ignore_dangling_symlinks=True)
    files = sorted(os.path.join(d, f) for d, _, fs in os.walk(tree) for f in fs)
    files = [p for p in files if os.path.isfile(p) and not os.path.islink(p)]
    text = []
    for p in files:
        if 200 < os.path.getsize(p) < 200000:
            with open(p, "rb") as fh:
                if b"\0" not in fh.read(8192):
                    text.append(p)
    examples = []
    for rf in sorted(glob.glob(os.path.join(root, "rules", "*.yaml"))):
        for r in yaml.safe_load(open(rf))["rules"]:
            if r.get("redact") or r.get("match") == "path" or r.get("paths"):
                continue  # log rules; rules tied to file names
            for ex in r.get("examples", []):
                if isinstance(ex, dict) and ex.get("path"):
                    continue
                examples.append((r["id"], ex if isinstance(ex, str) else ex["text"]))
    rng = random.Random(1)
    targets = rng.sample(text, plants)
    with open(os.path.join(out, "planted.tsv"), "w") as tsv:
        for k, path in enumerate(targets):
            rule, ex = examples[k % len(examples)]
            with open(path, "ab") as fh:
                fh.write(b"\n" + ex.encode() + b"\n")
            tsv.write("%s\t%s\n" % (os.path.relpath(path, tree), rule))
    size = sum(os.path.getsize(p) for p in files)
    print("made %s: %d files, %d bytes, %d planted secrets" % (tree, len(files), size, plants))
    # a redis-sized tree (limits.md: 1,623 files, 16.3 MB): the first C headers up to that
    small, n, total = os.path.join(out, "small"), 0, 0
    for p in files:
        rel = os.path.relpath(p, tree)
        if not rel.startswith("usr_include/") or os.path.getsize(p) > 64000:
            continue
        if n == 1600 or total + os.path.getsize(p) > 16_300_000:
            break
        os.makedirs(os.path.dirname(os.path.join(small, rel)), exist_ok=True)
        shutil.copy(p, os.path.join(small, rel))
        n += 1
        total += os.path.getsize(p)
    print("made %s: %d files, %d bytes" % (small, n, total))


if __name__ == "__main__":
    main()
