# the same blob added on two unrelated branches: the older commit introduced it, whatever
# the order in which the refs are listed (branch "a" is newer than branch "b")
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# app\n' > README.md
git add README.md
at 2019-01-01T00:00:00Z -m init
git checkout -q -b a
printf 'token: %s\n' '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' > key.txt
git add key.txt
at 2024-05-05T00:00:00Z -m 'newer'
git checkout -q main
git checkout -q -b b
printf 'token: %s\n' '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' > key.txt
git add key.txt
at 2020-02-02T00:00:00Z -m 'older'
git rev-parse HEAD > ../want
