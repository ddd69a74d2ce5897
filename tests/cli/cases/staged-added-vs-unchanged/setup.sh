# HEAD already has a token on line 2 of app.cfg; the staged version keeps that line and adds
# one with another token: only the added line is reported (with its line in the new blob)
git init -q repo
cd repo
printf 'name = app\nold_token = %s\nport = 80\n' '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' > app.cfg
git add -A
git commit -qm init
printf 'name = app\nold_token = %s\nport = 80\nnew_key = %s\n' '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' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > app.cfg
git add app.cfg
