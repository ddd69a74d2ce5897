# Secrets in URLs: query parameters (?api_key=, &sig=, ?code=, X-Amz-Signature) and
# passwords in scheme://user:pass@host for several schemes. Only the secret goes; the
# user name, the host, the other parameters and the fragment stay.
cat > access.log <<'LOG'
10.0.0.1 - - [25/Nov/2026:10:00:00 +0000] "GET /api/items?page=2&api_key=Zq8mK2vB7nL3pR8s&sort=asc HTTP/1.1" 200 512
10.0.0.2 - - [25/Nov/2026:10:00:01 +0000] "GET /cb?state=xyz&code=Ab12Cd34Ef56#top HTTP/1.1" 302 0
redirect to https://files.example.org/a.bin?X-Amz-Signature=4f9c2e7a1b&X-Amz-Expires=300
GET https://blob.example.net/c/d?sv=2022-11-02&sig=tcpCIdfl9YWpA9q5%2BzP7e HTTP/1.1
fetch https://ci-reader:fD92qCuKHNVdQDnvtr@pypi.internal.acme.io/simple/ failed
proxy http://svc-proxy:UnMal2AO2s5ArfQZeYVBjJqb@proxy.acme.io:3128 connected
DATABASE_URL=postgres://orders_rw:fD92qCuKHNVdQ7nvtQ@db-prod.internal.acme.io:5432/orders?sslmode=require
broker amqp://svc:Hx7Qp2Lm9Vr4@mq.acme.io:5672/ up
GET /api/items?page=2&sort=asc HTTP/1.1
see https://ana@git.example.org/r.git and https://h.example.org:8443/x
LOG
