# the JSON report of a staged scan: mode "staged", the added line only, no commit fields
git init -q repo
cd repo
printf 'name = app\nold_token = %s\nport = 80\n' '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' > app.cfg
git add -A
git commit -qm init
printf 'name = app\nold_token = %s\nport = 80\nnew_key = %s\n' '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' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > app.cfg
git add app.cfg
