#!/usr/bin/env python3
"""Writes a big, realistic application log for the `leakscan redact` benchmark.

usage: make-log.py OUT [SIZE] [--seed S]     (OUT "-": stdout; SIZE default 512M;
                                               K, M, G suffixes, powers of 1024)

The mix of a service's logs: plain application lines (timestamp, level, thread,
logger, message), JSON request lines, nginx-style access lines with query strings,
referrers and user agents, HTTP header dumps, SQL debug lines and stack traces.
About every 1,000 lines (500 to 1,500 apart) a fake secret is planted, in turn
from several providers and log shapes: Anthropic, OpenAI project, AWS access key
id, GitHub classic PAT (with a valid CRC-32), Slack bot token, Stripe live key,
Google API key, a JSON "password" field, an Authorization: Bearer header, a
password in a URL. Every key is random (fake), drawn from a seeded generator:
the same seed and size give the same bytes. A summary goes to stderr.
"""
import argparse, random, sys, zlib

ap = argparse.ArgumentParser()
ap.add_argument("out")
ap.add_argument("size", nargs="?", default="512M")
ap.add_argument("--seed", type=int, default=1)
a = ap.parse_args()


def parse_size(s):
    mult = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    s = s.strip().upper()
    if s and s[-1] in mult:
        return int(float(s[:-1]) * mult[s[-1]])
    return int(s)


size = parse_size(a.size)
rnd = random.Random(a.seed)
A62 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
URLSAFE = A62 + "-_"
B32 = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"


def rs(alphabet, n):
    return "".join(rnd.choices(alphabet, k=n))


def b62(n, width):
    out = ""
    while n:
        n, r = divmod(n, 62)
        out = B62[r] + out
    return out.rjust(width, "0")


def ghp():
    body = rs(A62, 30)
    return "ghp_" + body + b62(zlib.crc32(body.encode()), 6)


# (name, function returning the whole log line); the secret is made fresh each time
def ts():
    return "2026-11-25T%02d:%02d:%02d.%03dZ" % (
        rnd.randrange(24), rnd.randrange(60), rnd.randrange(60), rnd.randrange(1000))


SECRETS = [
    ("anthropic", lambda: "%s WARN  [worker-%d] llm.client: retrying with key %s after 429"
     % (ts(), rnd.randrange(16), "sk-ant-api03-" + rs(URLSAFE, 93) + "AA")),
    ("openai-project", lambda: '{"ts":"%s","level":"debug","msg":"openai request","api_base":"https://api.openai.com/v1","key":"%s"}'
     % (ts(), "sk-proj-" + rs(URLSAFE, 74) + "T3BlbkFJ" + rs(URLSAFE, 74))),
    ("aws-access-key-id", lambda: "%s DEBUG [main] boto.env: AWS_ACCESS_KEY_ID=%s region=eu-west-1"
     % (ts(), "AKIA" + rs(B32, 16))),
    ("github-pat", lambda: "%s ERROR [ci-7] git.push: remote rejected for token %s (scope repo)"
     % (ts(), ghp())),
    ("slack-bot", lambda: "%s INFO  [notify] slack: posting with xoxb-%d-%d-%s to #alerts"
     % (ts(), rnd.randrange(10**10, 10**11), rnd.randrange(10**12, 10**13), rs(A62, 24))),
    ("stripe-live", lambda: "%s WARN  [billing-2] stripe.client: sk_%s_%s rate limited"
     % (ts(), "live", rs(A62, 24))),
    ("google-api", lambda: "%s INFO  [geo] maps: geocode via https://maps.googleapis.com/maps/api/geocode/json?address=Lisbon&key=AIza%s"
     % (ts(), rs(URLSAFE, 35))),
    ("json-password", lambda: '{"ts":"%s","level":"info","msg":"signup","user":"u%d","password":"%s","plan":"pro"}'
     % (ts(), rnd.randrange(10**6), rs(A62 + "!#%", 14))),
    ("bearer-header", lambda: "> Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.%s.%s"
     % (rs(URLSAFE, 40), rs(URLSAFE, 43))),
    ("url-password", lambda: "%s INFO  [db] pool: connecting to postgres://app_rw:%s@db-%d.internal:5432/orders"
     % (ts(), rs(A62, 20), rnd.randrange(1, 9))),
]

LEVELS = ["INFO "] * 12 + ["DEBUG"] * 6 + ["WARN "] * 2 + ["ERROR"]
LOGGERS = ["order.service", "cart.handler", "auth.session", "search.index", "mail.queue",
           "inventory.sync", "payment.gateway", "http.server", "cache.redis", "scheduler"]
MESSAGES = [
    "processed order %d for customer %d in %dms",
    "cache miss for key product:%d (ttl %d s), loaded in %dms",
    "user %d logged in (session %d, %d active)",
    "reindexed %d documents in %d batches (%dms)",
    "queued %d mails, %d retries pending, oldest %ds",
    "sync finished: %d updated, %d unchanged, %d failed",
    "payment %d authorized, amount %d cents, %dms",
    "slow request: %d ms over the %d ms budget (%d spans)",
    "job %d scheduled in %d s (queue depth %d)",
    "session %d renewed, expires in %d s, %d active",
]
METHODS = ["GET"] * 8 + ["POST"] * 3 + ["PUT", "DELETE", "PATCH"]
PATHS = ["/api/v1/items", "/api/v1/orders", "/api/v1/users", "/api/v2/search", "/static/app.js",
         "/static/css/site.css", "/healthz", "/api/v1/cart", "/login", "/api/v1/items/%d/reviews"]
