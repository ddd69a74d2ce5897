# --max-file-size applies to history blobs: the large blob (token at its end, file deleted
# since) is skipped and counted as too large; the small one is scanned
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
{ i=0; while [ $i -lt 200 ]; do printf 'filler line %03d of the generated table\n' $i; i=$((i+1)); done
  printf 'token = %s\n' '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'; } > big.txt
printf 'token = %s\n' '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' > small.cfg
git add -A
at 2025-07-01T00:00:00Z -m init
git rm -q big.txt
at 2025-07-02T00:00:00Z -m 'drop big'
test "$(git cat-file -s HEAD~1:big.txt)" -gt 4096
