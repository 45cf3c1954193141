#!/usr/bin/env bash
# Round-trips encrypted packs between formfit and the real `age` tool (Debian package):
# formfit encrypts → age decrypts to the same bytes; age encrypts → formfit checks with the pack.
# Keys are made here, for this test only. Usage: scripts/test-age.sh [path/to/formfit]
set -euo pipefail
formfit=$(realpath "${1:-target/debug/formfit}")
if ! command -v age >/dev/null 2>&1 || ! command -v age-keygen >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends age) >/dev/null
fi
source "$(dirname "$0")/assert.sh"
age-keygen -o "$work/holder.txt" 2>/dev/null
recipient=$(age-keygen -y "$work/holder.txt")
mkdir -p "$work/formfit-rules" "$work/age-rules"

# formfit encrypts; age decrypts to exactly the pack.
cp rules/stanag-4172.toml "$work/formfit-rules/"
"$formfit" rules encrypt --recipient "$recipient" "$work/formfit-rules/stanag-4172.toml" >/dev/null
check "age decrypts a formfit-encrypted pack to the same bytes" \
    bash -c 'age -d -i "$0" "$1" | cmp - "$2"' "$work/holder.txt" "$work/formfit-rules/stanag-4172.toml.age" rules/stanag-4172.toml
rm "$work/formfit-rules/stanag-4172.toml"

# age encrypts; formfit loads it in memory and checks with it (the bad .223 chamber fails: exit 1).
age -r "$recipient" -o "$work/age-rules/stanag-4172.toml.age" rules/stanag-4172.toml
check "formfit checks with an age-encrypted pack" bash -c '"$0" check --quiet --rules "$1" --identity "$2" fixtures/stanag-4172/bad-223.toml; [ $? -eq 1 ]' \
    "$formfit" "$work/age-rules" "$work/holder.txt"
check "no plaintext was written beside the encrypted pack" bash -c '[ "$(ls "$0")" = "stanag-4172.toml.age" ]' "$work/age-rules"

# Without the identity, formfit refuses (exit 3).
check "formfit refuses an encrypted pack without an identity" bash -c '"$0" check --quiet --rules "$1" fixtures/stanag-4172/bad-223.toml; [ $? -eq 3 ]' \
    "$formfit" "$work/age-rules"

report age
