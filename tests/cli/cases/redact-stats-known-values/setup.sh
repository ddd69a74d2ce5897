# --stats counts per rule: two known values (or one value in two base64 alignments)
# hit the same rule id, which must be listed once with its total, not once per value.
cat > app.log <<'LOG'
a Hk29-Jq7-Lm8 b Wq3-ZxP9-LmT7 c Hk29-Jq7-Lm8
LOG
