# config.ini was committed before *.ini was ignored: git still tracks it, so it is scanned;
# other.ini is untracked and ignored, so it is not
git init -q repo
cd repo
printf '[api]\nkey = %s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > config.ini
git add -A
git commit -qm init
printf '*.ini\n' > .gitignore
git add .gitignore
git commit -qm ignore
printf 'token = %s\n' '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' > other.ini
