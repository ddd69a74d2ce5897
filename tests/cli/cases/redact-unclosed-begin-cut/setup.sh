# A log line that merely shows a PEM header ("-----BEGIN CERTIFICATE----- (truncated)")
# makes the redactor hold everything after it, waiting for an END line that never comes,
# until the 1 MiB window is full; it then cuts at 1 MiB - 16 KiB (byte 1032192 from the
# header) wherever that falls, inside an ordinary short line. If the cut falls inside
# " password=" (or between it and the value), the value leaks: the same loss of context
# as in redact-long-line-cut, here with lines of normal length.
# Two files: "password=" starts 4 and 9 bytes before the cut (the value 5 and 0 after it).
for before in 4 9; do
    header='-----BEGIN CERTIFICATE----- (truncated)'
    { printf -- '%s\n' "$header"
      yes 'INFO request served in 12 ms by worker 7 of pool main' |
          head -c $((1032192 - before - ${#header} - 1 - 1))
      printf ' password=hunter2Qm9zXy now\n'
      yes 'INFO request served in 12 ms by worker 7 of pool main' | head -n 3000
    } > "before$before.log"
done
