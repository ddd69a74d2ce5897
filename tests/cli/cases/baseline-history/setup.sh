# a history report as the baseline for a later history scan: the old token (still in the
# history) is hidden, the one committed since is reported
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'token = %s\n' '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' > ci.cfg
git add -A
at 2025-01-01T00:00:00Z -m init
git rm -q ci.cfg
at 2025-01-02T00:00:00Z -m 'drop ci'
"$LEAKSCAN" --history --format json -o ../baseline.json . || test $? -eq 1
printf 'key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > app.cfg
git add -A
at 2025-01-03T00:00:00Z -m app
