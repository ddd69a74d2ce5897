#!/usr/bin/env bash
# The README lists every built-in rule id and every lint check id.
# usage: readme_rules.sh LEAKSCAN SOURCE_DIR
set -uo pipefail
bin=$1 src=$2 missing=0
for id in $("$bin" rules list 2>/dev/null | awk '{print $1}') $("$bin" rules list --lints 2>/dev/null | awk '{print $1}'); do
  grep -q "\`$id\`" "$src/README.md" || { echo "README.md does not list $id"; missing=1; }
done
exit $missing
