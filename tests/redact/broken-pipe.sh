#!/usr/bin/env bash
# broken-pipe.sh - `leakscan redact < big | head -1` exits quietly and quickly.
#
#   bash tests/redact/broken-pipe.sh LEAKSCAN-BINARY
#
# The spec: when downstream closes the pipe, exit quietly (status 0 or 141, as a shell
# filter would), no message. Checked with a big file on stdin, with an endless stdin (the
# redactor must stop by itself), with --buffered, and with SIGPIPE ignored by the parent
# (write then fails with EPIPE instead of killing the process). Each run: the first line
# comes out redacted, nothing on stderr, status 0 or 141, done within 10 s (a normal run
# takes milliseconds; a redactor that went on reading would take far longer, or forever).
set -u
LC_ALL=C
export LC_ALL

bin=${1:?usage: broken-pipe.sh LEAKSCAN-BINARY}
[ -x "$bin" ] || { echo "broken-pipe: FAIL: $bin: not an executable"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakscan-bp.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

line='2026-11-25T10:00:00Z WARN retry with key=AKIAPYJ6ODYWXLD3L7RD and some padding text here'
want='2026-11-25T10:00:00Z WARN retry with key=[REDACTED:aws-access-key-id] and some padding text here'
yes "$line" | head -c 268435456 > "$tmp/big"   # 256 MiB

fail=0
check() { # NAME STATUS-OF-LEAKSCAN FIRST-LINE SECONDS
    local name=$1 st=$2 first=$3 secs=$4
    if [ "$st" != 0 ] && [ "$st" != 141 ]; then
        echo "broken-pipe: FAIL: $name: status $st (0 or 141 expected; 124: timed out)"; fail=1
    fi
    [ "$first" = "$want" ] || { echo "broken-pipe: FAIL: $name: first line '$first'"; fail=1; }
    if [ -s "$tmp/err" ]; then
        echo "broken-pipe: FAIL: $name: stderr not empty:"; head -c 1000 "$tmp/err"; fail=1
    fi
    [ $fail -eq 0 ] && echo "broken-pipe: $name: status $st, ${secs}s, stderr empty"
}
now() { date +%s.%N; }
took() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.2f", b - a }'; }

t=$(now)
first=$(timeout 10 "$bin" redact < "$tmp/big" 2>"$tmp/err" | head -n 1; exit "${PIPESTATUS[0]}")
check "file on stdin" $? "$first" "$(took "$t")"

t=$(now)
first=$(timeout 10 "$bin" redact --buffered < "$tmp/big" 2>"$tmp/err" | head -n 1; exit "${PIPESTATUS[0]}")
check "file on stdin, --buffered" $? "$first" "$(took "$t")"

t=$(now)
first=$(yes "$line" | timeout 10 "$bin" redact 2>"$tmp/err" | head -n 1; exit "${PIPESTATUS[1]}")
check "endless stdin" $? "$first" "$(took "$t")"

t=$(now)
first=$(trap '' PIPE; timeout 10 "$bin" redact "$tmp/big" 2>"$tmp/err" | head -n 1; exit "${PIPESTATUS[0]}")
check "FILE argument, SIGPIPE ignored" $? "$first" "$(took "$t")"

[ $fail -eq 0 ] && echo "broken-pipe: ok"
exit $fail
