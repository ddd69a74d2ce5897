# blob.bin has a NUL byte in its first 8 KiB: binary, skipped (its key is not reported).
# late-nul.txt has its first NUL after 8 KiB: text, scanned.
git init -q repo
cd repo
printf 'PK\003\004\000\000key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > blob.bin
for i in $(seq 1 600); do printf 'padding line %03d\n' "$i"; done > late-nul.txt
printf '\000\ntoken=%s\n' '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' >> late-nul.txt
test "$(head -c 8192 late-nul.txt | tr -d -c '\000' | wc -c)" -eq 0
git add -A
git commit -qm init
