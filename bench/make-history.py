#!/usr/bin/env python3
"""Builds a git repository with a long, realistic history for benchmarks.

usage: make-history.py OUT_DIR [--commits N] [--seed S] [--corpus DIR]

Text nobody here wrote (default /usr/include) is the material: a working set
of files gets successive edits (a few files per commit: lines changed,
inserted, deleted), plus renames, deletions, side branches merged back, tags,
and planted fake secrets that are added and later removed. Written with
`git fast-import` (fast, deterministic for a given seed), then repacked like
a real repository (deltified pack).
"""
import argparse, os, random, subprocess, sys

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("--commits", type=int, default=20000)
ap.add_argument("--seed", type=int, default=1)
ap.add_argument("--corpus", default="/usr/include")
ap.add_argument("--files", type=int, default=2500, help="working-set size")
a = ap.parse_args()
rnd = random.Random(a.seed)

corpus = []
for root, dirs, files in os.walk(a.corpus):
    dirs.sort()
    for f in sorted(files):
        p = os.path.join(root, f)
        if os.path.islink(p) or not os.path.isfile(p):
            continue
        try:
            b = open(p, "rb").read()
        except OSError:
            continue
        if b and b"\0" not in b[:8192] and len(b) < 200_000:
            corpus.append((os.path.relpath(p, a.corpus), b))
if not corpus:
    sys.exit("no corpus files in " + a.corpus)
rnd.shuffle(corpus)
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"

def token():
    import zlib
    r = "".join(rnd.choice(B62) for _ in range(30))
    c = zlib.crc32(r.encode()) & 0xFFFFFFFF
    d = ""
    for _ in range(6):
        d = B62[c % 62] + d
        c //= 62
    return "ghp_" + r + d

def anthropic():
    al = B62 + "_-"
    return "sk-ant-api03-" + "".join(rnd.choice(al) for _ in range(93)) + "AA"

work = {}  # path -> list of lines
for path, b in corpus[: a.files]:
    work["src/" + path] = b.split(b"\n")
paths = sorted(work)
os.makedirs(a.out, exist_ok=True)
subprocess.run(["git", "init", "-q", a.out], check=True)
out = subprocess.Popen(["git", "-C", a.out, "fast-import", "--quiet", "--done"], stdin=subprocess.PIPE)
w = out.stdin
mark = 0
t = 1_600_000_000
planted = []  # (path, line index, remove at commit)
stats = {"planted": 0}

def data(b):
    w.write(b"data %d\n" % len(b))
    w.write(b)
    w.write(b"\n")

def commit(ref, msg, changes, parents=(), who="Dev %d" % 0):
    global mark, t
    mark += 1
    t += rnd.randint(60, 7200)
    w.write(b"commit %s\nmark :%d\n" % (ref.encode(), mark))
    w.write(b"author %s <%s@example.org> %d +0000\n" % (who.encode(), who.replace(" ", ".").lower().encode(), t))
    w.write(b"committer %s <%s@example.org> %d +0000\n" % (who.encode(), who.replace(" ", ".").lower().encode(), t))
    data(msg.encode())
    for i, p in enumerate(parents):
        w.write(b"%s :%d\n" % (b"from" if i == 0 else b"merge", p))
    for c in changes:
        w.write(c)
    w.write(b"\n")
    return mark

def modify(path):
    return b"M 100644 inline " + path.encode() + b"\n" + b"data %d\n" % len(b"\n".join(work[path])) + b"\n".join(work[path]) + b"\n"

def edit(path):
    lines = work[path]
    k = rnd.random()
    pos = rnd.randrange(len(lines) + 1)
    if k < 0.5 and lines:
        for _ in range(rnd.randint(1, 4)):
            i = rnd.randrange(len(lines))
            lines[i] = lines[i] + b" /* rev %d */" % rnd.randint(0, 999)
    elif k < 0.8:
        src = rnd.choice(corpus)[1].split(b"\n")
        s = rnd.randrange(len(src))
        lines[pos:pos] = src[s:s + rnd.randint(1, 30)]
    elif len(lines) > 10:
        del lines[pos:pos + rnd.randint(1, 8)]

# initial commit: the whole working set
head = commit("refs/heads/main", "initial import", [modify(p) for p in paths], who="Dev 0")
tips = {}
for n in range(1, a.commits):
    who = "Dev %d" % rnd.randint(0, 40)
    changes = []
    if n % 500 == 0:
        # a side branch of 5 commits, merged back
        base = head
        side = base
        for k in range(5):
            p = rnd.choice(paths)
            edit(p)
            side = commit("refs/heads/side-%d" % n, "side work %d.%d" % (n, k), [modify(p)], (side,), who)
        head = commit("refs/heads/main", "Merge side-%d" % n, [], (head, side), who)
        continue
    if n % 97 == 0 and len(paths) > 100:
        # rename
        old = rnd.choice(paths)
        new = old.rsplit("/", 1)[0] + "/renamed_%d_" % n + old.rsplit("/", 1)[-1]
        work[new] = work.pop(old)
        paths.remove(old); paths.append(new); paths.sort()
        changes.append(b"R " + old.encode() + b" " + new.encode() + b"\n")
    elif n % 89 == 0 and len(paths) > 100:
        old = rnd.choice(paths)
        del work[old]
        paths.remove(old)
        changes.append(b"D " + old.encode() + b"\n")
    if n % 100 == 50:
        p = rnd.choice(paths)
        tok = token() if rnd.random() < 0.5 else anthropic()
        work[p].insert(0, b"/* api key: " + tok.encode() + b" */")
        planted.append((p, n + rnd.randint(1, 40)))
        stats["planted"] += 1
        changes.append(modify(p))
    for p, when in list(planted):
        if when == n and p in work and work[p] and work[p][0].startswith(b"/* api key: "):
            del work[p][0]
            planted.remove((p, when))
            changes.append(modify(p))
    for _ in range(rnd.randint(1, 3)):
        p = rnd.choice(paths)
        edit(p)
        changes.append(modify(p))
    head = commit("refs/heads/main", "change %d" % n, changes, (head,), who)
    if n % 2000 == 0:
        w.write(b"reset refs/tags/v%d\nfrom :%d\n\n" % (n // 2000, head))
w.write(b"done\n")
w.close()
if out.wait():
    sys.exit("fast-import failed")
subprocess.run(["git", "-C", a.out, "checkout", "-q", "main"], check=True)
subprocess.run(["git", "-C", a.out, "repack", "-a", "-d", "-q", "--depth=50", "--window=10"], check=True)
print("made %s: %d commits, %d planted secrets" % (a.out, mark, stats["planted"]))
