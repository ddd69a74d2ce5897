# a pull request that edits a file which already held a token on main: the range
# reports only the token the branch adds, not the one that was already there
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'name: app\ntoken: %s\nport: 80\n' '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' > config.yml
git add -A
at 2024-06-01T00:00:00Z -m init
git checkout -q -b pr
printf 'name: app\ntoken: %s\nport: 8080\nkey: %s\n' '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' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > config.yml
git add -A
at 2024-06-02T00:00:00Z -m 'port and key'
