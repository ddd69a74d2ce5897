# outside any repository: a recursive walk of the directory, hidden directories included
mkdir -p tree/sub/deeper tree/.hidden
printf 'key=%s\n' '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' > tree/a.txt
printf '\n\n  token: %s\n' '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' > tree/sub/deeper/b.cfg
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > tree/.hidden/c.txt
printf 'nothing here\n' > tree/sub/clean.txt
