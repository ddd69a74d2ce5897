# "-" alone reads stdin, like no argument at all
printf 'token=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\nplain\n' > in.log
