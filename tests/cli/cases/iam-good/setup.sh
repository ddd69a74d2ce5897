# the IAM fixtures of the repository, copied into a plain directory
mkdir tree
cp -r "$CASE/../../../../fixtures/iam/good/." tree/
