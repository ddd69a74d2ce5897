# base64 with upper and lower case and '/' but no decimal digit is decoded and scanned, wherever
# the '/' stands in the run (near its start, near its end)
mkdir tree
printf 'data: %s\n' 'ckg/PXBwbHgtcVpRamZKamRITkQxUzlHdVdzZzNTUzZWYzlaMTdHcWZaUmJrWDVOUkhRaTcyNDVqCg==' > tree/cfg.yaml
printf 'data: %s\n' 'PXBwbHgtelBnaXIxTFNvYzBNSFRjdkZLOWJRdzRkbWFnZzFBUHdjSnlzdjBKdzBMSjgxbmNYIHk/Cg==' >> tree/cfg.yaml
