# JSON Lines: a line per finding (file by file, in path order, each file's by line), then
# the findings that need the whole scan (.env hygiene), then one summary line; the same
# tree for stream-text-worktree (--stream: text findings as each file is done)
git init -q repo
cd repo
printf 'OPENAI_API_KEY=%s\n' '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' > .env
printf 'GH = "%s"\n' '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' > app.py
printf 'plain text\n' > b.txt
git add -A
git commit -q -m init
