# The spec (issue 7): passwords in URLs, `scheme://user:pass@host` ->
# `scheme://user:[REDACTED]@host`. In a log a password is a password: weak or
# placeholder-looking ones (the spec's own "pass", "password1", a short one, a
# low-entropy one) must be masked too, unlike in a repository scan.
cat > app.log <<'LOG'
GET https://user:pass@api.example.org/v1 200
fetch https://ana:password1@repo.example.org/simple/ 401
login ftp://deploy:Zx@files.example.org/pub ok
proxy http://bob:aaaaaaaa@proxy.example.org:3128 ok
LOG
