# a stand-in pre-commit hook (the shipped hooks/pre-commit is tested elsewhere): it runs
# leakscan --staged; a real `git commit` adding a token must be stopped, the finding shown on
# git's stderr, and the commit must go through once the token is removed
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
git commit -qm init
printf '#!/bin/sh\nexec "$LEAKSCAN" --staged\n' > .git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
