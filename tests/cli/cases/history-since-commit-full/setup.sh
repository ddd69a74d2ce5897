# a pull-request scan: main has an old token (in a file the new commits do not touch, and
# in an old commit message); the branch adds a new one. --since-commit main reports only the
# new one
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'token: %s\n' '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' > legacy.yml
git add -A
at 2024-06-01T00:00:00Z -m init
printf '# demo\n' > README.md
git add -A
at 2024-06-02T00:00:00Z -m 'readme' -m 'old key sk-ant-api03-o9DIhiVAKlOwGiiDgicZyCHMs9NO3Jnu0oFzHwidslRER-3LNwoJgB_29E1CpdL7ibjtL5Cq_5e6obyqOBiSy3bFcmARtAA'
git checkout -q -b pr
printf 'KEY=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > service.env.sample
git add -A
at 2024-06-03T00:00:00Z -m 'service'
printf 'more\n' >> README.md
git add -A
at 2024-06-04T00:00:00Z -m 'docs'
