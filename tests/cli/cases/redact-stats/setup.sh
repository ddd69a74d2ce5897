# --stats: counts per rule on stderr at the end, in order of first hit; stdout unchanged
cat > app.log <<'LOG'
key=sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA
token=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
again sk-ant-api03-vCi6bRd6MfiXjwn-QhBISJusbYIp7GaQZhQkAZ-3vkFng1uwk9Ktp22jiTkl4TQ5SzNiip_IUOxSPngI6aAhSjp5AVzOqAA
{"password":"hunter2-Qm9z"}
nothing here
LOG
