#!/usr/bin/env bash
# History scan next to its floor, measured in the same run on the same repo:
# bench/blobread (libgit2 reads every blob once: pack order, no hash check,
# 2 threads) vs leakscan --history with --jobs 1 and 2; the same reader built on
# leakscan's own pack reader (a stricter floor: reading alone, as leakscan reads);
# plus `git log -p`,
# what diff-based scanners parse before scanning anything; and git-secrets --scan-history
# (bench/peers.sh installs it), a peer built on `git log -p`.
# Time: best of 3, the floors and leakscan run in turn (peers: 1 run).
# usage: bench/history.sh [LEAKSCAN] [REPO]
#   (default REPO: a generated 20,000-commit repository, made once by
#    bench/make-history.py into /tmp/leakscan-bench-history)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/leakscan}")
repo=${2:-/tmp/leakscan-bench-history}
if [ ! -d "$repo" ]; then
  python3 "$here/make-history.py" "$repo" --commits 20000 --files 2500
fi
floor_bin=$(mktemp)
packs_bin=$(mktemp)
trap 'rm -f "$floor_bin" "$packs_bin"' EXIT
cc -O2 -o "$floor_bin" "$here/blobread.c" $(pkg-config --cflags --libs libgit2) -lpthread
cc -O2 -DBLOBREAD_PACKS -I"$here/../include" -o "$packs_bin" "$here/blobread.c" \
  "$here/../src/source/pack.c" $(pkg-config --cflags --libs libgit2 libdeflate) -lpthread

best() { # best wall time of 3 runs, seconds
  local best=999999 i t0 t1 s
  for i in 1 2 3; do
    t0=$(date +%s%N); "$@" >/dev/null 2>&1 || true; t1=$(date +%s%N)
    s=$(( (t1 - t0) / 1000000 )); [ "$s" -lt "$best" ] && best=$s
  done
  awk -v ms="$best" 'BEGIN { printf "%.3f", ms / 1000 }'
}
. "$here/rounds.sh"
run_floor() { "$floor_bin" "$repo" 2; }
run_packs() { "$packs_bin" "$repo" 2; }
run_packs1() { "$packs_bin" "$repo" 1; }
run_j1() { "$bin" --history --jobs 1 --quiet --fail-on none "$repo"; }
run_j2() { "$bin" --history --jobs 2 --quiet --fail-on none "$repo"; }
read -r blobs bytes _ < <("$floor_bin" "$repo" 2)
rounds 3 run_floor run_packs run_packs1 run_j1 run_j2
secs() { awk -v ms="${BEST[$1]}" 'BEGIN { printf "%.3f", ms / 1000 }'; }
floor=$(secs run_floor) packs=$(secs run_packs) packs1=$(secs run_packs1)
j1=$(secs run_j1) j2=$(secs run_j2)
logp=$(best git -C "$repo" log -p -U0 --full-history --all)
eval "$(bash "$here/peers.sh")"
gs=-
if [ -n "${GIT_SECRETS_HOME:-}" ]; then # one run: it is slow
  t0=$(date +%s%N)
  (cd "$repo" && HOME=$GIT_SECRETS_HOME git secrets --scan-history >/dev/null 2>&1) || true
  t1=$(date +%s%N)
  gs=$(awk -v ns="$((t1 - t0))" 'BEGIN { printf "%.3f", ns / 1e9 }')
  (cd "$repo" && HOME=$GIT_SECRETS_HOME /usr/bin/time -o "$floor_bin.rss" -f %M \
    git secrets --scan-history >/dev/null 2>&1) || true
  gs_rss=$(tail -n 1 "$floor_bin.rss")
  rm -f "$floor_bin.rss"
fi
rss=$( { /usr/bin/time -f %M "$bin" --history --jobs 2 --quiet --fail-on none "$repo" >/dev/null; } 2>&1 | tail -1)
commits=$(git -C "$repo" rev-list --all --count)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b > 0 ? a / b : 0) }'; }
mbs() { awk -v b="$bytes" -v s="$1" 'BEGIN { printf "%.0f", (s > 0 ? b / 1e6 / s : 0) }'; }
printf 'history: %s commits, %s blobs, %s bytes (%s)\n' "$commits" "$blobs" "$bytes" "$repo"
printf '%-34s %8s %8s %9s\n' what seconds MB/s "x floor"
printf '%-34s %8s %8s %9s\n' "libgit2 blob read, 2 threads" "$floor" "$(mbs "$floor")" 1.00
printf '%-34s %8s %8s %9s\n' "pack-reader blob read, 2 threads" "$packs" "$(mbs "$packs")" "$(ratio "$packs" "$floor")"
printf '%-34s %8s %8s %9s\n' "pack-reader blob read, 1 thread" "$packs1" "$(mbs "$packs1")" "$(ratio "$packs1" "$floor")"
printf '%-34s %8s %8s %9s\n' "leakscan --history --jobs 1" "$j1" "$(mbs "$j1")" "$(ratio "$j1" "$floor")"
printf '%-34s %8s %8s %9s\n' "leakscan --history --jobs 2" "$j2" "$(mbs "$j2")" "$(ratio "$j2" "$floor")"
printf '%-34s %8s %8s %9s\n' "git log -p -U0 --all (no scan)" "$logp" "-" "$(ratio "$logp" "$floor")"
if [ "$gs" != - ]; then
  printf '%-34s %8s %8s %9s\n' "git-secrets --scan-history (3 AWS)" "$gs" "$(mbs "$gs")" "$(ratio "$gs" "$floor")"
fi
printf 'max RSS: leakscan --jobs 2 %s KiB, git-secrets %s KiB; leakscan --jobs 2 vs 1: %sx\n' \
  "$rss" "${gs_rss:--}" "$(ratio "$j1" "$j2")"
printf 'leakscan vs the pack-reader floor: --jobs 2 %sx (2 threads), --jobs 1 %sx (1 thread); that floor scales %sx\n' \
  "$(ratio "$j2" "$packs")" "$(ratio "$j1" "$packs1")" "$(ratio "$packs1" "$packs")"
"$bin" --history --fail-on none "$repo" 2>&1 >/dev/null | tail -1
