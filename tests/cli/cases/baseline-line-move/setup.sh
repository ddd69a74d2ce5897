# a JSON report taken as the baseline; then the token's line moves down 5 lines and the
# lines around it are edited: the content fingerprint still matches, nothing is reported
git init -q repo
cd repo
printf 'host = db\nport = 5432\nkey = %s\nuser = app\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > db.cfg
git add -A
git commit -qm init
rc=0
"$LEAKSCAN" --format json -o ../baseline.json . || rc=$?
test "$rc" -eq 1
grep -q '"line":	3' ../baseline.json
printf '# database\nhost = db.internal\nport = 6432\ntimeout = 5\nretries = 3\npool = 10\nssl = on\nkey = %s\nuser = service\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > db.cfg
git commit -qam 'tune the pool'
test "$(grep -n '^key' db.cfg | cut -d: -f1)" -eq 8
