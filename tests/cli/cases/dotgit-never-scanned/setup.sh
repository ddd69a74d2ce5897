# secrets inside .git (description, config, any file) are never scanned
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
git commit -qm init
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > .git/description
printf 'token=%s\n' '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' > .git/notes.txt
mkdir -p .git/hooks
printf '#!/bin/sh\nexport OPENAI_API_KEY=%s\n' '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' > .git/hooks/pre-push
git remote add origin 'https://octocat: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@github.com/acme/widgets.git'
