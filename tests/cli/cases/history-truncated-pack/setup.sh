# a pack file cut short: git cannot read the objects in it; the scan says which ref has a
# missing or corrupt target and exits 3 (no crash, no silent success)
git init -q repo
cd repo
for i in 1 2 3; do
  seq 1 500 | sed "s/^/line $i /" > f$i.txt
  git add -A
  git commit -qm "c$i"
done
git gc -q
p=$(ls .git/objects/pack/*.pack)
chmod u+w "$p"
truncate -s $(( $(stat -c %s "$p") - 100 )) "$p"
