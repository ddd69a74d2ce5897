# the stream's order does not depend on --jobs: findings wait for the files before them
mkdir tree
for i in $(seq 100 299); do
  printf 'filler line\nkey = %s\n' "sk-GsSWtL4sRCS6NKvnpXm4T3BlbkFJVv0WVBTaQVnajn0HC$i" > tree/f$i.py
done
