#!/usr/bin/env bash
# formfit as a Python binary wheel (maturin, `bindings = "bin"`), end to end:
#   - maturin builds the wheel with Cargo.lock (`--locked`); its metadata is Cargo.toml's (name,
#     version, summary, licence, readme, URL; Requires-Python >=3.8), it holds no Python code and
#     carries the executable under `formfit-VERSION.data/scripts/`;
#   - `pip install` of it into a fresh venv puts `formfit` on the venv's PATH: `--version` and
#     `check` there answer as BINARY does (exit 0 on a good product, 1 on a bad one);
#   - pre-commit installs the wheel for a `language: python` hook (`additional_dependencies`,
#     pip finding the wheel through PIP_FIND_LINKS) and the hook passes and fails as it should;
#   - the shipped `formfit-locked` hook (pip builds this repository with maturin) runs through
#     `pre-commit try-repo`, and pip's build of the repository refuses a stale Cargo.lock.
#
# The wheel is built with BINARY's cargo profile (target/debug → dev, target/release → release)
# into the same target/, so CI compiles no release build; after `cargo test` the dev build still
# recompiles formfit and the few dependencies whose features the dev-dependencies change.
#
# Usage (from anywhere): scripts/test-wheel.sh [BINARY]   (default target/debug/formfit)
# Installs maturin and pre-commit from PyPI (binary wheels) into a scratch venv.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
binary=$(realpath "${1:-target/debug/formfit}")
source scripts/assert.sh
started=$SECONDS
# Compared against a copy: the wheel's dev build relinks target/debug/formfit.
cp "$binary" "$work/formfit"
formfit="$work/formfit"

case "$(basename "$(dirname "$binary")")" in
    release) profile=release ;;
    *) profile=dev ;;
esac
cargo metadata --locked --no-deps --format-version 1 >"$work/cargo.json"
version=$(python3 -c 'import json, sys; print(json.load(open(sys.argv[1]))["packages"][0]["version"])' "$work/cargo.json")

python3 -m venv "$work/tools" >/dev/null
"$work/tools/bin/pip" install --quiet --disable-pip-version-check --only-binary :all: \
    'maturin>=1.9,<2' 'pre-commit>=3' >/dev/null
echo "test-wheel: $("$work/tools/bin/maturin" --version), $("$work/tools/bin/pre-commit" --version), profile $profile, formfit at $binary"

# --- the wheel ----------------------------------------------------------------------------------
build_started=$SECONDS
"$work/tools/bin/maturin" build --locked --profile "$profile" --out "$work/dist" >"$work/build.out" 2>&1 \
    || { cat "$work/build.out" >&2; failed=1; report test-wheel || exit 3; }
echo "test-wheel: maturin build --profile $profile took $((SECONDS - build_started)) s"
wheels=("$work"/dist/formfit-"$version"-py3-none-*.whl)
wheel=${wheels[0]}
check "one wheel formfit-$version-py3-none-PLATFORM.whl" test "${#wheels[@]}" -eq 1 -a -f "$wheel"

# Metadata against Cargo.toml, and the layout that makes pip put the binary on PATH.
check "wheel metadata is Cargo.toml's; the binary is in .data/scripts, executable; no Python code" \
    python3 - "$wheel" "$work/cargo.json" <<'EOF'
import email.parser, json, sys, zipfile
wheel, cargo = sys.argv[1], json.load(open(sys.argv[2]))["packages"][0]
z = zipfile.ZipFile(wheel)
info = f"formfit-{cargo['version']}.dist-info"
meta = email.parser.Parser().parsestr(z.read(f"{info}/METADATA").decode())
tags = email.parser.Parser().parsestr(z.read(f"{info}/WHEEL").decode())
want = {"Name": "formfit", "Version": cargo["version"], "Summary": cargo["description"],
        "License": cargo["license"], "Requires-Python": ">=3.8"}
problems = [f"{k}: {meta[k]!r} != {v!r}" for k, v in want.items() if meta[k] != v]
if f"Source Code, {cargo['repository']}" not in meta.get_all("Project-URL", []):
    problems.append(f"Project-URL: {meta.get_all('Project-URL')}")
if not meta.get_payload().startswith("# formfit"):
    problems.append("the long description is not README.md")
if tags["Root-Is-Purelib"] != "false" or not tags["Tag"].startswith("py3-none-"):
    problems.append(f"WHEEL: {tags['Root-Is-Purelib']} {tags['Tag']}")
script = z.getinfo(f"formfit-{cargo['version']}.data/scripts/formfit")
if not (script.external_attr >> 16) & 0o111:
    problems.append("data/scripts/formfit is not executable")
if any(n.endswith(".py") for n in z.namelist()):
    problems.append("the wheel holds Python code")
print("\n".join(problems))
sys.exit(1 if problems else 0)
EOF

