#!/usr/bin/env bash
# Builds the libFuzzer targets with clang (ASan + UBSan) and runs each for
# SECONDS (default 30) on its seed corpus. A crash leaves crash-* files here:
# turn each into a regression test. usage: tests/fuzz/run.sh [SECONDS]
set -euo pipefail
cd "$(dirname "$0")/../.."
secs=${1:-30}
dir=build-fuzz
cmake -S . -B "$dir" -DCMAKE_C_COMPILER=clang -DCMAKE_BUILD_TYPE=Debug -DLEAKSCAN_FUZZ=ON \
  -DLEAKSCAN_SANITIZE=address,undefined -DLEAKSCAN_TESTS=OFF >/dev/null
cmake --build "$dir" -j"$(nproc)" --target fuzz_doc fuzz_rules fuzz_scan fuzz_redact fuzz_baseline
status=0
for t in doc rules scan redact baseline; do
  corpus=tests/fuzz/corpus/$t
  work=$(mktemp -d)
  cp -r "$corpus/." "$work/" 2>/dev/null || true
  echo "== fuzz_$t for ${secs}s"
  if ! "$dir/tests/fuzz/fuzz_$t" -max_total_time="$secs" -max_len=65536 -timeout=10 \
      -artifact_prefix="tests/fuzz/crash-$t-" "$work" 2>"$work.log"; then
    tail -40 "$work.log"
    status=1
  else
    grep -E "^#[0-9]+.*(DONE|pulse)" "$work.log" | tail -1 || true
  fi
  rm -rf "$work" "$work.log"
done
exit $status
