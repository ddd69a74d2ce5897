# a token added in one commit and deleted in the next: the history scan still finds it and
# attributes it to the commit that added it (fixed dates: stable commit ids)
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
at 2024-01-01T10:00:00Z -m init
printf 'deploy:\n  token: %s\n' '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' > deploy.yml
git add -A
at 2024-01-02T10:00:00Z -m 'add deploy config'
git rev-parse HEAD > ../want-commit
git rm -q deploy.yml
at 2024-01-03T10:00:00Z -m 'remove deploy config'
test ! -e deploy.yml
