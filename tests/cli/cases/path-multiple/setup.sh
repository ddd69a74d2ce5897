# several PATHs (two directories of a repository and a plain directory): paths are prefixed
# with the PATH they were found under
git init -q repo
cd repo
mkdir api web docs
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > api/server.env.sample
printf 'token=%s\n' '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' > web/deploy.sh
printf 'key=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > docs/notes.md
git add -A
git commit -qm init
cd ..
mkdir notes
printf 'key=%s\n' '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' > notes/todo.txt
