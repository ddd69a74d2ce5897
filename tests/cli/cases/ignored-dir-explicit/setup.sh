# a directory git ignores, named on the command line, is scanned (as a named file is);
# the repository scan itself does not look inside it
git init -q repo
cd repo
mkdir -p dist
printf 'token = %s\n' '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' > dist/bundle.js
printf 'dist/\n' > .gitignore
