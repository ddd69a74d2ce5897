# a token pasted into a commit message (the files are clean): reported with no path, shown
# as "(commit message)", line and column within the message; JSON has no "path"
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
at 2024-04-01T12:00:00Z -m init
printf 'retries = 3\n' > ci.toml
git add -A
at 2024-04-02T12:00:00Z -m 'ci: retry flaky jobs' -m "tested with GH_TOKEN=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 locally"
