#!/usr/bin/env bash
# Installs the peers the benchmarks compare against, once, and prints where they are:
#   git-secrets (Debian package; AWS patterns registered in a private HOME),
#   secretlint with its recommended preset (npm, into /tmp/leakscan-peers).
# usage: bench/peers.sh   -> prints "GIT_SECRETS_HOME=..." and "SECRETLINT=..." lines
# A peer that cannot be installed (no network, no npm) is reported and left out.
set -uo pipefail
dir=/tmp/leakscan-peers
mkdir -p "$dir"
if ! command -v git-secrets >/dev/null 2>&1; then
  { apt-get install -y git-secrets || { apt-get update && apt-get install -y git-secrets; }; } \
    >"$dir/apt.log" 2>&1 || echo "peers: git-secrets not installed (see $dir/apt.log)" >&2
fi
if command -v git-secrets >/dev/null 2>&1; then
  mkdir -p "$dir/home"
  if ! HOME=$dir/home git config --global --get-all secrets.patterns >/dev/null 2>&1; then
    HOME=$dir/home git secrets --register-aws --global >/dev/null 2>&1
  fi
  echo "GIT_SECRETS_HOME=$dir/home"
fi
if [ ! -x "$dir/node_modules/.bin/secretlint" ] && command -v npm >/dev/null 2>&1; then
  (cd "$dir" && npm install --silent secretlint @secretlint/secretlint-rule-preset-recommend) \
    >"$dir/npm.log" 2>&1 || echo "peers: secretlint not installed (see $dir/npm.log)" >&2
fi
if [ -x "$dir/node_modules/.bin/secretlint" ]; then
  printf '{ "rules": [ { "id": "@secretlint/secretlint-rule-preset-recommend" } ] }\n' \
    > "$dir/secretlintrc.json"
  echo "SECRETLINT='$dir/node_modules/.bin/secretlint --secretlintrc $dir/secretlintrc.json'"
fi
