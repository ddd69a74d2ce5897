#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# SECONDS (default 30) on its seed corpus, FUZZ_PARALLEL targets at a time
# (default 1). A crash leaves crash-* files here: turn each into a regression
# test. Exit 1 if any target failed. usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
par=${FUZZ_PARALLEL:-1}
dir=build-fuzz
targets=(${FUZZ_TARGETS:-doc rules scan redact baseline lint pack})
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DLEAKSCAN_FUZZ=ON \
  -DLEAKSCAN_SANITIZE=address,undefined -DLEAKSCAN_TESTS=OFF >/dev/null
cmake --build "$dir" -j"$(nproc)" --target "${targets[@]/#/fuzz_}" >/dev/null
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT
fuzz() { # TARGET: runs it, output in $logs/TARGET.log, status in $logs/TARGET.rc
  local t=$1 work
  work=$(mktemp -d)
  cp -r "tests/fuzz/corpus/$t/." "$work/" 2>/dev/null || true
  set +e
  "$dir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
    -artifact_prefix="tests/fuzz/crash-$t-" "$work" >"$logs/$t.log" 2>&1
  echo $? >"$logs/$t.rc"
  set -e
  rm -rf "$work"
}
running=0
for t in "${targets[@]}"; do
  fuzz "$t" &
  running=$((running + 1))
  if [ "$running" -ge "$par" ]; then
    wait -n || true
    running=$((running - 1))
  fi
done
wait || true
status=0
for t in "${targets[@]}"; do
  if [ "$(cat "$logs/$t.rc" 2>/dev/null || echo 1)" != 0 ]; then
    echo "== fuzz_$t: FAILED"
    tail -40 "$logs/$t.log"
    status=1
  else
    printf '== fuzz_%s %ss: %s\n' "$t" "$secs" \
      "$(grep -E '^#[0-9]+.*(DONE|pulse)' "$logs/$t.log" | tail -1)"
  fi
done
exit $status
