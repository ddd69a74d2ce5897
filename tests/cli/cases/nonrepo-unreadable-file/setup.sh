# outside a repository: an unreadable file is named on stderr, counted, exit 3, and the
# finding in the other file is still reported
mkdir -p tree/sub
printf 'key=%s\n' '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' > tree/sub/visible.txt
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > tree/secret.txt
chmod 000 tree/secret.txt

# chmod 000 does not stop root: as root, the scan runs as nobody (uid 65534) on a copy of
# the binary, over a tree that nobody owns and can reach
if [ "$(id -u)" = 0 ]; then
    cp "$LEAKSCAN" "$WORK/leakscan"
    chmod 755 "$WORK" "$WORK/leakscan"
    chown -R 65534:65534 "$WORK/tree"
fi
