# The spec: a JSON log line stays valid JSON after redaction. --keep-prefix counts bytes
# and may cut a JSON escape in two: the password "\"quoted\" pw" with --keep-prefix 1
# keeps a lone backslash, and `"\[REDACTED]"` is not valid JSON (\[ is no JSON escape).
# It also cuts UTF-8 characters: "ñandú-secreto" with --keep-prefix 1 keeps the first
# byte of ñ alone, invalid UTF-8, though the spec says "the first N characters".
printf '{"password":"\\"quoted\\" pw","n":1}\n{"password":"\303\261and\303\272-secreto"}\n' > app.log
