# refs beyond branches and tags: a token only in a stash entry, another only on a
# remote-tracking branch (fetched, never checked out): both are found
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git "$@"; }
git init -q upstream
cd upstream
printf 'remote_token = %s\n' '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' > upstream.cfg
git add -A
at 2025-05-01T00:00:00Z commit -q -m upstream
cd ..
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
at 2025-05-02T00:00:00Z commit -q -m init
printf 'stashed_key = %s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > wip.cfg
git add wip.cfg
at 2025-05-03T00:00:00Z stash -q
test ! -e wip.cfg
git remote add upstream ../upstream
git fetch -q upstream
git rev-parse -q --verify refs/stash
git rev-parse -q --verify refs/remotes/upstream/main
