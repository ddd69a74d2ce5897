# A PEM private key in a log is masked as one block, from BEGIN to END, whether it
# starts a line or follows a log prefix, with LF or CRLF endings, and when its lines
# arrive in separate reads (held until the END line). The lines around it stay.
# The key is the fake one of rules/generic.yaml (private-key-pem example).
cat > key.pem <<'PEM'
-----BEGIN RSA PRIVATE KEY-----
MIIEpAIBAAKCAQEAozhW4Q6TtkFS0jtwYakJMrTaMXshFJFzED8rLCx4m2IAqXo7
gYj4Gcl4ZY9a2gadAuSJ1nKh/0faK67wuzQszYXElDsTk7K6LAO061aW0WdXKEHH
SLNOhkwuWYslXqON+hHLKliIzkJPCj6Q3DRcJBRh5wfuo18z81Fh18hRuonPlUsH
wqKxk+UXZ18xonfH/BSa9471PTS00hdGYYenWi84YKpea0cc2nzKS1Ahe1l9mRqC
oF0O33kisAWpBCus336rq8NucK7rJWBa7TD02vVJo8AucuivQzRXC2e3YDVhnEf+
mLqP/9rGjpu0bCkCmgT7iGFgyszsfr2RZTSgPRNJVHOqCjdAH8ZGnfXTsWgH+0s0
amANKM+o3iJWOQ0sB/R/GX5qj2DbvrzCuQ5gOGNL4RdRjUIteUeCp9r9a2wi20Gq
LwRRUOOl2kkAhA2mAWacK4oRDR5Q2T6HadvNWCcxJVDNjNKIaRmdzNhFLaj7DxLL
vHIU+z5NwZCeEta0UAfR+tx1rzf5j6PmfgPAw1XWyd9CyBjnWg6bnrIjpeD6AjAE
zxuZRvcwUokky/uxNbZeOXjflVBUQ3prW0T5qTx0/mFkU9BOus5PFvNBn/PU0VMF
1fg=
-----END RSA PRIVATE KEY-----
PEM
{ printf 'before\n'; cat key.pem; printf 'after\n'; } > lf.log
{ printf '2026-11-25 10:00:00 ERROR key dump: '; cat key.pem; printf 'done\n'; } > prefixed.log
{ printf 'before\r\n'; sed 's/$/\r/' key.pem; printf 'after\r\n'; } > crlf.log
