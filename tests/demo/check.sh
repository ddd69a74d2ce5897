#!/usr/bin/env bash
# The bundled demo shows real findings (exit 1) and the seed guide shows none.
# usage: check.sh LEAKSCAN SOURCE_DIR
set -uo pipefail
bin=$1 src=$2
fail() { echo "demo: $*" >&2; exit 1; }

out=$("$bin" --format json "$src/fixtures/demo") ; rc=$?
[ "$rc" -eq 1 ] || fail "expected exit 1 on the demo, got $rc"
for id in anthropic-api-key openai-project-key github-pat-classic aws-access-key-id \
          stripe-secret-key slack-bot-token postgres-url-password; do
  grep -q "\"rule_id\":[[:space:]]*\"$id\"" <<<"$out" || fail "demo: no $id finding"
done
grep -q '"path":[[:space:]]*".env.example"' <<<"$out" && fail "placeholders in .env.example reported"
grep -q '"validated":[[:space:]]*true' <<<"$out" || fail "the demo's GitHub token is not validated"

"$bin" --fail-on info "$src/fixtures/seed" ; rc=$?
[ "$rc" -eq 0 ] || fail "the seed guide's examples must give no finding (exit $rc)"
echo "demo: ok"
