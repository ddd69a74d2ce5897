#!/usr/bin/env bash
# Builds leakscan twice (plain, and with AddressSanitizer + UBSan) and runs
# the whole test suite under ctest for each. LEAKSCAN_WERROR=ON makes
# warnings errors (CI does this).
set -euo pipefail
cd "$(dirname "$0")/.."
werror=${LEAKSCAN_WERROR:-OFF}
jobs=$(nproc)
status=0
for variant in plain sanitize; do
  dir=build-test-$variant
  args=(-DLEAKSCAN_WERROR="$werror")
  if [ "$variant" = sanitize ]; then
    args+=(-DCMAKE_BUILD_TYPE=Debug -DLEAKSCAN_SANITIZE=address,undefined)
  else
    args+=(-DCMAKE_BUILD_TYPE=RelWithDebInfo)
  fi
  echo "== $variant build"
  cmake -S . -B "$dir" "${args[@]}" >/dev/null
  cmake --build "$dir" -j"$jobs"
  echo "== $variant tests"
  ctest --test-dir "$dir" --output-on-failure -j"$jobs" || status=1
done
exit $status
