# Sourced by the bench scripts. The floors and leakscan run in turn, round after round, so that
# a slow spell of a shared machine falls on all of them and not on one row: each ratio compares
# runs made together.
declare -A BEST RSS
rounds() { # RUNS NAME...: each function NAME run in turn, RUNS rounds, stdin from $ROUNDS_STDIN
  # (default /dev/null): its best wall time in ms in BEST[NAME] and, when $rss_file is set, the
  # max RSS its best run wrote there in RSS[NAME]
  local runs=$1 i name t0 t1 ms
  shift
  for name in "$@"; do BEST[$name]=999999999; RSS[$name]="?"; done
  for ((i = 0; i < runs; i++)); do
    for name in "$@"; do
      t0=$(date +%s%N); "$name" < "${ROUNDS_STDIN:-/dev/null}" >/dev/null 2>&1 || true
      t1=$(date +%s%N)
      ms=$(( (t1 - t0) / 1000000 ))
      if [ "$ms" -lt "${BEST[$name]}" ]; then
        BEST[$name]=$ms
        if [ -n "${rss_file:-}" ]; then RSS[$name]=$(tail -n 1 "$rss_file" 2>/dev/null || echo "?"); fi
      fi
    done
  done
}
