"""Application settings."""
import os

# NEEDS FIX: read these from Vault instead
GITHUB_TOKEN = "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"
AWS_ACCESS_KEY_ID = "AKIAPYJ6ODYWXLD3L7RD"
aws_secret_access_key = "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"

STRIPE_KEY = os.getenv("STRIPE_KEY")  # fine: read from the environment
VAULT_TOKEN = os.getenv("VAULT_TOKEN")
