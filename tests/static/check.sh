#!/usr/bin/env bash
# Static analysis that fails CI on any finding: cppcheck's warning and portability checks over
# src/ (C11, the project's include paths). A false positive is silenced where it stands with
# `// cppcheck-suppress <id>` and a reason. usage: tests/static/check.sh [SOURCE_DIR]
set -euo pipefail
cd "${1:-$(dirname "$0")/../..}"
command -v cppcheck >/dev/null || { echo "static: cppcheck not installed (scripts/deps.sh --fuzz)" >&2; exit 2; }
cppcheck --quiet --enable=warning,portability --std=c11 -I include -I src/core -I src \
  --suppress=missingIncludeSystem --inline-suppr --error-exitcode=1 src
echo "static: cppcheck clean"
