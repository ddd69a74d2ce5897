# a directory git ignores, named on the command line: its .env is ignored, so no .env
# finding (found by review: it was judged "outside a git repository")
git init -q repo
cd repo
mkdir -p build
printf 'PORT=1\n' > build/.env
printf 'build/\n' > .gitignore
