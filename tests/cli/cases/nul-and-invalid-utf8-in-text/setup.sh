# text with a NUL byte after the first 8 KiB (the binary probe) and bytes that are not UTF-8
# is still text: both secrets are found, and the line with invalid bytes is reported with
# its column in bytes; the preview is escaped, never raw
mkdir tree
{
  printf 'caf\xe9 \xff\xfe key=%s\n' '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'
  head -c 9000 /dev/zero | tr '\0' x; printf '\n'
  printf 'nul here: \0 then token=%s\n' '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'
} > tree/mixed.log
