# a rename with an edit: the line added under the new name is reported, the token that moved
# along unchanged is not
git init -q repo
cd repo
printf 'host = db\nkey = %s\nport = 5432\nuser = app\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > db.cfg
git add -A
git commit -qm init
git mv db.cfg database.cfg
printf 'host = db\nkey = %s\nport = 5432\nuser = app\ngh = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' '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' > database.cfg
git add database.cfg
