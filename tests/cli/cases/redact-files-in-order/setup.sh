# several FILE arguments are read in order, into one output; "-" among them is stdin, at
# its place; a file without a final newline is not given one (the next file's first line
# follows it directly, as with cat); each file is redacted
printf 'one: key=AKIAPYJ6ODYWXLD3L7RD\n' > 1.log
printf 'two: token=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' > 2.log
printf 'three: {"password":"hunter2-Qm9z"}\r\n' > 3.log
printf 'from stdin: sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA\n' > stdin.log
