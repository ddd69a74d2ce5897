# .git/info/exclude ignores like a .gitignore that is not committed
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
git commit -qm init
printf 'private/\n' >> .git/info/exclude
mkdir private
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > private/key.txt
printf 'key=%s\n' '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' > public.txt
