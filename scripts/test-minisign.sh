#!/usr/bin/env bash
# Round-trips pack signatures between formfit and the real `minisign` tool (Debian package):
# formfit signs → minisign verifies, minisign signs → formfit verifies. Keys are made here, for
# this test only. Usage: scripts/test-minisign.sh [path/to/formfit]
set -euo pipefail
formfit=$(realpath "${1:-target/debug/formfit}")
if ! command -v minisign >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends minisign) >/dev/null
fi
source "$(dirname "$0")/assert.sh"
mkdir -p "$work/rules"
cp rules/stanag-4172.toml rules/mil-std-1275.toml "$work/rules/"

# formfit signs, minisign verifies (and shows the binding trusted comment).
"$formfit" rules keygen --out "$work/keys" --name acme >/dev/null
"$formfit" rules sign --secret-key "$work/keys/acme.key" "$work/rules/stanag-4172.toml" >/dev/null
check "minisign verifies a formfit signature" minisign -V -p "$work/keys/acme.pub" -m "$work/rules/stanag-4172.toml"
check "the trusted comment binds designation and edition" grep -q 'designation="STANAG 4172" edition="public-facts-2026-11"' "$work/rules/stanag-4172.toml.minisig"

# minisign signs with the binding comment, formfit verifies.
minisign -G -W -p "$work/keys/tool.pub" -s "$work/keys/tool.key" >/dev/null
# The edition as the pack states it, so that a pack's new edition does not break the test.
edition=$(python3 -c 'import sys, tomllib; print(tomllib.load(open(sys.argv[1], "rb"))["standard"]["edition"])' rules/mil-std-1275.toml)
binding="formfit-pack designation=\"MIL-STD-1275\" edition=\"$edition\" file=\"mil-std-1275.toml\""
minisign -S -s "$work/keys/tool.key" -m "$work/rules/mil-std-1275.toml" -t "$binding" >/dev/null
check "formfit verifies both packs" "$formfit" rules verify --trusted-key "$work/keys/acme.pub" --trusted-key "$work/keys/tool.pub" "$work/rules"

# A minisign signature with a wrong binding is refused.
minisign -S -s "$work/keys/tool.key" -m "$work/rules/mil-std-1275.toml" -t 'formfit-pack designation="MIL-STD-704" edition="F" file="mil-std-1275.toml"' >/dev/null
check "formfit refuses a signature bound to another pack" bash -c '! "$0" rules verify --trusted-key "$1" --trusted-key "$2" "$3"' "$formfit" "$work/keys/acme.pub" "$work/keys/tool.pub" "$work/rules"

report minisign
