# *.txt is ignored, except keep.txt (at any depth)
git init -q repo
cd repo
printf '*.txt\n!keep.txt\n' > .gitignore
git add -A
git commit -qm init
printf 'token=%s\n' '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' > keep.txt
printf 'token=%s\n' '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' > drop.txt
mkdir sub
printf 'key=%s\n' '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' > sub/keep.txt
printf 'key=%s\n' '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' > sub/drop.txt
