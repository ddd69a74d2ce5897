# a read error (a directory given as FILE: read fails with EISDIR) after a file that was
# read: its redacted output is written first, then the message, exit 3; also with --check
# (a runtime error wins over "something was redacted") and --buffered (what was held in
# the buffer is still written)
mkdir adir
printf 'key=AKIAPYJ6ODYWXLD3L7RD\nlast line without newline' > first.log
