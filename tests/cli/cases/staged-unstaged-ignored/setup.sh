# --staged reads the index, not the working tree: a token written after `git add` (not
# staged) and an untracked file with a token are not reported; the staged change is clean
git init -q repo
cd repo
printf 'x = 1\n' > app.cfg
git add -A
git commit -qm init
printf 'x = 2\n' > app.cfg
git add app.cfg
printf 'x = 2\ntoken = %s\n' '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' > app.cfg
printf 'key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > untracked.env.sample
