# The spec: "Read errors: message and exit 3, with everything read so far already
# written". A FILE that does not exist: the files before it are written (redacted), the
# message names it, exit 3. (Today the files after it are not read at all, unlike cat,
# which goes on; the spec does not say, so that is not checked here.)
printf 'first: key=AKIAPYJ6ODYWXLD3L7RD\nno newline at the end' > first.log
printf 'after\n' > after.log