# --- pip install into a fresh venv --------------------------------------------------------------
python3 -m venv "$work/venv" >/dev/null
check "pip install the wheel into a fresh venv (no index)" \
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check --no-index "$wheel"
path_before=$PATH
export PATH="$work/venv/bin:$PATH" NO_COLOR=1
good=fixtures/stanag-4172/good-ball-cartridge.toml
bad=fixtures/stanag-4172/bad-223.toml
check "formfit on PATH is the venv's" test "$(command -v formfit)" = "$work/venv/bin/formfit"
check "formfit --version from the venv is BINARY's" test "$(formfit --version)" = "$("$formfit" --version)"
check "formfit check: good product exits 0" formfit check --no-config "$good"
venv_bad() { formfit check --no-config "$bad" >"$work/bad.out" 2>&1; [ $? -eq 1 ] && grep -q STANAG4172-CAL-1 "$work/bad.out"; }
check "formfit check: bad product exits 1, naming the rule" venv_bad
same_json() { cmp <(formfit check --no-config --format json "$good" "$bad") <("$formfit" check --no-config --format json "$good" "$bad"); }
check "formfit check --format json from the venv equals BINARY's" same_json
echo "test-wheel: wheel $(du -h "$wheel" | cut -f1), venv with formfit $(du -sh "$work/venv" | cut -f1)"

# --- pre-commit ---------------------------------------------------------------------------------
# Without the venv on PATH: each hook must find its own formfit.
export PATH=$path_before
export PRE_COMMIT_HOME="$work/pre-commit" GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
pre_commit="$work/tools/bin/pre-commit"
check "validate-manifest .pre-commit-hooks.yaml (both hooks)" "$pre_commit" validate-manifest .pre-commit-hooks.yaml
repo="$work/repo"
mkdir -p "$repo/products"
git -C "$repo" init -q
cp "$good" "$repo/products/good.toml"
cp "$bad" "$repo/products/bad.toml"
git -C "$repo" add products

# The prebuilt wheel: pre-commit makes the hook's venv and pip-installs `formfit==VERSION`, which
# pip finds in PIP_FIND_LINKS (a release's wheels in a folder or on an HTML page of links);
# PIP_ONLY_BINARY refuses a source build of formfit, and the hash proves it is this wheel.
cat >"$repo/.pre-commit-config.yaml" <<EOF
repos:
  - repo: local
    hooks:
      - id: formfit
        name: formfit
        entry: formfit check
        language: python
        additional_dependencies: ["formfit==$version"]
        files: ^products/
        types_or: [toml, json, yaml]
EOF
git -C "$repo" add .pre-commit-config.yaml
hook() { (cd "$repo" && PIP_FIND_LINKS="$work/dist" PIP_ONLY_BINARY=formfit "$pre_commit" run "$@"); }
check "wheel hook: a good product passes" hook --files products/good.toml
hook_bad() { ! hook --files products/bad.toml >"$work/hook-bad.out" 2>&1 && grep -Eq '^formfit\.+Failed' "$work/hook-bad.out" && grep -q STANAG4172-CAL-1 "$work/hook-bad.out"; }
check "wheel hook: a bad product fails, naming the rule" hook_bad
hook_binary() {
    python3 -c 'import sys, zipfile; sys.exit(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]) != open(sys.argv[3], "rb").read())' \
        "$wheel" "formfit-$version.data/scripts/formfit" "$(find "$PRE_COMMIT_HOME" -path '*/bin/formfit' -type f | head -n 1)"
}
check "wheel hook: its formfit is the wheel's binary" hook_binary

# The shipped formfit-locked hook: pre-commit pip-installs this repository, which maturin builds
# with Cargo.lock; here in BINARY's profile and target/, so that only formfit itself recompiles.
# try-repo of a working tree with changes installs anew each time: one run, both products.
locked_started=$SECONDS
try_locked() {
    (cd "$repo" && ! CARGO_TARGET_DIR="$root/target" MATURIN_PEP517_ARGS="--profile $profile" \
        "$pre_commit" try-repo "$root" formfit-locked --files products/good.toml products/bad.toml) >"$work/locked.out" 2>&1 \
        && grep -q STANAG4172-CAL-1 "$work/locked.out" && grep -Eq 'good\.toml: \S+ CONFORMANT' "$work/locked.out"
}
check "formfit-locked (try-repo): the bad product fails, naming the rule; the good one conforms" try_locked
echo "test-wheel: formfit-locked's install and run took $((SECONDS - locked_started)) s"

# pip's build of the repository (what formfit-locked runs) uses the lock file: a Cargo.lock that
# lacks a package fails before anything is compiled.
src="$work/stale"
mkdir "$src"
cp -r Cargo.toml pyproject.toml README.md build.rs src benches "$src"/
python3 - Cargo.lock "$src/Cargo.lock" <<'EOF'
import re, sys
lock = open(sys.argv[1]).read()
open(sys.argv[2], "w").write(re.sub(r'\n\[\[package\]\]\nname = "strsim"\n.*?\n\n', "\n", lock, flags=re.S))
EOF
# (A timeout, so that a build that ignored the lock would fail here rather than compile.)
stale_lock() {
    ! timeout 300 "$work/tools/bin/pip" wheel --quiet --disable-pip-version-check --no-deps -w "$src/out" "$src" >"$work/stale.out" 2>&1 \
        && grep -q 'because --locked was passed' "$work/stale.out"
}
check "pip's build of the repository refuses a stale Cargo.lock (--locked)" stale_lock

echo "test-wheel: $((SECONDS - started)) s in all"
report test-wheel
