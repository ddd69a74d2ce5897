# control for allow-history: the same commits without the marker, all three tokens reported
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'test_token = "%s"\nprod_key = "%s"\n' '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' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > fixtures.py
git add -A
at 2024-12-01T00:00:00Z -m 'fixtures' -m 'example token 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'
git rm -q fixtures.py
at 2024-12-02T00:00:00Z -m 'drop fixtures'
