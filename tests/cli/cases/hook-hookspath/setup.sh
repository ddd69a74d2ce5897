# core.hooksPath (relative to the work tree) is where the hook goes
git init -q repo
cd repo
git config core.hooksPath .githooks
printf '# app\n' > README.md
git add README.md
git commit -qm init
