#!/usr/bin/env bash
# `leakscan redact` throughput next to its floor and to sed, measured in the same run.
# usage: bench/redact.sh [LEAKSCAN] [SIZE]   (default: build/leakscan, 512M)
#
# The log comes from bench/make-log.py (seed 1, a fake secret every ~1,000 lines from
# several providers), generated once into /tmp and reused. Each command reads the log
# on stdin and writes into a pipe (`| cat >/dev/null`), as in a real pipeline:
#   cat (floor)            cat log | cat >/dev/null
#   sed -E                 LC_ALL=C sed -E with 3 provider patterns (Anthropic,
#                          OpenAI sk-proj, AWS AKIA), the same shapes as the rules
#   leakscan redact        every rule (259), default: worker threads,
#                          whole lines written whenever the input is idle
#   sed -E (1 pattern)     the Anthropic pattern alone
#   leakscan --buffered    the same, 1 MiB writes
#   leakscan -j1           one thread
# Time: best of REPS runs (default 3; sed runs once, it is slow), warm page cache.
# RSS: maximum resident set of the middle process (/usr/bin/time -f %M), KiB.
# Prints one table; never fails on timing.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/leakscan}")
size=${2:-512M}
reps=${REPS:-3}
log=/tmp/leakscan-redact-bench-$size-seed1.log
[ -x "$bin" ] || { echo "redact.sh: $bin: not an executable" >&2; exit 2; }

if [ ! -s "$log" ] || [ "$here/make-log.py" -nt "$log" ]; then
  python3 "$here/make-log.py" "$log.tmp" "$size" && mv "$log.tmp" "$log"
fi
bytes=$(wc -c < "$log")
cat "$log" > /dev/null # warm the page cache

anth='sk-ant-api0[0-9]-[A-Za-z0-9_-]{93}AA'
oai='sk-proj-[A-Za-z0-9_-]{20,150}T3BlbkFJ[A-Za-z0-9_-]{20,150}'
aws='(AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16}'
export anth oai aws

rss_file=$(mktemp)
trap 'rm -f "$rss_file"' EXIT
timed() { # RUNS CMD...: best wall time in ms; the max RSS of the best run in $rss_file.best
  local runs=$1 best=999999999 i t0 t1 ms
  shift
  for ((i = 0; i < runs; i++)); do
    t0=$(date +%s%N)
    "$@" < "$log" || true
    t1=$(date +%s%N)
    ms=$(( (t1 - t0) / 1000000 ))
    if [ "$ms" -lt "$best" ]; then
      best=$ms
      cp "$rss_file" "$rss_file.best" 2>/dev/null || echo "?" > "$rss_file.best"
    fi
  done
  echo "$best"
}
measure() { # the middle process under /usr/bin/time (if present), its output into a pipe
  if [ -x /usr/bin/time ]; then
    /usr/bin/time -f %M -o "$rss_file" "$@" | cat > /dev/null
  else
    echo "?" > "$rss_file"
    "$@" | cat > /dev/null
  fi
}
run_cat() { cat | measure cat; }
run_sed() {
  LC_ALL=C measure sed -E -e "s/$anth/[REDACTED]/g" -e "s/$oai/[REDACTED]/g" -e "s/$aws/[REDACTED]/g"
}
run_sed1() { LC_ALL=C measure sed -E -e "s/$anth/[REDACTED]/g"; }
run_redact() { measure "$bin" redact; }
run_redact1() { measure "$bin" redact -j1; }
run_buffered() { measure "$bin" redact --buffered; }

. "$here/rounds.sh"
ROUNDS_STDIN=$log rounds "$reps" run_cat run_redact run_buffered run_redact1
cat_ms=${BEST[run_cat]} cat_rss=${RSS[run_cat]}
red_ms=${BEST[run_redact]} red_rss=${RSS[run_redact]}
buf_ms=${BEST[run_buffered]} buf_rss=${RSS[run_buffered]}
one_ms=${BEST[run_redact1]} one_rss=${RSS[run_redact1]}
sed_ms=$(timed 1 run_sed); sed_rss=$(tail -n 1 "$rss_file.best")
sed1_ms=$(timed 1 run_sed1); sed1_rss=$(tail -n 1 "$rss_file.best")
rm -f "$rss_file.best"

mbs() { awk -v b="$bytes" -v ms="$1" 'BEGIN { printf "%.0f", (ms > 0 ? b / 1e3 / ms : 0) }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (a > 0 ? b / a : 0) }'; } # speed a relative to b
row() { # NAME MS RSS
  printf '%-30s %8s %8s %10s %10s %12s\n' "$1" "$2" "$(mbs "$2")" "$(ratio "$2" "$cat_ms")" \
    "$(ratio "$2" "$sed_ms")" "$3"
}
lines=$(wc -l < "$log")
masked=$("$bin" redact --stats < "$log" 2>&1 >/dev/null | sed -n 's/^leakscan: redacted \([0-9]*\).*/\1/p')
sed_masked=$(LC_ALL=C grep -c -E "$anth|$oai|$aws" "$log" || true)
printf 'log: %s (%s bytes, %s lines); leakscan masks %s secrets, the sed patterns hit %s lines\n' \
  "$log" "$bytes" "$lines" "$masked" "$sed_masked"
printf '%-30s %8s %8s %10s %10s %12s\n' "what" "ms" "MB/s" "x cat" "x sed" "max RSS KiB"
row "cat | cat (floor)" "$cat_ms" "$cat_rss"
row "sed -E (3 patterns)" "$sed_ms" "$sed_rss"
row "sed -E (1 pattern)" "$sed1_ms" "$sed1_rss"
row "leakscan redact" "$red_ms" "$red_rss"
row "leakscan redact --buffered" "$buf_ms" "$buf_rss"
row "leakscan redact -j1" "$one_ms" "$one_rss"
echo "x cat: speed relative to cat (1.00 = as fast); x sed: speed relative to sed with 3 patterns. Best of $reps, cat and leakscan in turn (sed: 1)."
