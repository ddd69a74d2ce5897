# an annotated tag's message is scanned like a commit message
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d "$@"; }
git init -q repo
cd repo
printf '# app\n' > README.md
git add README.md
at 2024-06-01T00:00:00Z git commit -qm init
at 2024-06-02T00:00:00Z git tag -a v1 -m "release notes: deploy key 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"
