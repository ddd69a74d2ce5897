# the catastrophic rule of config-catastrophic-backtracking over a history: the blob is named
# as not fully checked, the other blob's secret is reported, exit 3 (this crashed once: the
# history's outcomes live apart from a working tree's)
git init -q repo
cd repo
python3 -c "print('a' * 30000 + '!')" > evil.txt 2>/dev/null || { head -c 30000 /dev/zero | tr '\0' a; echo '!'; } > evil.txt
printf 'key=%s\n' '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' > b.txt
git add -A
GIT_AUTHOR_DATE=2025-01-01T00:00:00Z GIT_COMMITTER_DATE=2025-01-01T00:00:00Z git commit -q -m init
cp "$CASE/../config-catastrophic-backtracking/bt.yaml" ../bt.yaml
