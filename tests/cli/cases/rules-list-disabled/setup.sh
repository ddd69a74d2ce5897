cp "$CASE/config.yaml" config.yaml
