# `leakscan lint` reports the lints alone; the secret in the tracked .env raises the lint to critical
git init -q repo
cd repo
printf "ANTHROPIC_API_KEY=%s\n" "sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA" > .env
git add .env
git commit -qm init
