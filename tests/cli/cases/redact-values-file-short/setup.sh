# a known value shorter than 4 bytes would mask ordinary text: refused, with the line
# number, before anything is read or written (usage error, exit 2)
printf 'long-enough-value\nabc\n' > values.txt
printf 'abc def long-enough-value\n' > app.log
