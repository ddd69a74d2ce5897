#!/usr/bin/env bash
# Installs the Debian 12 packages leakscan builds, tests and benchmarks with.
# Run as root (or through sudo). Idempotent: apt-get skips what is there.
# --fuzz adds what CI also runs: clang (libFuzzer, tests/fuzz/run.sh), valgrind (the
# valgrind.* tests, registered when it is installed), cppcheck (tests/static/check.sh) and
# clang-tidy (tests/static/tidy.sh).
set -euo pipefail
pkgs=(
  build-essential cmake pkg-config git
  libpcre2-dev libgit2-dev libcjson-dev libyaml-dev libvectorscan-dev libdeflate-dev
  libcmocka-dev clang-format util-linux python3-yaml python3 python3-jsonschema
)
if [ "${1:-}" = --fuzz ]; then
  pkgs+=(clang valgrind cppcheck clang-tidy)
fi
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
