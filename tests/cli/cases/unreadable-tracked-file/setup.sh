# a tracked file that cannot be read (its mtime moved, so git must read it to know whether
# it changed): named on stderr, counted, exit 3, and the finding in the other file is still
# reported
git init -q repo
cd repo
printf 'token=%s\n' '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' > visible.txt
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > secret.txt
git add -A
git commit -qm init
touch -d '2030-01-01 00:00:00' secret.txt
chmod 000 secret.txt
cd ..

# chmod 000 does not stop root: as root, the scan runs as nobody (uid 65534) on a copy of
# the binary, over a tree that nobody owns and can reach
if [ "$(id -u)" = 0 ]; then
    cp "$LEAKSCAN" "$WORK/leakscan"
    chmod 755 "$WORK" "$WORK/leakscan"
    chown -R 65534:65534 "$WORK/repo"
fi
