# two findings in the baseline; one token is then removed: the other is hidden, the removed
# one is listed on stderr as a stale baseline entry; exit 0
git init -q repo
cd repo
printf 'token = %s\n' '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' > ci.cfg
printf 'key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > app.cfg
git add -A
git commit -qm init
"$LEAKSCAN" --format json -o ../baseline.json . || test $? -eq 1
test "$(grep -c '"rule_id"' ../baseline.json)" -eq 2
git rm -q app.cfg
git commit -qm 'remove the key'
