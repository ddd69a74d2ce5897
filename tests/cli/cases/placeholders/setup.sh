# documentation-style placeholders and variable references (docs/rules.md "Placeholders"),
# several of them shaped exactly like real keys: nothing is reported
git init -q repo
cd repo
cat > .env.example <<'END'
OPENAI_API_KEY=sk-xxx
ANTHROPIC_API_KEY=sk-ant-xxx
GITHUB_TOKEN=${GITHUB_TOKEN}
ANTHROPIC_API_KEY=sk-ant-api03-xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxAA
GITHUB_TOKEN=ghp_xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx
GITHUB_TOKEN=ghp_000000000000000000000000000000000000
OPENAI_API_KEY=sk-proj-your-api-key-here
OPENAI_API_KEY=<your-openai-key>
END
cat > app.py <<'END'
import os

api_key = os.getenv("OPENAI_API_KEY")
token = os.getenv("GITHUB_TOKEN", "")
anthropic_key = os.environ["ANTHROPIC_API_KEY"]
END
cat > values.yaml <<'END'
openai:
  apiKey: "{{ .Values.openaiKey }}"
github:
  token: "$(cat /run/secrets/github)"
END
git add -A
git commit -qm init
