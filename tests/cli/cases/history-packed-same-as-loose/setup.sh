# The same history twice: loose objects (read by libgit2) and one pack (read by
# leakscan's pack reader, deltas and all). The reports must be identical: paths,
# commits, authors, dates, messages. Some commits are odd on purpose: spaces and '<' in
# names, quotes and dots around a name or an e-mail (which libgit2 trims), extra headers
# (gpgsig, encoding), no message, no final newline, no time zone
# (which libgit2 reads and leakscan's own parser leaves to it).
at() { d=$1; shift; GIT_AUTHOR_DATE=$d GIT_COMMITTER_DATE=$d "$@"; }
tok() { printf 'glpat-%s%06d' Xq7RmT2vLp9KwZ "$1"; }
git init -q loose
cd loose
for i in $(seq 1 40); do
  seq 1 400 | sed "s/^$((i * 7))\$/edited in $i/" > big.txt
  printf 'token = "%s"\n' "$(tok "$i")" > "conf$((i % 3)).txt"
  git add -A
  at "2024-05-$(printf %02d $((i % 28 + 1)))T10:00:00+0200" git commit -q -m "change $i" \
    -m "ci token $(tok $((1000 + i)))"
done
GIT_AUTHOR_NAME='  Spacey   Name  ' GIT_AUTHOR_EMAIL='  spaced@example.com ' \
  at 2024-06-01T00:00:00-0730 git commit -q --allow-empty -m "spaces $(tok 2001)"
GIT_AUTHOR_NAME='A <b> C' at 2024-06-02T00:00:00Z git commit -q --allow-empty -m "angle $(tok 2002)"
at 2024-06-03T00:00:00Z git commit -q --allow-empty --allow-empty-message -m ''
git checkout -q -b side HEAD~5
printf 'side = "%s"\n' "$(tok 3001)" > side.txt
git add -A
at 2024-06-04T00:00:00Z git commit -q -m "side $(tok 3002)"
git checkout -q main
at 2024-06-05T00:00:00Z git merge -q --no-ff -m "merge $(tok 3003)" side
# commits git would not write itself: written raw, then made the branch tip
tree=$(git rev-parse HEAD^{tree})
head=$(git rev-parse HEAD)
c1=$(printf 'tree %s\nparent %s\nauthor Sig Ned <sig@example.com> 1717500000 +0000\ncommitter Sig Ned <sig@example.com> 1717500000 +0000\nencoding ISO-8859-1\ngpgsig -----BEGIN PGP SIGNATURE-----\n \n iQEzBAABCAAdFiEE\n -----END PGP SIGNATURE-----\n\nsigned %s\n\nbody line\n' \
  "$tree" "$head" "$(tok 4001)" | git hash-object -t commit -w --stdin)
c2=$(printf 'tree %s\nparent %s\nauthor No Zone <nz@example.com> 1717600000\ncommitter No Zone <nz@example.com> 1717600000\n\nno zone %s' \
  "$tree" "$c1" "$(tok 4002)" | git hash-object -t commit --literally -w --stdin)
c3=$(printf 'tree %s\nparent %s\nauthor Last One <last@example.com> 1717700000 +0100\ncommitter Last One <last@example.com> 1717700000 +0100\n\nno final newline %s' \
  "$tree" "$c2" "$(tok 4003)" | git hash-object -t commit -w --stdin)
c4=$(printf 'tree %s\nparent %s\nauthor "John Doe Jr." <jd@example.com.> 1717800000 +0000\ncommitter O'"'"'Brien, <  ob@example.com;> 1717800000 +0000\n\ncrud %s\n' \
  "$tree" "$c3" "$(tok 4004)" | git hash-object -t commit -w --stdin)
git update-ref refs/heads/main "$c4"
cd ..
git clone -q --no-local --bare loose packed.git
git -C packed.git repack -qadf --depth=50 --window=50
test "$(git -C packed.git count-objects -v | sed -n 's/^count: //p')" = 0
test "$(git -C loose count-objects -v | sed -n 's/^in-pack: //p')" = 0
test "$(cd packed.git && git verify-pack -v objects/pack/*.idx | awk 'NF == 7' | wc -l)" -gt 20
