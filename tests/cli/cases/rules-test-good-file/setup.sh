cp "$CASE/good-rules.yaml" good-rules.yaml
