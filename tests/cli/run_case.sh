#!/usr/bin/env bash
# run_case.sh - run one CLI golden test case (see README.md in this directory).
#
#   bash tests/cli/run_case.sh LEAKSCAN-BINARY CASE-DIR
#   UPDATE=1 bash tests/cli/run_case.sh LEAKSCAN-BINARY CASE-DIR   # rewrite expected.stdout
#
# Needs only bash, coreutils, git, sed, grep and diff.
set -u

die() { printf 'run_case: %s\n' "$*" >&2; exit 1; }

[ $# -eq 2 ] || die "usage: run_case.sh LEAKSCAN-BINARY CASE-DIR"
bin=$1
case_dir=$2
[ -x "$bin" ] || die "$bin: not an executable"
[ -d "$case_dir" ] || die "$case_dir: not a directory"
bin=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
case_dir=$(cd "$case_dir" && pwd)
name=$(basename "$case_dir")
[ -f "$case_dir/cmd" ] || die "$name: no 'cmd' file"
[ -f "$case_dir/expected.rc" ] || die "$name: no 'expected.rc' file"

# $WORK: the case's playground (cwd of setup.sh and cmd); $RES: captured output,
# kept apart so that a scan of $WORK never sees it.
WORK=$(mktemp -d "${TMPDIR:-/tmp}/leakscan-cli.XXXXXX") || die "mktemp failed"
RES=$(mktemp -d "${TMPDIR:-/tmp}/leakscan-res.XXXXXX") || { rm -rf "$WORK"; die "mktemp failed"; }
cleanup() {
    # cases make files unreadable (chmod 000) or hand them to another user
    chmod -R u+rwX "$WORK" 2>/dev/null
    rm -rf "$WORK" "$RES"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# A hermetic git: no global or system configuration of the user, no repository
# selected by the environment.
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_OBJECT_DIRECTORY GIT_ALTERNATE_OBJECT_DIRECTORIES \
      GIT_COMMON_DIR GIT_NAMESPACE GIT_CEILING_DIRECTORIES GIT_DISCOVERY_ACROSS_FILESYSTEM \
      GIT_CONFIG GIT_CONFIG_GLOBAL GIT_CONFIG_SYSTEM GIT_CONFIG_COUNT GIT_CONFIG_PARAMETERS \
      GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL \
      GIT_AUTHOR_DATE GIT_COMMITTER_DATE GIT_TEMPLATE_DIR XDG_CONFIG_HOME
export HOME="$WORK/home"
export XDG_CONFIG_HOME="$HOME/.config"
export GIT_CONFIG_NOSYSTEM=1
export LEAKSCAN="$bin"
export NO_COLOR=1
export LC_ALL=C
export WORK
export CASE="$case_dir"
umask 022
mkdir -p "$HOME" || die "cannot create $HOME"
git config --global user.name "leakscan tests" &&
    git config --global user.email "tests@leakscan.invalid" &&
    git config --global init.defaultBranch main &&
    git config --global advice.detachedHead false ||
    die "$name: cannot write the test git configuration"

# stdout and summaries carry timings: make them stable
normalize() {
    sed -E -e 's/("duration_ms":[[:space:]]*)[0-9]+(\.[0-9]+)?/\10/g' \
           -e 's/ [0-9]+(\.[0-9]+)? ms([^A-Za-z0-9_]|$)/ 0 ms\2/g'
}

# setup.from: the name of another case whose setup.sh this case shares
setup=$case_dir/setup.sh
if [ ! -f "$setup" ] && [ -f "$case_dir/setup.from" ]; then
    setup=$case_dir/../$(tr -d '[:space:]' < "$case_dir/setup.from")/setup.sh
fi
if [ -f "$setup" ]; then
    if ! (cd "$WORK" && bash -eux "$setup") >"$RES/setup.out" 2>&1; then
        printf '%s: FAIL: setup.sh failed:\n' "$name"
        cat "$RES/setup.out"
        exit 1
    fi
fi

(cd "$WORK" && bash "$case_dir/cmd") </dev/null >"$RES/stdout.raw" 2>"$RES/stderr.raw"
rc=$?
normalize <"$RES/stdout.raw" >"$RES/stdout"
normalize <"$RES/stderr.raw" >"$RES/stderr"

fail=0
problem() {
    if [ $fail -eq 0 ]; then
        printf '%s: FAIL\n' "$name"
    fi
    fail=1
    printf -- '--- %s\n' "$*"
}

# each non-empty line of $1 is a fixed string; $2 = must|mustnot; $3 = file searched; $4 = label
check_lines() {
    local list=$1 mode=$2 file=$3 label=$4 line
    while IFS= read -r line || [ -n "$line" ]; do
        [ -n "$line" ] || continue
        if grep -qF -- "$line" "$file"; then
            [ "$mode" = must ] || problem "$label contains, and must not: $line"
        else
            [ "$mode" = mustnot ] || problem "$label lacks: $line"
        fi
    done <"$list"
}

want_rc=$(tr -d '[:space:]' <"$case_dir/expected.rc")
[ "$rc" = "$want_rc" ] || problem "exit code $rc, expected $want_rc"

if [ -f "$case_dir/expected.stdout" ]; then
    if ! diff -u --label expected.stdout --label actual.stdout \
            "$case_dir/expected.stdout" "$RES/stdout" >"$RES/stdout.diff"; then
        if [ -n "${UPDATE:-}" ]; then
            cp "$RES/stdout" "$case_dir/expected.stdout"
            printf '%s: UPDATED expected.stdout (review this diff before committing):\n' "$name"
            cat "$RES/stdout.diff"
        else
            problem "stdout differs from expected.stdout:"
            cat "$RES/stdout.diff"
        fi
    fi
fi
if [ -f "$case_dir/expected.stderr" ]; then
    if ! diff -u --label expected.stderr --label actual.stderr \
            "$case_dir/expected.stderr" "$RES/stderr" >"$RES/stderr.diff"; then
        problem "stderr differs from expected.stderr:"
        cat "$RES/stderr.diff"
    fi
fi
[ -f "$case_dir/expected.stdout.grep" ] && check_lines "$case_dir/expected.stdout.grep" must "$RES/stdout" stdout
[ -f "$case_dir/expected.stderr.grep" ] && check_lines "$case_dir/expected.stderr.grep" must "$RES/stderr" stderr
[ -f "$case_dir/stdout.not" ] && check_lines "$case_dir/stdout.not" mustnot "$RES/stdout" stdout
[ -f "$case_dir/stderr.not" ] && check_lines "$case_dir/stderr.not" mustnot "$RES/stderr" stderr

if [ $fail -ne 0 ]; then
    printf -- '--- command (%s/cmd):\n' "$name"
    sed 's/^/    /' "$case_dir/cmd"
    printf -- '--- stdout (exit %s):\n' "$rc"
    sed 's/^/    /' "$RES/stdout"
    printf -- '--- stderr:\n'
    sed 's/^/    /' "$RES/stderr"
    exit 1
fi
printf '%s: ok\n' "$name"
exit 0
