# --history run from a subdirectory walks the whole repository; the .leakscan.yaml at its
# root applies (here: disable the Anthropic rule)
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
mkdir -p pkg/sub
printf 'disable: [anthropic-api-key]\n' > .leakscan.yaml
printf 'key = %s\ntoken = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' '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' > pkg/sub/app.cfg
git add -A
at 2025-03-01T00:00:00Z -m init
