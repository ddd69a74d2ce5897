# a pull request cannot relax its own gate: the branch adds a secret and a
# .leakscan.yaml that allows everything; a range scan reads the config of the base
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf '# app\n' > README.md
printf 'disable: [jwt]\n' > .leakscan.yaml
git add -A
at 2024-06-01T00:00:00Z -m init
git checkout -q -b pr
printf 'token: %s\n' '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' > key.txt
printf 'allow: ["."]\nfail_on: none\ndisable: [github-pat-classic]\n' > .leakscan.yaml
git add -A
at 2024-06-02T00:00:00Z -m 'sneaky'
