# symlinks (to a file, to a directory) are not followed outside a repository
mkdir -p outside tree
printf 'key=%s\n' 'sk-ant-api03-64xZKiV4-l1j_6ctjtBH4R07Bk0Fl9ZcQHV0a6OycBVUXdrrlbvp2pEoBfVPFivWoFa6pEFGYrfoNU18flBDEVZb4gM0bAA' > outside/secret.txt
printf 'key=%s\n' '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' > tree/plain.txt
ln -s ../outside/secret.txt tree/link.txt
ln -s ../outside tree/linkdir
