# the seed guide's policy: a wildcard account and region in the secret ARN, nothing else
mkdir tree
cat > tree/policy.json <<'END'
{
    "Version": "2012-10-17",
    "Statement": [
        {
            "Effect": "Allow",
            "Action": [
                "secretsmanager:GetSecretValue"
            ],
            "Resource": "arn:aws:secretsmanager:*:*:secret:agentds/*"
        }
    ]
}
END
