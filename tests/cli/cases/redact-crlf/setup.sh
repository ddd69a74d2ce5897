# CRLF, lone CR and LF line endings are kept byte for byte, including on the lines where a
# secret is masked (the secret ends right before the CR) and on an empty CRLF line
printf 'line one\r\ntoken=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\r\n\r\nmixed lf\nprogress 10%%\rprogress 100%%\r\nkey=AKIAPYJ6ODYWXLD3L7RD\rafter a lone CR\r\n' > in.log
printf 'line one\r\ntoken=[REDACTED:github-pat-classic]\r\n\r\nmixed lf\nprogress 10%%\rprogress 100%%\r\nkey=[REDACTED:aws-access-key-id]\rafter a lone CR\r\n' > want.log
