# leakscan:allow on an added staged line: that line is not reported, the other added one is
git init -q repo
cd repo
printf '# tests\n' > test_api.py
git add -A
git commit -qm init
printf '# tests\nFAKE = "%s"  # leakscan:allow\nREAL = "%s"\n' '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' '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' > test_api.py
git add test_api.py
