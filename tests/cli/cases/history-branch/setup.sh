# --branch REF walks only what REF reaches: main's token is found, the one on an unmerged
# branch and the one behind a tag are not
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
at 2024-08-01T00:00:00Z -m init
git checkout -q -b experiment
printf 'token=%s\n' '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' > experiment.sh
git add -A
at 2024-08-02T00:00:00Z -m experiment
git checkout -q --detach main
printf 'key=%s\n' 'sk-ant-api03-o9DIhiVAKlOwGiiDgicZyCHMs9NO3Jnu0oFzHwidslRER-3LNwoJgB_29E1CpdL7ibjtL5Cq_5e6obyqOBiSy3bFcmARtAA' > tagged.env.sample
git add -A
at 2024-08-03T00:00:00Z -m tagged
git tag v0
git checkout -q main
printf 'key=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > main.env.sample
git add -A
at 2024-08-04T00:00:00Z -m 'main work'
