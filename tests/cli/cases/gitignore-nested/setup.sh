# app/.gitignore ignores local.cfg below app/ only; a local.cfg at the top is scanned
git init -q repo
cd repo
mkdir -p app/sub
printf 'local.cfg\n' > app/.gitignore
git add -A
git commit -qm init
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > app/local.cfg
printf 'key=%s\n' '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' > app/sub/local.cfg
printf 'token=%s\n' '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' > app/settings.cfg
printf 'key=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > local.cfg
