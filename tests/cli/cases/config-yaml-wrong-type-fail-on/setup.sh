# fail_on must be a severity name: a list is a type error, exit 2 with file:line:col
git init -q repo
cd repo
mkdir -p vendor/lib docs src
printf 'token = %s\n' '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' > vendor/lib/client.cfg
printf 'key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > docs/setup.md
printf 'GH = "%s"\n' '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' > src/main.py
cp "$CASE/leakscan.yaml" .leakscan.yaml
git add -A
git commit -qm init
