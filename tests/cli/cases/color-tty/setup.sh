git init -q repo
cd repo
printf 'token=%s\n' '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' > a.txt
git add -A
git commit -qm init
