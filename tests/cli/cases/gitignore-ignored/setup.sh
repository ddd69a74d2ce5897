# files and directories ignored by .gitignore are not scanned
git init -q repo
cd repo
printf 'secrets.txt\nbuild/\n' > .gitignore
git add -A
git commit -qm init
printf 'ANTHROPIC_API_KEY=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > secrets.txt
mkdir build
printf 'GITHUB_TOKEN=%s\n' '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' > build/out.log
printf 'key=%s\n' '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' > visible.txt
