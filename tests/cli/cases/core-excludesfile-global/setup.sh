# core.excludesFile set in the user's global config ($HOME/.gitconfig)
printf '*.local\n.secrets/\n' > "$HOME/global-ignore"
git config --global core.excludesFile "$HOME/global-ignore"
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
git commit -qm init
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > db.local
mkdir .secrets
printf 'key=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > .secrets/prod
printf 'token=%s\n' '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' > app.conf
