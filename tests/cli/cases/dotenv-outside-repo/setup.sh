# outside a repository the lint cannot judge ignore status: info, not a failure
mkdir tree
printf "PORT=1\n" > tree/.env
