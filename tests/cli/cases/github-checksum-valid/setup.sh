# ghp_ + 30 base62 characters + their CRC-32 in 6 base62 characters (computed offline):
# the checksum holds, so the finding is validated and keeps the rule's severity
mkdir tree
printf 'GITHUB_TOKEN=%s\n' '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' > tree/ci.env.txt
