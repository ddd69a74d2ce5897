# The spec masks a known value's "URL-encoded forms". Only one form is masked today
# (RFC 3986 with upper-case hex, space as %20). Other encoders that are everywhere in
# logs produce other bytes for the same value 'pa ss/w0rd+Xy!':
#   JavaScript encodeURIComponent:            pa%20ss%2Fw0rd%2BXy!    (! ' ( ) * kept)
#   form encoding (Python urlencode, Go QueryEscape, HTML forms): pa+ss%2Fw0rd%2BXy%21
#   lower-case hex (equivalent per RFC 3986):  pa%20ss%2fw0rd%2bXy%21
cat > app.log <<'LOG'
rfc3986 ?pw=pa%20ss%2Fw0rd%2BXy%21&x=1
js ?pw=pa%20ss%2Fw0rd%2BXy!&x=1
form ?pw=pa+ss%2Fw0rd%2BXy%21&x=1
lower ?pw=pa%20ss%2fw0rd%2bXy%21&x=1
LOG
