# the loose object of a clean blob (no secret in it) is deleted: the scan goes on, names the
# object and the commit that holds it, keeps the other finding, and exits 3
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
