# Structured loggers often log a request or response body as a JSON string inside the JSON
# log line: its keys are then escaped (\"password\":\"...\"). The value of a sensitive key
# there is as much a secret as at top level (the spec: "values of sensitive keys in JSON
# log lines"), and the line must stay valid JSON. Neither the JSON rule (it wants a bare
# ") nor the key=value rule (it wants = or ": ") masks it today.
cat > app.jsonl <<'JSON'
{"level":"info","msg":"request","body":"{\"user\":\"ana\",\"password\":\"Tr0ub4dor-x9\"}"}
{"level":"info","msg":"response","body":"{\"access_token\":\"at.Hk29Jq7Lm3Np8\",\"expires_in\":3600}"}
JSON
