# directory symlinks that make loops (to the parent, to itself) cannot make the walk loop
mkdir -p tree/sub
printf 'token=%s\n' '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' > tree/sub/a.txt
ln -s .. tree/sub/up
ln -s . tree/self
ln -s ../.. tree/sub/upup
