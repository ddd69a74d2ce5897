#!/usr/bin/env bash
# stream.sh - a big stream through `leakscan redact`: bounded memory, exact output.
#
#   bash tests/redact/stream.sh LEAKSCAN-BINARY [SIZE-BYTES [MAX-RSS-KIB]]
#
# SIZE (default 1 GiB) bytes of log lines with a fake key every 1000 lines (Anthropic,
# GitHub, AWS in turn) go through the redactor by a pipe. Checks:
#   - the output is byte for byte the input with each planted key replaced by its mask
#     (md5 of the output == md5 of the expected stream, generated the same way);
#   - the number of masks equals the number of planted keys;
#   - the redactor's maximum resident set size is under MAX-RSS-KIB (default 65536,
#     i.e. 64 MiB; 0 skips the check, e.g. for sanitizer builds);
#   - exit status 0 and nothing on stderr.
# Needs bash, coreutils (head, md5sum, tee, wc), grep, sed, awk; /usr/bin/time if present, else
# the peak is read from /proc/PID/status (VmHWM; also with STREAM_NO_TIME=1).
set -u
LC_ALL=C
export LC_ALL

die() { printf 'stream: FAIL: %s\n' "$*"; exit 1; }

[ $# -ge 1 ] || { echo "usage: stream.sh LEAKSCAN [SIZE-BYTES [MAX-RSS-KIB]]" >&2; exit 2; }
bin=$1
size=${2:-1073741824}
max_rss=${3:-65536}
[ -x "$bin" ] || die "$bin: not an executable"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/leakscan-stream.XXXXXX") || die "mktemp"
trap 'rm -rf "$tmp"' EXIT

anth='sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA'
ghp='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'
aws='AKIAPYJ6ODYWXLD3L7RD'

# one block: 3000 lines, a key on lines 1000, 2000 and 3000. The stream repeats it; the
# same block with the masks in place, repeated as often, is the expected output.
filler() {
    local base=$1 i
    for ((i = 1; i < 1000; i++)); do
        printf '2026-11-25T10:%02d:%02d.%03dZ INFO  [worker-%d] GET /api/v1/items/%d?page=%d status=200 bytes=%d dur_ms=%d\n' \
            $((i % 60)) $((i * 7 % 60)) $((i % 1000)) $((i % 8)) $((base + i)) $((i % 17)) $((i * 37)) $((i % 250))
    done
}
{
    filler 0
    printf '2026-11-25T10:59:59.001Z WARN  [worker-1] retrying with key %s after 429\n' "$anth"
    filler 1000
    printf '{"ts":"2026-11-25T10:59:59.002Z","level":"error","msg":"push failed","token":"%s"}\n' "$ghp"
    filler 2000
    printf '2026-11-25T10:59:59.003Z DEBUG [worker-3] env AWS_ACCESS_KEY_ID=%s\n' "$aws"
} > "$tmp/block"
sed -e "s/$anth/[REDACTED:anthropic-api-key]/" -e "s/\"token\":\"$ghp\"/\"token\":\"[REDACTED:github-pat-classic]\"/" \
    -e "s/$aws/[REDACTED:aws-access-key-id]/" "$tmp/block" > "$tmp/want-block"
blen=$(wc -c < "$tmp/block")
wlen=$(wc -c < "$tmp/want-block")
nblocks=$(( size / blen ))
[ "$nblocks" -ge 1 ] || die "size $size is smaller than one block ($blen bytes)"
in_bytes=$(( nblocks * blen ))
out_bytes=$(( nblocks * wlen ))
planted=$(( nblocks * 3 ))
# chunks of 64 blocks (about 20 MB) on disk, catted as often as needed: few processes
for ((i = 0; i < 64; i++)); do cat "$tmp/block"; done > "$tmp/chunk"
for ((i = 0; i < 64; i++)); do cat "$tmp/want-block"; done > "$tmp/want-chunk"
repeat() { # FILE BYTES: FILE over and over, BYTES in all
    local n=$(( $2 / $(wc -c < "$1") + 1 )) i
    for ((i = 0; i < n; i++)); do cat "$1" || return; done | head -c "$2"
}

# the redactor, its peak RSS in KiB written to $tmp/rss
run_redact() {
    if [ -x /usr/bin/time ] && [ -z "${STREAM_NO_TIME:-}" ]; then
        /usr/bin/time -f %M -o "$tmp/rss" "$bin" redact
    else
        "$bin" redact &
        local pid=$! hwm=0 v
        while kill -0 $pid 2>/dev/null; do
            v=$(sed -n 's/^VmHWM:[[:space:]]*\([0-9]*\) kB/\1/p' /proc/$pid/status 2>/dev/null)
            [ -n "$v" ] && hwm=$v
            sleep 0.05
        done
        wait $pid
        local rc=$?
        echo "$hwm" > "$tmp/rss"
        return $rc
    fi
}

start=$(date +%s.%N)
repeat "$tmp/chunk" "$in_bytes" | run_redact 2>"$tmp/stderr" |
    tee >(grep -a -o -F '[REDACTED:' | wc -l > "$tmp/masks") | md5sum > "$tmp/got.md5"
status=("${PIPESTATUS[@]}")
end=$(date +%s.%N)
wait   # the process substitution
repeat "$tmp/want-chunk" "$out_bytes" | md5sum > "$tmp/want.md5"

rss=$(tail -n 1 "$tmp/rss" 2>/dev/null)
masks=$(cat "$tmp/masks" 2>/dev/null)
secs=$(awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f", b - a }')
printf 'stream: %d bytes in (%d blocks), %d keys planted, %s masks, max RSS %s KiB, %s s\n' \
    "$in_bytes" "$nblocks" "$planted" "${masks:-?}" "${rss:-?}" "$secs"

fail=0
[ "${status[2]}" = 0 ] || { echo "stream: FAIL: leakscan redact exited ${status[2]}"; fail=1; }
if [ -s "$tmp/stderr" ]; then
    echo "stream: FAIL: stderr not empty:"; head -c 2000 "$tmp/stderr"; fail=1
fi
[ "$masks" = "$planted" ] || { echo "stream: FAIL: $masks masks, $planted keys planted"; fail=1; }
cmp -s "$tmp/got.md5" "$tmp/want.md5" ||
    { echo "stream: FAIL: the output is not the input with exactly the planted keys masked"; fail=1; }
if [ "$max_rss" -gt 0 ]; then
    if [ -z "$rss" ] || [ "$rss" -le 0 ]; then
        echo "stream: FAIL: could not measure the RSS"; fail=1
    elif [ "$rss" -gt "$max_rss" ]; then
        echo "stream: FAIL: max RSS $rss KiB > $max_rss KiB"; fail=1
    fi
fi
[ $fail -eq 0 ] && echo "stream: ok"
exit $fail
