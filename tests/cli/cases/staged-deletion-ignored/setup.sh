# a staged deletion of a file with a token adds nothing: no finding, exit 0
git init -q repo
cd repo
printf 'token = %s\n' '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' > leaked.cfg
printf '# demo\n' > README.md
git add -A
git commit -qm init
git rm -q leaked.cfg
test "$(git diff --cached --name-status)" = "$(printf 'D\tleaked.cfg')"
