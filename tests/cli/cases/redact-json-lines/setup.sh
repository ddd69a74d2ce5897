# JSON log lines: values of sensitive keys and provider keys masked, everything else
# byte for byte; negative lines (a flag named password_changed, an empty password, a
# message that mentions a password) unchanged.
mkdir logs
cat > logs/app.jsonl <<'JSON'
{"ts":"2026-11-25T10:00:00Z","level":"info","user":"ana","password":"hunter2-Qm9z","msg":"login"}
{"ts":"2026-11-25T10:00:01Z","headers":{"Authorization":"Bearer abc.def.ghi","Cookie":"sid=Zq8mK2vB7nL3; theme=dark"},"status":200}
{"db_password": "s3cr3t with \"quotes\" inside", "retries": 3}
{"level":"debug","config":{"api_key":"9f8e7d6c5b4a3f2e","client_secret":"Xt4rPq8sLm2vWz6y","refresh_token":"rt.Hk29Jq7Lm3Np"}}
{"msg":"calling model with sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA now","model":"claude"}
{"event":"deploy","env":["GITHUB_TOKEN=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","REGION=eu-west-1"]}
{"password_changed": true, "token_count": 12, "password": ""}
{"msg":"password reset requested","user":"ana","latency_ms":12.5,"ok":null}
JSON
