# --history needs a git repository: a plain directory is an error (exit 2), not a walk
mkdir tree
printf 'token = %s\n' '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' > tree/ci.cfg
