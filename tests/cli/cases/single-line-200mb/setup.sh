# one 200 MB line (a minified bundle) with a key in the middle: found, at its column, quickly;
# over the default size limit it is skipped and counted, not read
mkdir tree
{ printf 'var a="'; head -c 100000000 /dev/zero | tr '\0' x
  printf '";var k="%s";' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA'
  head -c 100000000 /dev/zero | tr '\0' y; } > tree/bundle.min.js
