# a repository with no commit yet: the whole index is staged; an untracked file is not
git init -q repo
cd repo
mkdir -p deploy
printf 'name = app\ntoken = %s\n' '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' > deploy/ci.cfg
printf 'key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > app.env.sample
git add deploy app.env.sample
printf 'key = %s\n' 'sk-ant-api03-o9DIhiVAKlOwGiiDgicZyCHMs9NO3Jnu0oFzHwidslRER-3LNwoJgB_29E1CpdL7ibjtL5Cq_5e6obyqOBiSy3bFcmARtAA' > scratch.txt
! git rev-parse -q --verify HEAD
