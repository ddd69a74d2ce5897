# fail_on in .leakscan.yaml sets the default threshold: the only finding is low (a GitHub
# token whose checksum fails), fail_on: high lets it through (exit 0), still reported
git init -q repo
cd repo
printf 'token=%s\n' 'ghp_kBdWD1IsQemjithsm2DV5rsAu2JDXq2oNZWB' > ci.cfg
printf 'fail_on: high\n' > .leakscan.yaml
git add -A
git commit -qm init
