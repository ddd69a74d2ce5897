# a token inside base64 that is wrapped at 40 columns and glued to a stray byte: decoded,
# found, reported at the encoded text
mkdir tree
b64=$(printf 'github token: %s ok' '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' | base64 -w 40)
printf 'blob: x%s\n' "$b64" > tree/notes.txt
