#!/usr/bin/env bash
# Working-tree throughput next to its floor, measured in the same run:
# `cat` of the same files (warm cache) vs leakscan with 1 job and with all CPUs.
# usage: bench/tree.sh [LEAKSCAN] [SOURCE_DIR]   (default: build/leakscan, /usr/include)
# Prints one table; never fails on timing.
set -euo pipefail
bin=$(realpath "${1:-build/leakscan}")
srcdir=${2:-/usr/include}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cp -r "$srcdir" "$work/tree"
( cd "$work/tree" && find . -type f -print0 > "$work/files" )
nfiles=$(tr -cd '\0' < "$work/files" | wc -c)
bytes=$(cd "$work/tree" && xargs -0 cat < "$work/files" | wc -c)

best() { # best of 5 runs of "$@", in milliseconds
  local best=999999999 i t0 t1 ms
  for i in 1 2 3 4 5; do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 )); [ "$ms" -lt "$best" ] && best=$ms
  done
  echo "$best"
}
cd "$work/tree"
cat_ms=$(best sh -c 'xargs -0 cat < "$1" > /dev/null' sh "$work/files")
j1_ms=$(best "$bin" --jobs 1 --quiet --fail-on none .)
jn_ms=$(best "$bin" --quiet --fail-on none .)
mbs() { awk -v b="$bytes" -v ms="$1" 'BEGIN { printf "%.0f", (ms > 0 ? b / 1e3 / ms : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
printf 'tree: %s files, %s bytes (%s)\n' "$nfiles" "$bytes" "$srcdir"
printf '%-28s %8s %8s %10s\n' "what" "ms" "MB/s" "x floor"
printf '%-28s %8s %8s %10s\n' "cat (floor)" "$cat_ms" "$(mbs "$cat_ms")" "1.00"
printf '%-28s %8s %8s %10s\n' "leakscan --jobs 1" "$j1_ms" "$(mbs "$j1_ms")" "$(ratio "$j1_ms" "$cat_ms")"
printf '%-28s %8s %8s %10s\n' "leakscan --jobs $(nproc)" "$jn_ms" "$(mbs "$jn_ms")" "$(ratio "$jn_ms" "$cat_ms")"
"$bin" --fail-on none . 2>&1 >/dev/null | tail -1
