# untracked files that git does not ignore are scanned, also in untracked directories
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
git commit -qm init
printf 'openai key: %s\n' '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' > notes.txt
mkdir drafts
printf 'todo\ntoken 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\n' > drafts/todo.md
