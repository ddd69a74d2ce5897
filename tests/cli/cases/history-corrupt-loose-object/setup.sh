# a loose object whose bytes are garbage (not a missing one): the history scan names the
# object, keeps the other finding, and exits 3
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'hello\nworld\n' > notes.txt
printf 'token=%s\n' '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' > deploy.cfg
git add -A
at 2024-11-01T00:00:00Z -m init
blob=$(git rev-parse HEAD:notes.txt)
echo "$blob" > ../corrupt-id
f=".git/objects/${blob:0:2}/${blob:2}"
chmod u+w "$f"
printf 'this is not zlib data at all' > "$f"
! git cat-file -p "$blob" >/dev/null 2>&1
