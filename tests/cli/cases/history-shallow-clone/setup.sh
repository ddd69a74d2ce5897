# a shallow clone (--depth 1) has only the tip commit: leakscan scans what it has, says on
# stderr that the clone is shallow, and cannot see the token removed before the tip
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d git commit -q "$@"; }
git init -q src
cd src
printf 'token=%s\n' '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' > old.cfg
git add -A
at 2024-10-01T00:00:00Z -m init
git rm -q old.cfg
printf '# demo\n' > README.md
git add -A
at 2024-10-02T00:00:00Z -m 'drop old config'
printf 'key=%s\n' 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > new.env.sample
git add -A
at 2024-10-03T00:00:00Z -m 'new config'
cd ..
git clone -q --depth 1 "file://$PWD/src" repo
test -f repo/.git/shallow
