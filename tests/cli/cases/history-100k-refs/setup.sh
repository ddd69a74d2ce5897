# 100,000 tags (packed) on one commit: the walk visits the commit once; done in seconds
git init -q repo
cd repo
printf 'k=%s\n' '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' > a.txt
git add -A
git commit -qm init
h=$(git rev-parse HEAD)
{ echo '# pack-refs with: peeled fully-peeled sorted'; seq -f "$h refs/tags/t%06g" 1 100000; } > .git/packed-refs
