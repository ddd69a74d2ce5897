# file names with a newline and with invalid UTF-8: escaped in text (no forged lines), valid
# UTF-8 in JSON (U+FFFD for the invalid bytes, \n escaped), percent-encoded in SARIF URIs
mkdir tree
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > "$(printf 'tree/new\nline.txt')"
printf 'key=%s\n' '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' > "$(printf 'tree/bad\377\376name.txt')"
