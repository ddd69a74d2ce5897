# PATH is one file of the repository: only that file is scanned
git init -q repo
cd repo
mkdir config
printf 'llm:\n  provider: anthropic\n  api_key: %s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > config/app.yaml
printf 'token=%s\n' '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' > config/other.txt
git add -A
git commit -qm init
