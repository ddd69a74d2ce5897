# the real pre-commit hook, installed by install-hook, in front of a real git commit
git init -q repo
cd repo
printf '# app\n' > README.md
git add README.md
git commit -qm init
