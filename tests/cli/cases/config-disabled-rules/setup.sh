# disabled_rules in a --config file turns off a built-in rule; the others still run
git init -q repo
cd repo
printf 'key=%s\ntoken=%s\n' 'sk-ant-api03-o9DIhiVAKlOwGiiDgicZyCHMs9NO3Jnu0oFzHwidslRER-3LNwoJgB_29E1CpdL7ibjtL5Cq_5e6obyqOBiSy3bFcmARtAA' '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' > app.cfg
git add -A
git commit -qm init
cd ..
cp "$CASE/config.yaml" config.yaml
