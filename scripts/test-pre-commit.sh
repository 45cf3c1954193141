#!/usr/bin/env bash
# Tests formfit as a pre-commit (https://pre-commit.com) hook, end to end, in a scratch git
# repository:
#   - the shipped .pre-commit-hooks.yaml is a valid pre-commit manifest;
#   - a commit of a conforming product passes the hook;
#   - a non-conforming product fails `pre-commit run` with the rule id in the output, and a
#     `git commit` of it is refused;
#   - files outside products/ (a Cargo.toml) and files of other types are not passed to formfit.
#
# The scratch repository uses a `repo: local`, `language: system` hook that runs the binary given
# as $1, so CI does not compile formfit a second time; its fields mirror the shipped manifest
# (keep `types_or`, `pass_filenames` and `require_serial` in step with .pre-commit-hooks.yaml).
#
# Usage (from the repository root): scripts/test-pre-commit.sh [PATH-TO-FORMFIT]
#   PATH-TO-FORMFIT defaults to target/debug/formfit and must already be built (`cargo build`).
# Installs pre-commit from PyPI when it is missing. Prints `pre-commit: N passed, M failed` last
# and exits non-zero when an assertion failed (3 when it could not run at all).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN_ARG="${1:-target/debug/formfit}"
if [ ! -x "$BIN_ARG" ]; then
    echo "test-pre-commit: no executable formfit at $BIN_ARG (run \`cargo build\` first)" >&2
    echo "pre-commit: 0 passed, 1 failed"
    exit 3
fi
BIN="$(cd "$(dirname "$BIN_ARG")" && pwd)/$(basename "$BIN_ARG")"
GOOD="$ROOT/fixtures/stanag-4172/good-ball-cartridge.toml"
BAD="$ROOT/fixtures/stanag-4172/bad-223.toml"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/formfit-pre-commit.XXXXXX")"
cleanup() { rm -rf "$SCRATCH"; }
trap cleanup EXIT

# --- pre-commit ---------------------------------------------------------------------------------
# Prefer the module of this python3 (independent of PATH); fall back to a venv if pip may not
# install into the interpreter (PEP 668 "externally managed" environments).
if python3 -c 'import pre_commit' >/dev/null 2>&1; then
    PRE_COMMIT=(python3 -m pre_commit)
elif python3 -m pip install --quiet pre-commit >/dev/null 2>&1 \
    && python3 -c 'import pre_commit' >/dev/null 2>&1; then
    PRE_COMMIT=(python3 -m pre_commit)
else
    python3 -m venv "$SCRATCH/venv"
    "$SCRATCH/venv/bin/python" -m pip install --quiet pre-commit
    PRE_COMMIT=("$SCRATCH/venv/bin/python" -m pre_commit)
fi
echo "test-pre-commit: $("${PRE_COMMIT[@]}" --version), formfit at $BIN"

# pre-commit's cache, and git without the user's or the machine's configuration (a global
# core.hooksPath would make `pre-commit install` refuse; commit signing would need keys).
export PRE_COMMIT_HOME="$SCRATCH/cache"
export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export NO_COLOR=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE

# --- assertions ---------------------------------------------------------------------------------
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   - $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL - $1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/    | /' "$2"; fi
}
# run OUTFILE CMD...: runs CMD with stdout+stderr to OUTFILE; sets RC to its exit code.
run() {
    local out="$1"
    shift
    set +e
    "$@" >"$out" 2>&1
    RC=$?
    set -e
}

# 1. The shipped manifest is valid for this pre-commit.
run "$SCRATCH/manifest.out" "${PRE_COMMIT[@]}" validate-manifest "$ROOT/.pre-commit-hooks.yaml"
if [ "$RC" -eq 0 ]; then
    pass "validate-manifest .pre-commit-hooks.yaml"
else
    fail "validate-manifest .pre-commit-hooks.yaml (exit $RC)" "$SCRATCH/manifest.out"
fi

# --- the scratch repository ---------------------------------------------------------------------
REPO="$SCRATCH/repo"
mkdir -p "$REPO/products"
cd "$REPO"
git init -q
git symbolic-ref HEAD refs/heads/main
git config user.name "formfit pre-commit test"
git config user.email "formfit-pre-commit-test@example.invalid"
git config commit.gpgsign false

# `entry` is split shell-like by pre-commit: quote the path for that, then as a YAML string (a
# JSON string is a valid YAML double-quoted scalar).
ENTRY="$(python3 -c 'import json, shlex, sys; print(json.dumps(shlex.quote(sys.argv[1]) + " check"))' "$BIN")"
cat >.pre-commit-config.yaml <<EOF
repos:
  - repo: local
    hooks:
      - id: formfit
        name: formfit
        entry: $ENTRY
        language: system
        files: ^products/
        types_or: [toml, json, yaml]
        pass_filenames: true
        require_serial: false
