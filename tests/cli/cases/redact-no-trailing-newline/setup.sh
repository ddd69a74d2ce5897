# no newline at the end of the input: none is added, whether the last line ends with a
# secret, with text, or the input is a single secret with nothing around it
printf 'first\ntoken=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' > ends-with-secret.log
printf 'key=AKIAPYJ6ODYWXLD3L7RD trailing text' > ends-with-text.log
printf 'sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA' > only-secret.log
: > empty.log
