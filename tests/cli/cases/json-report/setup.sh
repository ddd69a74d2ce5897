# two files, three findings: an Anthropic key (no offline validation), an OpenAI project
# key (marker: validated) and a GitHub token whose checksum holds (validated)
git init -q repo
cd repo
mkdir -p services/agent
printf '# agent\n[llm]\nmodel = "claude"\napi_key = "%s"\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > services/agent/config.toml
printf 'OPENAI_API_KEY=%s\n\nexport GH_TOKEN=%s\n' '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' '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' > deploy.sh
printf '# demo\n' > README.md
git add -A
git commit -qm init
