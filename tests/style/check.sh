#!/usr/bin/env bash
# Style gate: clang-format (the pinned major version) and banned functions.
# usage: check.sh SOURCE_DIR
set -euo pipefail
cd "$1"
mapfile -t files < <(find src include tests/unit tests/fuzz -name '*.[ch]' 2>/dev/null | sort)
status=0

# Banned: unbounded string functions and atoi-style parsing (as curl's checksrc).
if grep -nE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|atol|gets)\s*\(' "${files[@]}"; then
  echo "style: banned function above (use snprintf, memcpy, strtol...)" >&2
  status=1
fi

if command -v clang-format >/dev/null; then
  major=$(clang-format --version | sed -nE 's/.*version ([0-9]+).*/\1/p')
  if [ "$major" = 14 ]; then
    if ! clang-format --dry-run --Werror "${files[@]}"; then
      echo "style: run clang-format -i on the files above" >&2
      status=1
    fi
  else
    echo "style: clang-format $major found, formatting is pinned to 14: format check skipped"
  fi
else
  echo "style: clang-format not installed: format check skipped (scripts/deps.sh installs it)"
fi
exit $status
