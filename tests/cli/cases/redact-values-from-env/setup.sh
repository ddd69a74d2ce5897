# Known values (--values-from-env NAME,NAME): the exact value, its base64 encoding at
# each of the 3 alignments inside a longer base64 string (the characters that depend on
# the surrounding bytes stay), and its URL encoding are masked, whatever their shape.
# Expected base64 strings computed with coreutils base64:
#   printf '%s' 'Kx7!pQ2#vR9 zL4/w'     | base64  ->  S3g3IXBRMiN2Ujkgekw0L3c=
#   printf 'A%s' 'Kx7!pQ2#vR9 zL4/w'    | base64  ->  QUt4NyFwUTIjdlI5IHpMNC93
#   printf 'AB%s' 'Kx7!pQ2#vR9 zL4/w'   | base64  ->  QUJLeDchcFEyI3ZSOSB6TDQvdw==
#   printf 'ana:%s' 'Kx7!pQ2#vR9 zL4/w' | base64  ->  YW5hOkt4NyFwUTIjdlI5IHpMNC93
cat > app.log <<'LOG'
plain Kx7!pQ2#vR9 zL4/w end
b64 S3g3IXBRMiN2Ujkgekw0L3c= end
shift1 QUt4NyFwUTIjdlI5IHpMNC93 end
shift2 QUJLeDchcFEyI3ZSOSB6TDQvdw== end
basic-auth YW5hOkt4NyFwUTIjdlI5IHpMNC93 end
query ?next=/home&pw=Kx7%21pQ2%23vR9%20zL4%2Fw&x=1
second one Hk29-Jq7-Lm8 here
unrelated Kx7-pQ2 and S3g3 stay
LOG
