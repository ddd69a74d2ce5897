# the right layout: .env ignored, .env.example committed with placeholders: nothing
git init -q repo
cd repo
printf "OPENAI_API_KEY=sk-proj-%s\n" "abc" > .env
printf "OPENAI_API_KEY=sk-xxx\nANTHROPIC_API_KEY=sk-ant-xxx\n" > .env.example
printf ".env\n" > .gitignore
git add .gitignore .env.example
git commit -qm init
