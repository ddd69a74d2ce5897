# a pure rename (git mv, content unchanged) of a file holding a token adds no line: nothing
# is reported
git init -q repo
cd repo
mkdir conf
printf 'host = db\nkey = %s\nport = 5432\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > conf/db.cfg
printf '# demo\n' > README.md
git add -A
git commit -qm init
git mv conf/db.cfg database.cfg
test "$(git diff --cached -M --name-status)" = "$(printf 'R100\tconf/db.cfg\tdatabase.cfg')"
