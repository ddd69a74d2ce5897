git init -q repo
cd repo
printf 'key=%s\ntoken=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' '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' > app.cfg
git add -A
git commit -qm init
