# --check: exit 1 when anything was redacted (the output is still written, masked);
# --check with --stats: both
printf 'ok line\nAWS_ACCESS_KEY_ID=AKIAPYJ6ODYWXLD3L7RD\n' > app.log
