# .leakscan.yaml applies to staged scans: allow: hides the staged token it matches, the
# other staged token is reported
git init -q repo
cd repo
printf 'allow:\n  - "^ghp_2QIB"\n' > .leakscan.yaml
git add -A
git commit -qm init
printf 'a = %s\nb = %s\n' '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' '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' > tokens.txt
git add tokens.txt
