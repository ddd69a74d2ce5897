# a file that .gitignore ignores is scanned when it is named on the command line
git init -q repo
cd repo
printf '*.secret\n' > .gitignore
git add -A
git commit -qm init
printf 'key=%s\n' 'sk-ant-api03-o9DIhiVAKlOwGiiDgicZyCHMs9NO3Jnu0oFzHwidslRER-3LNwoJgB_29E1CpdL7ibjtL5Cq_5e6obyqOBiSy3bFcmARtAA' > prod.secret
