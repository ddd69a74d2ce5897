# a FIFO in the tree is never opened (opening it would block): skipped as not a regular file
mkdir -p tree
mkfifo tree/pipe
printf 'token=%s\n' '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' > tree/a.txt
