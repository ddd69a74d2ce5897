# a committed .env without secrets, and one that .gitignore matches but is tracked
git init -q repo
cd repo
printf "DEBUG=true\nPORT=8080\n" > .env
mkdir -p svc
printf "LOG_LEVEL=info\n" > svc/.env.production
git add -A
git commit -qm init
printf ".env\n" > .gitignore
git add .gitignore
git commit -qm ignore
