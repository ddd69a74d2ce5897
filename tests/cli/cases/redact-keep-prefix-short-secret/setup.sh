# --keep-prefix N is set for long provider keys (13 for sk-ant-api03-), but it applies to
# every secret: a secret of N characters or fewer is then printed IN FULL, followed by the
# mask. A redactor must never write a whole secret: at least part of each one must go
# (e.g. keep at most len-1, or half of the secret, whichever is smaller).
printf '{"user":"ana","password":"Tr0ub4dor-x9"}\nAWS_ACCESS_KEY_ID=AKIAPYJ6ODYWXLD3L7RD\n' > app.log
