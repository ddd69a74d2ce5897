# a stream that cannot be written stops the scan: exit 3, one line, no silent success
mkdir tree
printf 'key=%s\n' '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' > tree/a.txt
