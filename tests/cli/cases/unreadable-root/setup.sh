# the directory to scan cannot be read: a runtime error (exit 3) that names it
mkdir -p tree
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > tree/secret.txt
chmod 000 tree
# chmod 000 does not stop root: as root, the scan runs as nobody (uid 65534) on a copy of
# the binary, over a tree that nobody owns and can reach
if [ "$(id -u)" = 0 ]; then
    cp "$LEAKSCAN" "$WORK/leakscan"
    chmod 755 "$WORK" "$WORK/leakscan"
    chown -R 65534:65534 "$WORK/tree"
fi
