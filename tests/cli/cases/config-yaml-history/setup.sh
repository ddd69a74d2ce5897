# .leakscan.yaml applies to history scans too: paths skips vendor/ blobs by their path,
# disable turns the Anthropic rule off; the token in src/ (deleted since) is still reported
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
mkdir -p vendor src
printf 'token = %s\n' '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' > vendor/client.cfg
printf 'key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > src/app.cfg
printf 'GH = "%s"\n' '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' > src/main.py
printf 'paths: [vendor/]\ndisable: [anthropic-api-key]\n' > .leakscan.yaml
git add -A
at 2025-02-01T00:00:00Z -m init
git rm -q -r src
at 2025-02-02T00:00:00Z -m 'drop src'
