#!/usr/bin/env bash
# Measures the whole `formfit` CLI as a process (start-up, pack compilation, read, check,
# render) with hyperfine, beside `jsonschema-cli` validating the same product (converted to
# JSON) against schemas/product.schema.json, and prints the ratio of the two means.
#
# Usage (from the repository root): scripts/bench-cli.sh
# Environment: RUNS (default 50), WARMUP (default 5), PRODUCT (default the example product).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

RUNS="${RUNS:-50}"
WARMUP="${WARMUP:-5}"
PRODUCT="${PRODUCT:-fixtures/examples/vehicle-radio-set.toml}"
SCHEMA="schemas/product.schema.json"

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null 2>&1; then
        sudo "$@"
    else
        echo "bench-cli: need root (or sudo) to run: $*" >&2
        exit 3
    fi
}

# --- tools -----------------------------------------------------------------------------------
if ! command -v hyperfine >/dev/null 2>&1; then
    echo "bench-cli: installing hyperfine with apt-get" >&2
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y hyperfine
fi
PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
if ! command -v jsonschema-cli >/dev/null 2>&1; then
    echo "bench-cli: installing jsonschema-cli with cargo (this takes a few minutes)" >&2
    cargo install jsonschema-cli --locked
fi
JSONSCHEMA="$(command -v jsonschema-cli)"
command -v python3 >/dev/null 2>&1 || { echo "bench-cli: python3 is required" >&2; exit 3; }

# --- formfit release build -------------------------------------------------------------------
cargo build --release --bin formfit
TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
FORMFIT="$TARGET_DIR/release/formfit"

# --- inputs ----------------------------------------------------------------------------------
WORK="$(mktemp -d "${TMPDIR:-/tmp}/formfit-bench.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
PRODUCT_JSON="$WORK/$(basename "${PRODUCT%.*}").json"
python3 - "$PRODUCT" "$PRODUCT_JSON" <<'EOF'
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    doc = tomllib.load(f)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
EOF

# `--fail-on never`: the same work, but findings (exit 1) are not an error to hyperfine.
FORMFIT_CMD="$FORMFIT check $PRODUCT --all-applicable --format json --fail-on never"
JSONSCHEMA_CMD="$JSONSCHEMA validate --offline $SCHEMA -i $PRODUCT_JSON"

# Both commands must succeed as they stand: hyperfine stops on a non-zero exit, and a failing
# command would time an error path rather than the real work.
for cmd in "$FORMFIT_CMD" "$JSONSCHEMA_CMD"; do
    # shellcheck disable=SC2086 # word splitting is wanted: hyperfine -N splits the same way
    if ! $cmd >"$WORK/out" 2>&1; then
        echo "bench-cli: this command fails, so it cannot be benchmarked: $cmd" >&2
        cat "$WORK/out" >&2
        exit 3
    fi
done

# --- measurement -----------------------------------------------------------------------------
RESULTS="$WORK/hyperfine.json"
hyperfine -N --warmup "$WARMUP" --runs "$RUNS" --export-json "$RESULTS" \
    --command-name formfit "$FORMFIT_CMD" \
    --command-name jsonschema-cli "$JSONSCHEMA_CMD"

python3 - "$RESULTS" <<'EOF'
import json, sys
with open(sys.argv[1], encoding="utf-8") as f:
    results = {r["command"]: r for r in json.load(f)["results"]}
ff, js = results["formfit"], results["jsonschema-cli"]
ms = lambda s: f"{s * 1000:.2f} ms"
print()
print(f"formfit        mean {ms(ff['mean'])} ± {ms(ff['stddev'])}  (median {ms(ff['median'])})")
print(f"jsonschema-cli mean {ms(js['mean'])} ± {ms(js['stddev'])}  (median {ms(js['median'])})")
print(f"ratio formfit / jsonschema-cli (means): {ff['mean'] / js['mean']:.2f}")
EOF
