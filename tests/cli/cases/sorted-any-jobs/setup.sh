# findings sorted by (path as bytes, line, column, rule), whatever the number of threads:
# paths "A.txt" < "a-b.txt" < "a.txt" < "a/b.txt" < "b.txt"; line 2 before line 10;
# column 3 before column 46; and 40 clean files so that threads have work to share
mkdir -p tree/a
for i in $(seq -w 1 40); do printf 'clean file %s\n' "$i" > tree/f$i.txt; done
printf 'token=%s\n' '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' > tree/A.txt
printf '# header\nkey=%s\n' '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' > tree/a-b.txt
printf 'x=%s y=%s\n# comment\nkey=%s\n' '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' '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' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > tree/a.txt
printf 'token=%s\n' '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' > tree/a/b.txt
{ printf '# b\nkey=%s\n' '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'; for i in 3 4 5 6 7 8 9; do printf '#\n'; done; printf 'token=%s\n' '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'; } > tree/b.txt
