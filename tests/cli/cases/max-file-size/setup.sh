# big.txt (2 KiB, a key on line 1) is over --max-file-size 1K: skipped and counted;
# small.txt is scanned
git init -q repo
cd repo
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > big.txt
pad=$((2048 - $(wc -c < big.txt) - 1))
head -c "$pad" /dev/zero | tr '\000' '#' >> big.txt
printf '\n' >> big.txt
test "$(wc -c < big.txt)" -eq 2048
printf 'token=%s\n' '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' > small.txt
git add -A
git commit -qm init
