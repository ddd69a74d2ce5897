# a bare clone (no working tree, no index): --history scans its objects all the same; the
# token removed before the tip is found, attributed to the commit that added it
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q src
cd src
printf '# demo\n' > README.md
git add -A
at 2024-09-01T00:00:00Z -m init
printf 'GH_TOKEN=%s\n' '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' > .ci.env.sample
git add -A
at 2024-09-02T00:00:00Z -m 'ci env'
git rev-parse HEAD > ../want-commit
echo 'the adding commit' > ../want-label
git rm -q .ci.env.sample
at 2024-09-03T00:00:00Z -m 'drop ci env'
cd ..
git clone -q --bare src repo.git
rm -rf src
test "$(git -C repo.git rev-parse --is-bare-repository)" = true
