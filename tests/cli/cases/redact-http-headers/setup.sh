# An HTTP request and response dumped in a log, CRLF line endings: the credentials in
# Authorization, Proxy-Authorization, Cookie and Set-Cookie are masked; the CRs, the
# blank line and a line that merely mentions authorization are kept byte for byte.
printf 'GET /v1/models HTTP/1.1\r\nHost: api.example.org\r\nAuthorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl\r\nproxy-authorization: Basic YW5hOmh1bnRlcjI=\r\nCookie: session=8c1f0e7a9b2d4c6e; theme=dark\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: sid=Zq8mK2vB7nL3; HttpOnly; Secure\r\n\r\nWARN authorization failed for user ana\r\n' > req.log
printf 'GET /v1/models HTTP/1.1\r\nHost: api.example.org\r\nAuthorization: Bearer [REDACTED:log-authorization-header]\r\nproxy-authorization: Basic [REDACTED:log-authorization-header]\r\nCookie: [REDACTED:log-cookie-header]\r\n\r\nHTTP/1.1 200 OK\r\nSet-Cookie: [REDACTED:log-cookie-header]\r\n\r\nWARN authorization failed for user ana\r\n' > want.log
