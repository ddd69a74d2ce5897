# --staged run from a subdirectory scans the whole index (paths relative to the repository
# root), so the scanned root is the repository: its .leakscan.yaml applies there too
git init -q repo
cd repo
mkdir -p pkg/sub
printf 'allow:\n  - "^ghp_2QIB"\n' > .leakscan.yaml
printf '# demo\n' > pkg/sub/README.md
git add -A
git commit -qm init
printf 'a = %s\nb = %s\n' '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' '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' > pkg/sub/tokens.txt
git add pkg/sub/tokens.txt
