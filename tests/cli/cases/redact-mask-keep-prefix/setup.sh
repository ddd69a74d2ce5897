# --mask STRING replaces the default [REDACTED:<rule-id>]; --keep-prefix N keeps the first
# N characters of each secret (the spec's example: sk-ant-api03-[REDACTED]); both apply
# to every rule, and --keep-prefix alone keeps the default mask
printf 'key=sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA\ntoken=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\n' > app.log
