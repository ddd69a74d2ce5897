# baseline: in .leakscan.yaml names the report to use, as --baseline would: the known token
# is hidden ("1 in the baseline"), the one added later is reported
git init -q repo
cd repo
printf 'token = %s\n' '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' > ci.cfg
git add -A
git commit -qm init
"$LEAKSCAN" --format json -o .leakscan-baseline.json . || test $? -eq 1
printf 'baseline: .leakscan-baseline.json\n' > .leakscan.yaml
printf 'key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > app.cfg
git add -A
git commit -qm 'config, baseline, app'
