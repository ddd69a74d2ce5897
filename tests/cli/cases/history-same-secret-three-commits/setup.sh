# the same token stays in settings.py through three later commits that edit other lines of
# the file (three different blobs): one finding, attributed to the earliest of them
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
tok=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
git init -q repo
cd repo
printf '# demo\n' > README.md
git add -A
at 2024-02-01T09:00:00Z -m init
printf 'DEBUG = False\nGITHUB_TOKEN = "%s"\n' "$tok" > settings.py
git add -A
at 2024-02-02T09:00:00Z -m 'settings'
git rev-parse HEAD > ../want-commit
printf 'DEBUG = True\nGITHUB_TOKEN = "%s"\n' "$tok" > settings.py
git add -A
at 2024-02-03T09:00:00Z -m 'debug on'
printf 'DEBUG = True\nGITHUB_TOKEN = "%s"\nTIMEOUT = 30\n' "$tok" > settings.py
git add -A
at 2024-02-04T09:00:00Z -m 'timeout'
printf '# settings\nDEBUG = True\nGITHUB_TOKEN = "%s"\nTIMEOUT = 30\n' "$tok" > settings.py
git add -A
at 2024-02-05T09:00:00Z -m 'header'
# four distinct blobs of settings.py in the history
test "$(git log --format=%H -- settings.py | wc -l)" -eq 4
