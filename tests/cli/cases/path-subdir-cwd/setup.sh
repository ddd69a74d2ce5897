# run from a subdirectory with no PATH (default "."): only it is scanned, paths are relative to it,
# and the .gitignore at the top of the repository still applies
git init -q repo
cd repo
printf '*.log\n' > .gitignore
mkdir -p src/app other
printf 'import os\n\nKEY = "%s"\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > src/app/main.py
printf 'token=%s\n' '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' > other/x.txt
printf 'token=%s\n' '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' > src/top.txt
git add -A
git commit -qm init
printf 'key=%s\n' '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' > src/app/debug.log
printf 'key=%s\n' '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' > src/app/new.txt
