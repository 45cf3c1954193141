#!/usr/bin/env bash
# The product schema as an editor uses it: the real taplo CLI (PyPI `taplo` 0.9.x ships it)
# checks a good product (no error) and one with a typo key (an error naming the key), against
# the schema printed by the formfit binary under test; the `#:schema` comment works the same.
# Usage: scripts/test-editors.sh [path/to/formfit]
set -euo pipefail
formfit=$(realpath "${1:-target/debug/formfit}")
source "$(dirname "$0")/assert.sh"

# taplo into a venv of its own (PEP 668 machines refuse a system-wide pip install).
taplo=$(command -v taplo || true)
if [ -z "$taplo" ] || ! "$taplo" --version 2>/dev/null | grep -q '^taplo 0\.9\.'; then
    python3 -m venv "$work/venv" >/dev/null
    "$work/venv/bin/pip" install --quiet --disable-pip-version-check 'taplo>=0.9,<0.10' >/dev/null
    taplo="$work/venv/bin/taplo"
fi
echo "test-editors: $("$taplo" --version), formfit at $formfit"

"$formfit" schema product >"$work/product.schema.json"
schema="file://$work/product.schema.json"
cp fixtures/stanag-4172/bad-223.toml "$work/good.toml"
sed 's/^caliber =/calibre =/' fixtures/stanag-4172/bad-223.toml >"$work/typo.toml"
sed 's/^channel_spacing = .*/channel_spacing = "25 V"/' fixtures/examples/vehicle-radio-set.toml >"$work/wrong-unit.toml"
{ echo "#:schema ./product.schema.json"; cat "$work/typo.toml"; } >"$work/typo-directive.toml"
# One bad value of each form written as a string or a table (or a list): one schema of both
# types, no `oneOf`, so taplo names what is wrong instead of "not valid under any of the schemas".
example=fixtures/examples/vehicle-radio-set.toml
sed 's/{ min = "30 MHz", max = "88 MHz", use = "txrx" }/{ min = "30 MHz", max = "88 MHz", uze = "txrx" }/' "$example" >"$work/band.toml"
sed 's/^input_voltage = .*/input_voltage = { min = "18 V", maxx = "36 V" }/' "$example" >"$work/range.toml"
sed 's/^surge_withstand = .*/surge_withstand = { voltage = "100 V", duraton = "50 ms" }/' "$example" >"$work/withstand.toml"
sed 's/^grades = .*/grades = 34/' fixtures/nato-single-fuel/bad-diesel-only.toml >"$work/grades.toml"
{ echo "#:schema ./product.schema.json"; cat "$work/good.toml"; } >"$work/good-directive.toml"

# `taplo check` reads no configuration here (--no-auto-config) and no schema catalogue.
lint() { "$taplo" check --no-auto-config --colors never "$@"; }
check "taplo passes a good product" lint --schema "$schema" "$work/good.toml"
check "taplo passes a product example with every table" lint --schema "$schema" fixtures/examples/vehicle-radio-set.toml
check "taplo fails a typo key, naming it" bash -c '! "$0" check --no-auto-config --colors never --schema "$1" "$2" >"$3" 2>&1 && grep -q calibre "$3" && ! grep -q oneOf "$3"' "$taplo" "$schema" "$work/typo.toml" "$work/taplo.out"
check "taplo fails a voltage where a frequency belongs" bash -c '! "$0" check --no-auto-config --colors never --schema "$1" "$2"' "$taplo" "$schema" "$work/wrong-unit.toml"
# fails FILE WORDS: taplo fails FILE with output naming WORDS (a grep pattern) and no `oneOf`.
fails() { ! lint --schema "$schema" "$1" >"$work/taplo.out" 2>&1 && grep -q "$2" "$work/taplo.out" && ! grep -q oneOf "$work/taplo.out"; }
check "taplo names a band table's typo key" fails "$work/band.toml" "'uze' was unexpected"
check "taplo names a voltage range's missing end" fails "$work/range.toml" '"max" is a required property'
check "taplo names a withstand table's typo key" fails "$work/withstand.toml" "'duraton' was unexpected"
check "taplo names the types fuel grades take" fails "$work/grades.toml" 'is not of types "array", "string"'
check "taplo reads the #:schema comment: good" lint "$work/good-directive.toml"
check "taplo reads the #:schema comment: typo" bash -c '! "$0" check --no-auto-config --colors never "$1"' "$taplo" "$work/typo-directive.toml"
# formfit reads the same files as taplo judged them.
check "formfit reads the commented product" "$formfit" check --no-config --fail-on never "$work/good-directive.toml"
report test-editors
