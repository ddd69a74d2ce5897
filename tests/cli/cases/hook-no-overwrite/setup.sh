# another tool's pre-commit hook is never replaced without --force
git init -q repo
cd repo
printf '#!/bin/sh\necho other hook\n' > .git/hooks/pre-commit
chmod +x .git/hooks/pre-commit
