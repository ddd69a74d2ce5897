# --check: exit 0 when nothing was redacted, including lines that only look related
# (the scanner's placeholders, a mention of a password, an empty password)
printf 'ok line\naws_access_key_id = AKIAIOSFODNN7EXAMPLE\npassword reset link sent to ana@example.org\n{"password": ""}\n' > app.log
