# a changed line counts as added: the token line is edited (a comment appended) and is
# reported; the unchanged token line above it is not
git init -q repo
cd repo
printf 'a = %s\nb = %s\n' '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' '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' > tokens.txt
git add -A
git commit -qm init
printf 'a = %s\nb = %s  # rotated?\n' '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' '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' > tokens.txt
git add tokens.txt
