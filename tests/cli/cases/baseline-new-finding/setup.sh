# the baseline hides the known token; a token added after the report is new and fails
git init -q repo
cd repo
printf 'token = %s\n' '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' > ci.cfg
git add -A
git commit -qm init
"$LEAKSCAN" --format json -o ../baseline.json . || test $? -eq 1
printf 'token = %s\nbackup = %s\n' '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' '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' > ci.cfg
git commit -qam 'backup token'
