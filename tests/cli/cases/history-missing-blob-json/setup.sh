# the JSON report of a history scan with a missing blob: the finding, the error in
# "errors", and stats.errors counting it (as in a worktree scan: README, "JSON report")
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'hello\nworld\n' > notes.txt
git add -A
at 2024-11-01T00:00:00Z -m init
git rev-parse HEAD > ../missing-commit
printf 'token=%s\n' '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' > deploy.cfg
git add -A
at 2024-11-02T00:00:00Z -m deploy
blob=$(git rev-parse HEAD:notes.txt)
echo "$blob" > ../missing-id
rm ".git/objects/${blob:0:2}/${blob:2}"
! git cat-file -e "$blob"
