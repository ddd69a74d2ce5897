# a 2 GiB sparse file is skipped by its size (never read), quickly; the other file is scanned
mkdir tree
truncate -s 2G tree/huge.log
printf 'key=%s\n' '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' > tree/small.txt
