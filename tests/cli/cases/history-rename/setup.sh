# a file holding a token is renamed later without changes (git mv, twice): the blob is
# the same, so it is scanned once and reported once, at its first path and first commit
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# demo\n' > README.md
printf 'host = db\nkey = %s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > old-name.cfg
git add -A
at 2024-05-01T00:00:00Z -m init
git rev-parse HEAD > ../want-commit
echo 'the first commit' > ../want-label
mkdir conf
git mv old-name.cfg conf/middle.cfg
at 2024-05-02T00:00:00Z -m 'move config'
git mv conf/middle.cfg conf/final.cfg
at 2024-05-03T00:00:00Z -m 'rename config'
