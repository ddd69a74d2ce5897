# adding a .env to the index fails the staged scan (the pre-commit hook)
git init -q repo
cd repo
printf "# app\n" > README.md
git add README.md
git commit -qm init
printf "PORT=1\n" > .env
git add .env
