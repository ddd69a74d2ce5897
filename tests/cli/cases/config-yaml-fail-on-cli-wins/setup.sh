# --fail-on on the command line overrides fail_on from .leakscan.yaml: low fails again
git init -q repo
cd repo
printf 'token=%s\n' 'ghp_kBdWD1IsQemjithsm2DV5rsAu2JDXq2oNZWB' > ci.cfg
printf 'fail_on: high\n' > .leakscan.yaml
git add -A
git commit -qm init
