# core.excludesFile set in the repository's config, pointing outside the tree
printf '*.local\n' > "$WORK/excludes"
git init -q repo
cd repo
git config core.excludesFile "$WORK/excludes"
printf '# demo\n' > README.md
git add -A
git commit -qm init
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > db.local
printf 'token=%s\n' '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' > app.conf
