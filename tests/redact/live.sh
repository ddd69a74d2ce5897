#!/usr/bin/env bash
# live.sh - `tail -f | leakscan redact` is live: each line comes out, redacted, as soon
# as it is complete, before the input ends.
#
#   bash tests/redact/live.sh LEAKSCAN-BINARY [unclosed-begin]
#
# The redactor reads a FIFO we write to and writes a FIFO we read from. We send a line
# with a secret (in two writes, split inside the secret), read the redacted line back
# with a timeout while the input is still open, then a second line, then a line that is
# not finished (it must not come out yet), finish it, close the input: the redactor
# writes what is left and exits 0.
#
# unclosed-begin: a log line that shows a PEM header without its block ("-----BEGIN
# CERTIFICATE----- (truncated)", a message quoting a header) must not stop the stream:
# it and the lines after it still come out live (the redactor holds a PEM block until its
# END line; a header whose END never comes must not hold the log up to the 1 MiB window).
set -u
LC_ALL=C
export LC_ALL

bin=${1:?usage: live.sh LEAKSCAN-BINARY [unclosed-begin]}
mode=${2:-basic}
[ -x "$bin" ] || { echo "live: FAIL: $bin: not an executable"; exit 1; }
tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakscan-live.XXXXXX") || exit 1
pid=
cleanup() {
    exec 3>&- 4<&- 2>/dev/null
    [ -n "$pid" ] && kill "$pid" 2>/dev/null
    rm -rf "$tmp"
}
trap cleanup EXIT

fail=0
bad() { echo "live: FAIL: $*"; fail=1; }
T=5  # seconds to wait for a line: generous, a live redactor answers in milliseconds

mkfifo "$tmp/in" "$tmp/out" || exit 1
"$bin" redact ${LIVE_OPTS:-} < "$tmp/in" > "$tmp/out" 2> "$tmp/err" &
pid=$!
exec 3> "$tmp/in"   # the redactor's open of its stdin returns
exec 4< "$tmp/out"  # and then that of its stdout

if [ "$mode" = unclosed-begin ]; then
    printf 'INFO loading cert -----BEGIN CERTIFICATE----- (truncated)\n' >&3
    if IFS= read -r -t $T line <&4; then
        [ "$line" = 'INFO loading cert -----BEGIN CERTIFICATE----- (truncated)' ] || bad "line 1: '$line'"
    else
        bad "a line with an unclosed -----BEGIN header not written within $T s (not live)"
    fi
    printf 'INFO next request token=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\n' >&3
    if IFS= read -r -t $T line <&4; then
        [ "$line" = 'INFO next request token=[REDACTED:github-pat-classic]' ] || bad "line 2: '$line'"
    else
        bad "the line after an unclosed -----BEGIN header not written within $T s (not live)"
    fi
    printf 'no newline at the end' >&3
else
    key='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'
    printf 'first token=%s' "${key:0:20}" >&3
    sleep 0.2
    printf '%s end\n' "${key:20}" >&3
    if IFS= read -r -t $T line <&4; then
        [ "$line" = 'first token=[REDACTED:github-pat-classic] end' ] || bad "line 1: '$line'"
    else
        bad "line 1 not written within $T s while the input is open (not live)"
    fi

    printf 'second AKIAPYJ6ODYWXLD3L7RD\n' >&3
    if IFS= read -r -t $T line <&4; then
        [ "$line" = 'second [REDACTED:aws-access-key-id]' ] || bad "line 2: '$line'"
    else
        bad "line 2 not written within $T s while the input is open (not live)"
    fi

    # an unfinished line is held (its end may hold a secret): nothing to read yet
    printf 'third, unfinished ' >&3
    if IFS= read -r -t 0.5 line <&4; then
        bad "an unfinished line was written before its end: '$line'"
    fi
    printf 'and finished\nno newline at the end' >&3
    if IFS= read -r -t $T line <&4; then
        [ "$line" = 'third, unfinished and finished' ] || bad "line 3: '$line'"
    else
        bad "line 3 not written within $T s"
    fi
fi

exec 3>&-          # EOF: the rest comes out, the redactor exits
rest=$(timeout $T cat <&4)
[ "$rest" = 'no newline at the end' ] || bad "after EOF: '${rest:0:400}'"
exec 4<&-
wait "$pid"
rc=$?
pid=
[ $rc -eq 0 ] || bad "exit status $rc"
[ -s "$tmp/err" ] && { bad "stderr:"; cat "$tmp/err"; }
[ $fail -eq 0 ] && echo "live: ok ($mode${LIVE_OPTS:+ $LIVE_OPTS})"
exit $fail
