# a report that cannot be written (a full disk) is an error, never a silent success
mkdir tree
printf 'key=%s\n' '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' > tree/a.txt
