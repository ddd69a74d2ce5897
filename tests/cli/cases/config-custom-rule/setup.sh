# a rule added by --config finds its token, next to the built-in rules
git init -q repo
cd repo
printf 'deploy:\n  acme: %s\n  github: %s\n' 'acme_N4HvZ0ioYzPAEyJSj8TwO7A2Aek0vx2G' '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' > deploy.yml
git add -A
git commit -qm init
cd ..
cp "$CASE/acme.yaml" acme.yaml
