# history findings carry the author (not the committer) name and email, and the author date
# in ISO 8601 UTC: 12:30 at +02:00 is 10:30Z
git init -q repo
cd repo
printf 'token = %s\n' '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' > ci.cfg
git add -A
GIT_AUTHOR_NAME='Ada Lovelace' GIT_AUTHOR_EMAIL='ada@example.invalid' \
GIT_AUTHOR_DATE='2025-03-01T12:30:00+02:00' \
GIT_COMMITTER_NAME='Build Bot' GIT_COMMITTER_EMAIL='bot@example.invalid' \
GIT_COMMITTER_DATE='2025-06-30T00:00:00Z' git commit -q -m init
