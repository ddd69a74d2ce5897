# a character device in the tree is never opened (opening a device can block or act): it is
# skipped as not a regular file, named with --verbose, and the rest is scanned
mkdir tree
printf 'key=%s\n' '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' > tree/a.txt
mknod tree/zero c 1 5 || { echo "device-in-tree: cannot mknod (needs root)" >&2; exit 99; }
