# config files saved as UTF-16 (with a byte order mark, as Windows editors write them): the
# text is scanned as UTF-8, little and big endian, a non-ASCII character before the key too
mkdir tree
{ printf '\xff\xfe'; printf 'caf\xc3\xa9=1\nkey=sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA\n' | iconv -f UTF-8 -t UTF-16LE; } > tree/le.ini
{ printf '\xfe\xff'; printf 'token: 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\n' | iconv -f UTF-8 -t UTF-16BE; } > tree/be.yaml
