# --log-range A..B: commits reachable from B and not from A. Tokens before A and after B
# (on main, past the tag B) are out of the range; only the one in between is reported
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'old = "%s"\n' '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' > before.cfg
git add -A
at 2024-07-01T00:00:00Z -m 'before A'
git tag A
printf 'mid = "%s"\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > inside.cfg
git add -A
at 2024-07-02T00:00:00Z -m 'inside the range'
printf 'x\n' > plain.txt
git add -A
at 2024-07-03T00:00:00Z -m 'also inside'
git tag B
printf 'new = "%s"\n' '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' > after.cfg
git add -A
at 2024-07-04T00:00:00Z -m 'after B'
