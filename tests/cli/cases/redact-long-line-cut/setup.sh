# A line longer than the window (1 MiB) is written in pieces: the redactor cuts it at
# 1 MiB - 16 KiB (byte 1032192) and keeps the rest for the next round. A `key=value`
# secret is masked by its context: when the cut falls between the start of
# "password=" and the start of the value, the value was matched inside the window
# (the scanner saw the whole pair) but is dropped because it starts after the cut, and
# the next round no longer sees "password=": the value leaks. The spec: a long line is
# passed through intact, "redacting what can be matched inside the window".
# One file per offset of " password=" around the cut (value at 1032192 + off).
for off in -12 -9 -1 0 1 5 8 9 10 12; do
    n=$((1032192 - 10 + off))
    { head -c $n /dev/zero | tr '\0' a
      printf ' password=hunter2Qm9zXy'
      head -c 100000 /dev/zero | tr '\0' b
      printf '\n'; } > "off$off.log"
done
