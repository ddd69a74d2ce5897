# a repository whose config would run commands in git (fsmonitor, a clean/smudge filter,
# a diff textconv, hooks): leakscan reads it in every mode and runs none of them
git init -q repo
cd repo
printf 'data\n' > a.txt
printf '*.txt filter=evil diff=evil\n' > .gitattributes
git add -A
git commit -qm init
printf 'changed\n' > a.txt
git add a.txt
printf 'touched again\n' > a.txt
marker="$WORK/pwned"
git config core.fsmonitor "touch $marker"
git config filter.evil.clean "touch $marker; cat"
git config filter.evil.smudge "touch $marker; cat"
git config diff.evil.textconv "touch $marker; cat"
printf '#!/bin/sh\ntouch %s\n' "$marker" > .git/hooks/post-checkout
chmod +x .git/hooks/post-checkout
rm -f "$marker"
