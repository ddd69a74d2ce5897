# a token added on a branch, then merged into main (a real merge: main changed the same
# file meanwhile, so the merge makes a third blob with the token): one finding, attributed
# to the branch commit that added it
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git "$@"; }
git init -q repo
cd repo
printf 'a\nb\nc\nd\ne\n' > app.cfg
git add -A
at 2025-04-01T00:00:00Z commit -q -m init
git checkout -q -b feature
printf 'a\ntoken = %s\nb\nc\nd\ne\n' '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' > app.cfg
git add -A
at 2025-04-02T00:00:00Z commit -q -m 'feature token'
git rev-parse HEAD > ../want-commit
echo 'the branch commit' > ../want-label
git checkout -q main
printf 'a\nb\nc\nd\ne\nf\n' > app.cfg
git add -A
at 2025-04-03T00:00:00Z commit -q -m 'main edit'
at 2025-04-04T00:00:00Z merge -q --no-edit feature
# the merge result differs from both parents' app.cfg
test "$(git rev-parse HEAD:app.cfg)" != "$(git rev-parse feature:app.cfg)"
grep -q token app.cfg
