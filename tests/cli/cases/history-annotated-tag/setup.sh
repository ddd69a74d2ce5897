# a token only in a commit reachable from an annotated tag (made on a detached HEAD, on no
# branch): tags are refs too, the history scan finds it
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
at 2024-03-01T08:00:00Z -m init
git checkout -q --detach
printf 'api_key = "%s"\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > release.toml
git add -A
at 2024-03-02T08:00:00Z -m 'release build'
git rev-parse HEAD > ../want-commit
echo 'the tagged commit' > ../want-label
GIT_COMMITTER_DATE=2024-03-02T09:00:00Z git tag -a v1.0 -m 'release 1.0'
git checkout -q main
# no reflog entry keeps the commit either: only the tag
git reflog expire --expire=now --all
# only the tag reaches the commit
test -z "$(git branch --contains "$(cat ../want-commit)")"
