# a .env committed and then deleted: --history reports it with the commit that added it
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf "PORT=1\n" > .env
git add .env
at 2024-01-01T00:00:00Z -m "add env"
git rev-parse HEAD > ../want
printf "PORT=2\n" > .env
git add .env
at 2024-01-02T00:00:00Z -m "change env"
git rm -q .env
at 2024-01-03T00:00:00Z -m "remove env"
