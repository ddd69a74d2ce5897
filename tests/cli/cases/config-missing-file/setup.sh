# a tree with a finding: a configuration error must stop before any scan
mkdir tree
printf 'token=%s\n' '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' > tree/a.txt
