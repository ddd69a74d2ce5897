# a tracked file holding an Anthropic key, in a real repository
git init -q repo
cd repo
mkdir -p config
printf '# settings\nDEBUG = False\nANTHROPIC_API_KEY = "%s"\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > config/settings.py
printf '# demo\n' > README.md
git add -A
git commit -qm init
