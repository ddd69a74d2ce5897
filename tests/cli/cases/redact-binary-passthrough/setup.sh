# Binary and broken text pass through byte for byte: NUL bytes (one right before and one
# right after a secret), invalid UTF-8 (0xff 0xfe, an overlong 0xc0 0x80, a lone
# continuation byte, a truncated sequence at the end of a line), valid UTF-8, all 256
# byte values on one line, and a file that ends on a NUL. Only the secrets change.
{
    printf '\000\001bin\377\376 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\000\300\200tail\n'
    printf 'caf\303\251 \200 \342\202\n'
    printf 'k=\000sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA\000\n'
    printf 'all bytes:'
} > in.bin
{
    printf '\000\001bin\377\376 [REDACTED:github-pat-classic]\000\300\200tail\n'
    printf 'caf\303\251 \200 \342\202\n'
    printf 'k=\000[REDACTED:anthropic-api-key]\000\n'
    printf 'all bytes:'
} > want.bin
all=$(printf '\\%03o' $(seq 0 255))   # \000\001...\377: a printf format
printf "$all" >> in.bin
printf "$all" >> want.bin
printf '\nend\000' | tee -a want.bin >> in.bin
test "$(wc -c < in.bin)" -eq 451
