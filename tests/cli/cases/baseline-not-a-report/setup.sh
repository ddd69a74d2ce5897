# a baseline that is not a leakscan JSON report is a usage error: exit 2, nothing scanned
git init -q repo
cd repo
printf 'token = %s\n' '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' > ci.cfg
git add -A
git commit -qm init
printf 'ci.cfg:1:9 github-pat-classic\n' > ../baseline.txt
