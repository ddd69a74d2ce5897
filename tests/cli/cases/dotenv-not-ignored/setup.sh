# an untracked .env that no rule ignores, next to an ignored one (silent) and a
# committed template (silent) and an ignored template (info)
git init -q repo
cd repo
printf "PORT=1\n" > .env
mkdir -p app
printf "PORT=2\n" > app/local.env
printf "PORT=3\n" > app/.env.example
printf "PORT=4\n" > .env.sample
printf "app/local.env\n.env.sample\n" > .gitignore
git add .gitignore app/.env.example
git commit -qm init
