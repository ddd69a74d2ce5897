# the only finding is low (a GitHub token whose checksum fails): the default --fail-on is low,
# so the scan exits 1
git init -q repo
cd repo
printf 'token=%s\n' 'ghp_kBdWD1IsQemjithsm2DV5rsAu2JDXq2oNZWB' > ci.cfg
git add -A
git commit -qm init
