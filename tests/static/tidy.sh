#!/usr/bin/env bash
# Static analysis that fails CI on any finding: clang-tidy with the checks of .clang-tidy
# (the Clang static analyzer, bugprone, cert, misc) over every src/**/*.c, two at a time.
# The compile database comes from a Debug configure in a temporary directory: the code as
# written (no NDEBUG, no _FORTIFY_SOURCE rewriting the string calls). A false positive is
# silenced where it stands with `/* NOLINT(check-name): reason */` (or NOLINTNEXTLINE).
# usage: tests/static/tidy.sh [SOURCE_DIR]    (TIDY_JOBS=N: N files at a time, default 2)
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"
root=$(pwd -P)
tidy=${CLANG_TIDY:-clang-tidy}
command -v "$tidy" >/dev/null || {
  echo "static: clang-tidy not installed (scripts/deps.sh --fuzz)" >&2
  exit 2
}
major=$("$tidy" --version | sed -nE 's/.*version ([0-9]+).*/\1/p')
[ "$major" = 14 ] || echo "static: clang-tidy $major found; .clang-tidy is written for 14" >&2
build=$(mktemp -d)
trap 'rm -rf "$build"' EXIT
# configure only: nothing is built, the generated sources are not analysed
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Debug -DCMAKE_EXPORT_COMPILE_COMMANDS=ON \
  -DLEAKSCAN_TESTS=OFF >"$build/configure.log" 2>&1 || {
  cat "$build/configure.log" >&2
  exit 2
}
mapfile -t files < <(find "$root/src" -name '*.c' | sort)
# one log per file, shown in order afterwards (two at a time would interleave); every
# warning is an error (WarningsAsErrors), and any clang-tidy failure fails xargs
mkdir "$build/logs"
export TIDY="$tidy" TIDY_BUILD="$build"
status=0
printf '%s\0' "${files[@]}" | xargs -0 -n1 -P"${TIDY_JOBS:-2}" bash -c \
  '"$TIDY" -p "$TIDY_BUILD" --quiet --warnings-as-errors="*" "$1" \
     >"$TIDY_BUILD/logs/$(printf %s "$1" | tr / _).log" 2>&1' tidy-one || status=1
for f in "${files[@]}"; do
  grep -vE '^[0-9]+ (warning|error)s? (and [0-9]+ errors? )?generated\.$' \
    "$build/logs/$(printf %s "$f" | tr / _).log" || true
done
if [ $status -ne 0 ]; then
  echo "static: clang-tidy found problems above (fix them, or NOLINT(check): reason)" >&2
  exit 1
fi
echo "static: clang-tidy clean"
