# ANSI colour codes pass through byte for byte, around masked secrets too (a coloured
# level, a coloured key name before "=", a reset right after the secret, 256-colour and
# cursor sequences)
printf '\033[32mINFO\033[0m started\n\033[31mERROR\033[0m \033[36mtoken\033[0m=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\033[0m done\n\033[38;5;208mWARN\033[0m key: AKIAPYJ6ODYWXLD3L7RD \033[2K\033[1G\n' > in.log
printf '\033[32mINFO\033[0m started\n\033[31mERROR\033[0m \033[36mtoken\033[0m=[REDACTED:github-pat-classic]\033[0m done\n\033[38;5;208mWARN\033[0m key: [REDACTED:aws-access-key-id] \033[2K\033[1G\n' > want.log
