# the loose object of a tree (a directory without secrets) is deleted: exit 3, the message
# names the tree and the commit; the token elsewhere is still reported
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
mkdir -p docs/guide
printf '# guide\n' > docs/guide/intro.md
printf '# demo\n' > README.md
git add -A
at 2024-11-01T00:00:00Z -m init
git rev-parse HEAD > ../missing-commit
printf 'key=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > app.env.sample
git add -A
at 2024-11-02T00:00:00Z -m app
tree=$(git rev-parse HEAD:docs)
echo "$tree" > ../missing-id
rm ".git/objects/${tree:0:2}/${tree:2}"
! git cat-file -e "$tree"
