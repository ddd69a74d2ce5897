# a repository with a token, so that a scan that wrongly ran would show a finding
git init -q repo
cd repo
printf 'token = %s\n' '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' > ci.cfg
git add -A
git commit -qm init
