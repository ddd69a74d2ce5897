# the same format with a wrong last checksum character: still reported, at severity low,
# with "validated": false
mkdir tree
printf 'GITHUB_TOKEN=%s\n' 'ghp_Xylp4mNuD81Iq7kpwDXtodY8OVOGV50GcKAA' > tree/ci.env.txt
