# the Kubernetes fixtures of the repository, copied into a plain directory
mkdir tree
cp -r "$CASE/../../../../fixtures/k8s/good/." tree/
