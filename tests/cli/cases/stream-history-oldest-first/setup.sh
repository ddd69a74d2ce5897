# history as JSON Lines: findings as the walk reaches them, oldest commit first; a secret
# is reported once per path, at the commit that introduced it, as in the sorted report
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q repo
cd repo
printf 'GH = "%s"\n' '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' > z.py
git add -A
at 2025-01-01T00:00:00Z -m one
printf '# edited\nGH = "%s"\n' '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' > z.py
printf 'key = %s\n' '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' > a.cfg
git add -A
at 2025-01-02T00:00:00Z -m two
git mv z.py moved.py
at 2025-01-03T00:00:00Z -m three
