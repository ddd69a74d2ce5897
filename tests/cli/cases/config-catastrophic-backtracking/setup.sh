# a config rule with catastrophic backtracking: PCRE2's match limit stops it on the bad line,
# the file is named, the other rules and files are still scanned, and the scan exits 3
mkdir tree
python3 -c "print('a' * 30000 + '!')" > tree/evil.txt 2>/dev/null || { head -c 30000 /dev/zero | tr '\0' a; echo '!'; } > tree/evil.txt
printf 'key=%s\n' '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' > tree/b.txt
cp "$CASE/bt.yaml" bt.yaml
