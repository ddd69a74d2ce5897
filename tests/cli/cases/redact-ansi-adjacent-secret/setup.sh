# A secret right after an ANSI SGR sequence (a highlighted value: ESC[1m KEY ESC[0m) is
# still a secret. The rules' left boundaries ((?<![A-Za-z0-9_-]), \b) see the "m" that
# ends the escape sequence as part of a word, so none of these is masked today, and
# neither does the scanner report them.
printf 'anthropic=\033[1msk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA\033[0m\ngithub=\033[33m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\033[0m\naws=\033[1;31mAKIAPYJ6ODYWXLD3L7RD\033[0m\n' > in.log
