#!/usr/bin/env bash
# Working-tree throughput next to its floor and to peers, measured in the same run:
#   corpus: bench/make-tree.py (real text from /usr: about 23,000 files, 400 MB, 300 planted
#           fake secrets), made once into /tmp/leakscan-bench-tree;
#   cat (floor): every file of the corpus, warm cache;
#   leakscan --jobs 1 and --jobs 2 (recall: planted secrets found);
#   git-secrets --scan -r (its 3 AWS patterns; bench/peers.sh installs it);
#   a redis-sized tree (1,600 headers, 16 MB): leakscan's whole run, process start to exit,
#   next to secretlint (npm, recommended preset; too slow for the big corpus);
#   start-up: `leakscan --version` next to a scan of an empty directory (rule compilation).
# usage: bench/tree.sh [LEAKSCAN]   (default build/leakscan; needs python3-yaml)
# Time: best of 5, the floor and leakscan run in turn (peers: 1 run). Prints one table;
# never fails on timing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/leakscan}")
corpus=/tmp/leakscan-bench-tree
if [ ! -f "$corpus/planted.tsv" ] || [ "$here/make-tree.py" -nt "$corpus/planted.tsv" ]; then
  python3 "$here/make-tree.py" "$corpus" 300
fi
eval "$(bash "$here/peers.sh")"
tree=$corpus/tree small=$corpus/small
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$tree" && find . -type f -print0 > "$work/files" )
nfiles=$(tr -cd '\0' < "$work/files" | wc -c)
bytes=$(cd "$tree" && xargs -0 cat < "$work/files" | wc -c)
snfiles=$(find "$small" -type f | wc -l)
sbytes=$(find "$small" -type f -print0 | xargs -0 cat | wc -c)
mkdir -p "$work/empty"

best() { # RUNS CMD...: best wall time in ms
  local runs=$1 best=999999999 i t0 t1 ms
  shift
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 )); [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "$best"
}
. "$here/rounds.sh"
run_cat() { xargs -0 cat < "$work/files" > /dev/null; }
run_j1() { "$bin" --jobs 1 --quiet --fail-on none .; }
run_j2() { "$bin" --jobs 2 --quiet --fail-on none .; }
run_small() { "$bin" --quiet --fail-on none .; }
run_scat() { find . -type f -print0 | xargs -0 cat > /dev/null; }
cd "$tree"
rounds 5 run_cat run_j1 run_j2
cat_ms=${BEST[run_cat]} j1_ms=${BEST[run_j1]} j2_ms=${BEST[run_j2]}
gs_ms=-
if [ -n "${GIT_SECRETS_HOME:-}" ]; then
  gs_ms=$(best 1 env HOME="$GIT_SECRETS_HOME" git secrets --scan -r .)
fi
cd "$small"
rounds 5 run_scat run_small
small_ms=${BEST[run_small]} scat_ms=${BEST[run_scat]}
sl_ms=-
if [ -n "${SECRETLINT:-}" ]; then
  sl_ms=$(best 1 $SECRETLINT "**/*")
fi
cd "$work/empty"
ver_ms=$(best 5 "$bin" --version)
empty_ms=$(best 5 "$bin" --quiet --fail-on none .)

recall=$(cd "$tree" && "$bin" --fail-on none --format json . 2>/dev/null | python3 -c '
import json, sys
want = set(tuple(l.rstrip("\n").split("\t")) for l in open(sys.argv[1]))
found = set((f.get("path"), f["rule_id"]) for f in json.load(sys.stdin)["findings"])
print("%d/%d planted secrets found, %d findings elsewhere"
      % (len(want & found), len(want), len(found - want)))' "$corpus/planted.tsv")

mbs() { awk -v b="$1" -v ms="$2" 'BEGIN { printf "%.0f", (ms > 0 ? b / 1e3 / ms : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf (a ~ /^[0-9]+$/ && b > 0 ? "%.2f" : "-"), a / b }'; }
row() { printf '%-40s %8s %8s %9s\n' "$1" "$2" "$([ "$2" = - ] && echo - || mbs "$3" "$2")" "$4"; }
printf 'tree: %s files, %s bytes (%s); %s\n' "$nfiles" "$bytes" "$tree" "$recall"
printf '%-40s %8s %8s %9s\n' "what" "ms" "MB/s" "x floor"
row "cat (floor)" "$cat_ms" "$bytes" "1.00"
row "leakscan --jobs 1" "$j1_ms" "$bytes" "$(ratio "$j1_ms" "$cat_ms")"
row "leakscan --jobs 2" "$j2_ms" "$bytes" "$(ratio "$j2_ms" "$cat_ms")"
row "git-secrets --scan -r (3 AWS patterns)" "$gs_ms" "$bytes" "$(ratio "$gs_ms" "$cat_ms")"
printf 'small tree: %s files, %s bytes (%s)\n' "$snfiles" "$sbytes" "$small"
row "cat (floor)" "$scat_ms" "$sbytes" "1.00"
row "leakscan, whole run" "$small_ms" "$sbytes" "$(ratio "$small_ms" "$scat_ms")"
row "secretlint (recommended preset)" "$sl_ms" "$sbytes" "$(ratio "$sl_ms" "$scat_ms")"
printf 'start-up: leakscan --version %s ms; a scan of an empty directory (rules compiled) %s ms\n' \
  "$ver_ms" "$empty_ms"
printf -- '--jobs 2 vs --jobs 1: %sx\n' "$(ratio "$j1_ms" "$j2_ms")"
