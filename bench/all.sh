#!/usr/bin/env bash
# Every benchmark, one after the other, each with its floor and peers measured in the same run:
#   bash bench/all.sh [LEAKSCAN]   (default build/leakscan; a Release build is what to measure)
# Corpora are generated once into /tmp (about 2 GB, a few minutes the first time); peers are
# installed by bench/peers.sh. Prints the tables; never fails on timing.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=$(realpath "${1:-build/leakscan}")
for b in tree history staged redact precision; do
  echo "== bench/$b.sh"
  bash "$here/$b.sh" "$bin" || echo "bench/$b.sh: failed (exit $?)"
  echo
done
