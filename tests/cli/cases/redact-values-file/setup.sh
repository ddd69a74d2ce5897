# --values-file: one value per line; CRLF line endings and blank lines in the file are
# not part of any value; a value may hold spaces. Each is masked, with its encodings.
#   printf '%s' 'correct horse 42' | base64  ->  Y29ycmVjdCBob3JzZSA0Mg==
printf 'correct horse 42\r\n\r\nvault-s.Qm9zXy8T\r\n' > values.txt
cat > app.log <<'LOG'
{"msg":"unlocking with correct horse 42","ok":true}
{"msg":"blob","data":"Y29ycmVjdCBob3JzZSA0Mg=="}
VAULT=vault-s.Qm9zXy8T; url=/x?p=correct%20horse%2042
correct horse 4 and vault-s.Qm9 are not the values
LOG