QUERIES = ["", "", "?page=%d&sort=asc", "?q=shoes&page=%d", "?lang=en&limit=%d", "?utm_source=mail&id=%d"]
AGENTS = ["Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36",
          "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148",
          "curl/8.5.0", "python-requests/2.32.3", "Go-http-client/2.0", "kube-probe/1.31"]
HEADERS = ["> Accept: application/json", "> User-Agent: curl/8.5.0", "> Host: api.example.com",
           "< HTTP/1.1 200 OK", "< Content-Type: application/json; charset=utf-8",
           "< Content-Length: %d", "< X-Request-Id: %08x-%04x-%04x", "> Accept-Encoding: gzip, br",
           "< Cache-Control: max-age=%d", "< Date: Tue, 25 Nov 2026 10:%02d:%02d GMT"]
STACK = ["    at com.acme.orders.OrderService.process(OrderService.java:%d)",
         "    at com.acme.http.Router.dispatch(Router.java:%d)",
         "    at java.base/java.util.concurrent.ThreadPoolExecutor.runWorker(ThreadPoolExecutor.java:%d)",
         "Caused by: java.net.SocketTimeoutException: Read timed out after %d ms",
         '  File "/srv/app/handlers.py", line %d, in handle']


def fill(fmt):
    return fmt % tuple(rnd.randrange(1, 10 ** rnd.randrange(2, 6)) for _ in range(fmt.count("%")))


def plain():
    return "%s %s [%s-%d] %s: %s" % (ts(), rnd.choice(LEVELS), rnd.choice(["worker", "http", "main", "sched"]),
                                    rnd.randrange(16), rnd.choice(LOGGERS), fill(rnd.choice(MESSAGES)))


def json_req():
    path = rnd.choice(PATHS)
    if "%d" in path:
        path = path % rnd.randrange(100000)
    return ('{"ts":"%s","level":"info","logger":"http.access","method":"%s","path":"%s","status":%d,'
            '"duration_ms":%.1f,"bytes":%d,"user_id":%d,"request_id":"%08x-%04x-%04x-%04x-%012x"}'
            % (ts(), rnd.choice(METHODS), path, rnd.choice([200] * 20 + [201, 204, 301, 304, 400, 404, 500]),
               rnd.random() * 300, rnd.randrange(100, 90000), rnd.randrange(1, 10**6),
               rnd.getrandbits(32), rnd.getrandbits(16), rnd.getrandbits(16), rnd.getrandbits(16),
               rnd.getrandbits(48)))


def access():
    path = rnd.choice(PATHS)
    if "%d" in path:
        path = path % rnd.randrange(100000)
    q = rnd.choice(QUERIES)
    if "%d" in q:
        q = q % rnd.randrange(1, 50)
    return '10.%d.%d.%d - - [25/Nov/2026:10:%02d:%02d +0000] "%s %s%s HTTP/1.1" %d %d "https://shop.example.com/" "%s"' % (
        rnd.randrange(256), rnd.randrange(256), rnd.randrange(256), rnd.randrange(60), rnd.randrange(60),
        rnd.choice(METHODS), path, q, rnd.choice([200] * 15 + [304, 404, 302]), rnd.randrange(0, 60000),
        rnd.choice(AGENTS))


def header():
    return fill(rnd.choice(HEADERS))


def stack():
    return fill(rnd.choice(STACK))


def sql():
    return "%s DEBUG [db-%d] sql: SELECT id, name, price FROM items WHERE category_id = $1 AND stock > $2 [%d, %d] (%.2fms)" % (
        ts(), rnd.randrange(8), rnd.randrange(100), rnd.randrange(10), rnd.random() * 5)


KINDS = [plain] * 40 + [json_req] * 25 + [access] * 20 + [header] * 8 + [stack] * 4 + [sql] * 3

out = sys.stdout.buffer if a.out == "-" else open(a.out, "wb")
written = nlines = total = 0
planted = {name: 0 for name, _ in SECRETS}
next_secret = rnd.randrange(500, 1501)
turn = 0
while written < size:
    batch, kinds = [], []  # kinds: (index in batch, secret name)
    for _ in range(4096):
        if nlines == next_secret:
            name, make = SECRETS[turn % len(SECRETS)]
            turn += 1
            kinds.append((len(batch), name))
            batch.append(make())
            next_secret = nlines + rnd.randrange(500, 1501)
        else:
            batch.append(rnd.choice(KINDS)())
        nlines += 1
    chunk = ("\n".join(batch) + "\n").encode()
    keep = len(batch)
    if written + len(chunk) > size:  # end on a whole line, at or just under SIZE
        cut = chunk.rfind(b"\n", 0, size - written)
        chunk = chunk[:cut + 1]
        keep = chunk.count(b"\n")
    for i, name in kinds:
        if i < keep:
            planted[name] += 1
    total += keep
    out.write(chunk)
    written += len(chunk)
    if keep < len(batch):
        break
out.flush()
if out is not sys.stdout.buffer:
    out.close()
print("make-log: %d bytes, %d lines, seed %d; %d secrets planted: %s"
      % (written, total, a.seed, sum(planted.values()),
         ", ".join("%s %d" % kv for kv in planted.items())), file=sys.stderr)
