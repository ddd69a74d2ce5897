# a token committed only on a side branch that was never merged: the history walk starts
# from every ref, so it is found; main's worktree does not have it
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
at 2024-03-01T08:00:00Z -m init
git checkout -q -b feature/ci
printf 'export GH_TOKEN=%s\n' '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' > ci.sh
git add -A
at 2024-03-02T08:00:00Z -m 'ci script'
git rev-parse HEAD > ../want-commit
echo 'the side-branch commit' > ../want-label
git checkout -q main
printf 'more\n' >> README.md
git add -A
at 2024-03-03T08:00:00Z -m 'readme'
test ! -e ci.sh