EOF

run "$SCRATCH/config.out" "${PRE_COMMIT[@]}" validate-config .pre-commit-config.yaml
if [ "$RC" -eq 0 ]; then
    pass "validate-config of the scratch repository's .pre-commit-config.yaml"
else
    fail "validate-config (exit $RC)" "$SCRATCH/config.out"
fi

run "$SCRATCH/install.out" "${PRE_COMMIT[@]}" install
if [ "$RC" -ne 0 ]; then
    cat "$SCRATCH/install.out"
    echo "test-pre-commit: \`pre-commit install\` failed (exit $RC)" >&2
    echo "pre-commit: $PASSED passed, $((FAILED + 1)) failed"
    exit 3
fi

# 2. A conforming product commits: the hook runs on it and passes.
cp "$GOOD" products/good-ball-cartridge.toml
git add .pre-commit-config.yaml products/good-ball-cartridge.toml
run "$SCRATCH/good.out" git commit -q -m "Add a conforming product"
if [ "$RC" -eq 0 ] && grep -Eq '^formfit\.+Passed' "$SCRATCH/good.out" \
    && git cat-file -e HEAD:products/good-ball-cartridge.toml 2>/dev/null; then
    pass "git commit of a conforming product passes the hook"
else
    fail "git commit of a conforming product (exit $RC; expected 0 and 'formfit....Passed')" \
        "$SCRATCH/good.out"
fi
HEAD_BEFORE="$(git rev-parse -q --verify HEAD || echo none)"

# 3. A non-conforming product fails `pre-commit run`, naming the rule.
cp "$BAD" products/bad-223.toml
git add products/bad-223.toml
run "$SCRATCH/bad.out" "${PRE_COMMIT[@]}" run --files products/bad-223.toml
if [ "$RC" -ne 0 ] && grep -Eq '^formfit\.+Failed' "$SCRATCH/bad.out"; then
    pass "pre-commit run --files products/bad-223.toml fails (exit $RC)"
else
    fail "pre-commit run --files products/bad-223.toml should fail (exit $RC)" "$SCRATCH/bad.out"
fi
if grep -q 'STANAG4172-CAL-1' "$SCRATCH/bad.out"; then
    pass "the failing hook's output names STANAG4172-CAL-1"
else
    fail "the failing hook's output should name STANAG4172-CAL-1" "$SCRATCH/bad.out"
fi

# 4. ... and a `git commit` of it is refused.
run "$SCRATCH/bad-commit.out" git commit -q -m "Add a non-conforming product"
if [ "$RC" -ne 0 ] && [ "$(git rev-parse -q --verify HEAD || echo none)" = "$HEAD_BEFORE" ] \
    && grep -q 'STANAG4172-CAL-1' "$SCRATCH/bad-commit.out"; then
    pass "git commit of a non-conforming product is refused"
else
    fail "git commit of a non-conforming product should be refused (exit $RC)" \
        "$SCRATCH/bad-commit.out"
fi
git rm -q --cached products/bad-223.toml
rm products/bad-223.toml

# 5. A Cargo.toml outside products/ is not passed to formfit. formfit itself refuses it (exit 2,
# not a product description), so the hook passing proves it was filtered out, not checked.
cat >Cargo.toml <<'EOF'
[package]
name = "not-a-product"
version = "0.1.0"
edition = "2021"

[dependencies]
EOF
printf '# Product descriptions\n\nNot a product, and not TOML/JSON/YAML.\n' >products/README.md
git add Cargo.toml products/README.md
set +e
"$BIN" check --quiet --color never Cargo.toml >/dev/null 2>&1
DIRECT_RC=$?
set -e
if [ "$DIRECT_RC" -ne 2 ]; then
    fail "formfit check Cargo.toml should exit 2 (got $DIRECT_RC), else step 5 proves nothing"
else
    run "$SCRATCH/cargo.out" "${PRE_COMMIT[@]}" run --files Cargo.toml products/README.md
    if [ "$RC" -eq 0 ] && grep -Eq '^formfit\.+\(no files to check\)Skipped' "$SCRATCH/cargo.out"
    then
        pass "Cargo.toml outside products/ (and products/README.md) is not passed to formfit"
    else
        fail "Cargo.toml / products/README.md should be skipped (exit $RC)" "$SCRATCH/cargo.out"
    fi
    run "$SCRATCH/cargo-commit.out" git commit -q -m "Add a Cargo.toml and a README"
    if [ "$RC" -eq 0 ]; then
        pass "git commit of files outside the hook's scope passes"
    else
        fail "git commit of files outside the hook's scope (exit $RC)" "$SCRATCH/cargo-commit.out"
    fi
fi

cd "$ROOT"
echo "pre-commit: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
