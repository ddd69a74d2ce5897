cp "$CASE/bad-rules.yaml" bad-rules.yaml
