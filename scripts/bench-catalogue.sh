#!/usr/bin/env bash
# Reproduces every figure of BENCHMARKS.md, side by side on one machine in one run:
#   1. cold single product: formfit vs jsonschema-cli (hyperfine)
#   2. batch throughput vs the parse-only floor (../shared/bench/floor), 1 and 2 threads
#   3. 1k -> 10k -> 100k scaling, with peak RSS
#   4. 1 thread vs 2 threads (formfit --jobs N; the floor par/seq), beside the floor's own speedup
#   5. regorus on the equivalent Rego policy (../shared/bench/rego/): verdicts asserted equal
#      on the whole batch first, then timed, batch and per process, beside the floor on the
#      same files (the speed no checker of those files can pass)
#   6. peak RSS per output format (ndjson, json, sarif, junit) at each of RSS_SIZES products,
#      /usr/bin/time -v, the median of RSS_ROUNDS runs, and the largest size's over the smallest's
# Every batch figure comes from interleaved rounds (scripts/bench-interleave.py): medians, and
# ratios of medians taken in the same run. `uptime` is printed first and last: the load of a
# shared machine is part of the result.
#
# Usage (from the repository root): scripts/bench-catalogue.sh
# Environment: SIZES (default "1000 10000 100000"), ROUNDS (default 5), ROUNDS_LARGE (the
#   rounds from 100k products up; default 3),
#   REGO_COUNT (default 10000), SEED (default 1), WORK (default a fresh temporary directory,
#   kept when given), FLOOR_SRC (default ../shared/bench/floor), REGO_SRC
#   (default ../shared/bench/rego), HYPERFINE_RUNS (default 50), PARTS (default
#   "cold batch rego": which of the sections to run; "rss" is section 6), RSS_SIZES (default
#   "1000 100000"), RSS_ROUNDS (default 3), FORMFIT
#   (default: this tree's release build, built first).
# Needs: python3 (3.11+); hyperfine for cold and rego, jsonschema-cli for cold, regorus for
# rego (on PATH or in ~/.cargo/bin; scripts/bench-tools.sh installs the versions measured,
# regorus in about 25 minutes on 2 cores), GNU time (/usr/bin/time) for rss.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
PATH="${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
SIZES="${SIZES:-1000 10000 100000}"
ROUNDS="${ROUNDS:-5}"
ROUNDS_LARGE="${ROUNDS_LARGE:-3}"
REGO_COUNT="${REGO_COUNT:-10000}"
SEED="${SEED:-1}"
FLOOR_SRC="${FLOOR_SRC:-$ROOT/../shared/bench/floor}"
REGO_SRC="${REGO_SRC:-$ROOT/../shared/bench/rego}"
HYPERFINE_RUNS="${HYPERFINE_RUNS:-50}"
PARTS="${PARTS:-cold batch rego}"
RSS_SIZES="${RSS_SIZES:-1000 100000}"
RSS_ROUNDS="${RSS_ROUNDS:-3}"
part() { [[ " $PARTS " == *" $1 "* ]]; }
if [ -n "${WORK:-}" ]; then
    mkdir -p "$WORK"
else
    WORK="$(mktemp -d "${TMPDIR:-/tmp}/formfit-bench.XXXXXX")"
    trap 'rm -rf "$WORK"' EXIT
fi
need() {
    command -v "$1" >/dev/null ||
        { echo "bench-catalogue: $1 is required (scripts/bench-tools.sh installs it)" >&2; exit 3; }
}
need python3
if part cold; then need hyperfine; need jsonschema-cli; fi
if part rego; then need hyperfine; need regorus; fi
if part rss; then need /usr/bin/time; fi
INTERLEAVE="python3 $ROOT/scripts/bench-interleave.py"
section() { printf '\n=== %s\n' "$*"; }

section "machine"
uname -srm
nproc
uptime

# --- binaries --------------------------------------------------------------------------------
# FORMFIT, when given, is the binary to measure (a release build made otherwise, e.g. with
# line tables for callgrind); else this tree's release build.
if [ -z "${FORMFIT:-}" ]; then
    cargo build --release --bin formfit
    TARGET_DIR="$(cargo metadata --format-version 1 --no-deps |
        python3 -c 'import json, sys; print(json.load(sys.stdin)["target_directory"])')"
    FORMFIT="$TARGET_DIR/release/formfit"
fi
echo "formfit: $FORMFIT"
# The floor is a fixed baseline: built as shipped, in a copy, never edited.
if part batch || part rego; then
    if [ ! -x "$WORK/floor/target/release/floor" ]; then
        rm -rf "$WORK/floor"
        cp -r "$FLOOR_SRC" "$WORK/floor"
        (cd "$WORK/floor" && cargo build --release --quiet)
    fi
    FLOOR="$WORK/floor/target/release/floor"
    echo "floor:   $FLOOR"
fi
if part cold; then jsonschema-cli --version 2>/dev/null || true; fi
if part rego; then regorus --version; fi

# --- catalogues: one directory of product files each, and a formfit.toml naming them --------
# (a formfit.toml glob, because 100 000 file arguments overflow the argument list)
catalogue() { # NAME COUNT MIX [FORMATS]
    local dir="$WORK/$1"
    if [ ! -d "$dir/products" ]; then
        python3 "$ROOT/scripts/gen-catalogue.py" --count "$2" --seed "$SEED" --mix "$3" \
            --formats "${4:-toml,json,yaml}" --out "$dir/products" \
            --batch-json "$dir/batch.json"
    fi
    # One glob per format written (a glob that matches nothing is an error, exit 3).
    local globs="" format
    for format in ${4//,/ }; do globs="$globs${globs:+, }\"$dir/products/*.$format\""; done
    printf 'products = [%s]\n' "$globs" >"$dir/formfit.toml"
}
if part batch; then for n in $SIZES; do catalogue "cat-$n" "$n" full toml,json,yaml; done; fi
if part rego; then catalogue "rego-$REGO_COUNT" "$REGO_COUNT" rego json; fi

# --- 1. cold single product --------------------------------------------------------------------
if part cold; then
section "1. cold single product: formfit vs jsonschema-cli (hyperfine, $HYPERFINE_RUNS runs)"
PRODUCT="fixtures/examples/vehicle-radio-set.toml"
python3 - "$PRODUCT" "$WORK/product.json" <<'EOF'
import json, sys, tomllib
with open(sys.argv[1], "rb") as f:
    doc = tomllib.load(f)
with open(sys.argv[2], "w", encoding="utf-8") as f:
    json.dump(doc, f, indent=2, ensure_ascii=False)
EOF
hyperfine -N --warmup 5 --runs "$HYPERFINE_RUNS" --export-json "$WORK/cold.json" \
    --command-name "formfit check PRODUCT --format json" \
    "$FORMFIT check $PRODUCT --format json --fail-on never" \
    --command-name "formfit --all-applicable" \
    "$FORMFIT check $PRODUCT --all-applicable --format json --fail-on never" \
    --command-name "jsonschema-cli validate" \
    "jsonschema-cli validate --offline schemas/product.schema.json -i $WORK/product.json"
python3 - "$WORK/cold.json" <<'EOF'
import json, sys
r = {x["command"]: x for x in json.load(open(sys.argv[1]))["results"]}
js = r["jsonschema-cli validate"]
for name in ("formfit check PRODUCT --format json", "formfit --all-applicable"):
    ff = r[name]
    print(f"{name}: mean {ff['mean'] * 1e3:.2f} ms, median {ff['median'] * 1e3:.2f} ms; "
          f"jsonschema-cli mean {js['mean'] * 1e3:.2f} ms, median {js['median'] * 1e3:.2f} ms; "
          f"ratio of means {ff['mean'] / js['mean']:.2f}, of medians {ff['median'] / js['median']:.2f}")
EOF
fi

# --- 2-4. batch vs floor, threads, scaling ---------------------------------------------------
ratio() { # JSON A B: median(A) / median(B)
    python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print(format(r[sys.argv[2]]["median_s"] / r[sys.argv[3]]["median_s"], ".2f"))' "$@"
}
for n in $SIZES; do
    part batch || break
    rounds="$ROUNDS"
    [ "$n" -ge 100000 ] && rounds="$ROUNDS_LARGE"
    dir="$WORK/cat-$n"
    section "2-4. $n products ($rounds interleaved rounds)"
    $INTERLEAVE "$rounds" --json "$dir/times.json" \
        "floor-2=$FLOOR $dir/products same par" \
        "formfit-2=$FORMFIT check --jobs 2 --config $dir/formfit.toml --format json --fail-on never" \
        "floor-1=$FLOOR $dir/products same seq" \
        "formfit-1=$FORMFIT check --jobs 1 --config $dir/formfit.toml --format json --fail-on never"
    t="$dir/times.json"
    echo "throughput / floor, 2 threads: $(ratio "$t" floor-2 formfit-2)"
    echo "throughput / floor, 1 thread:  $(ratio "$t" floor-1 formfit-1)"
    echo "formfit 1 -> 2 threads speedup: $(ratio "$t" formfit-1 formfit-2) (floor's own: $(ratio "$t" floor-1 floor-2))"
    python3 -c 'import json, sys
r, n = json.load(open(sys.argv[1]))["formfit-2"], int(sys.argv[2])
print("formfit 2 threads: %.0f products/s, peak RSS %.1f MiB" % (n / r["median_s"], r["peak_rss_bytes"] / 2**20))' "$t" "$n"
done

# --- 5. regorus ------------------------------------------------------------------------------
if part rego; then
dir="$WORK/rego-$REGO_COUNT"
STANDARDS=(--standard "STANAG 4172" --standard "NATO UHF Air Band" --standard MIL-STD-1275)
section "5. regorus vs formfit on $REGO_COUNT products (STANAG 4172, NATO UHF Air Band, MIL-STD-1275)"
"$FORMFIT" check --config "$dir/formfit.toml" "${STANDARDS[@]}" --format json --fail-on never \
    >"$dir/formfit.json" || true
regorus eval -d "$REGO_SRC/policy_batch_split.rego" -i "$dir/batch.json" data.xb.deny >"$dir/regorus.json"
python3 "$ROOT/scripts/bench-rego-verdicts.py" "$dir/formfit.json" "$dir/regorus.json" "$REGO_COUNT"
# The same standards as a formfit.toml setting, so that the interleaving helper gets one word list.
printf 'standards = ["STANAG 4172", "NATO UHF Air Band", "MIL-STD-1275"]\n' >>"$dir/formfit.toml"
# (catalogue rewrites formfit.toml on every run, so the line is never there twice)
# The same products as one NDJSON stream, as regorus reads them from one document.
[ -f "$dir/batch.ndjson" ] ||
    python3 "$ROOT/scripts/gen-catalogue.py" --count "$REGO_COUNT" --seed "$SEED" --mix rego \
        --formats json --ndjson "$dir/batch.ndjson"
STREAM_STANDARDS="--standard 'STANAG 4172' --standard 'NATO UHF Air Band' --standard MIL-STD-1275"
# The floor parses the same files on 2 threads and checks nothing: regorus / floor is the
# most that any checker reading these files one by one could reach.
$INTERLEAVE "$ROUNDS" --json "$dir/times.json" \
    "regorus-batch=regorus eval -d $REGO_SRC/policy_batch_split.rego -i $dir/batch.json data.xb.deny" \
    "formfit-batch=$FORMFIT check --config $dir/formfit.toml --format json --fail-on never" \
    "formfit-stream=$FORMFIT check --no-config --ndjson $dir/batch.ndjson $STREAM_STANDARDS --format ndjson --fail-on never" \
    "floor-batch=$FLOOR $dir/products same par"
echo "regorus / formfit (batch of files, higher is better for formfit): $(ratio "$dir/times.json" regorus-batch formfit-batch)"
echo "regorus / formfit (one NDJSON stream): $(ratio "$dir/times.json" regorus-batch formfit-stream)"
echo "regorus / floor (the same files parsed, nothing checked): $(ratio "$dir/times.json" regorus-batch floor-batch)"
ONE="$dir/products/p0000000.json"
hyperfine -N --warmup 5 --runs "$HYPERFINE_RUNS" \
    --command-name "formfit one product" \
    "$FORMFIT check --config $dir/formfit.toml $ONE --format json --fail-on never" \
    --command-name "regorus one product" \
    "regorus eval -d $REGO_SRC/policy_split.rego -i $ONE data.x.deny" 2>&1 | grep -v '^ *$' || true
fi

# --- 6. peak RSS -------------------------------------------------------------------------------
# Three inputs: the catalogue's files through a formfit.toml glob, the same files as a folder
# walked (`formfit check DIR`), and the same products as one NDJSON stream (`--ndjson`). For
# files formfit holds the sorted list of names (a name's bytes and twelve more each) and, to
# name a duplicate id's first file, a table of id hashes (twelve bytes a file); for a stream
# nothing is kept per line but an eight-byte hash.
if part rss; then
sizes=($RSS_SIZES)
for n in "${sizes[@]}"; do
    catalogue "cat-$n" "$n" full toml,json,yaml
    [ -f "$WORK/c$n.ndjson" ] ||
        python3 "$ROOT/scripts/gen-catalogue.py" --count "$n" --seed "$SEED" --mix full --ndjson "$WORK/c$n.ndjson"
done
section "6. peak RSS by format, $RSS_SIZES products (/usr/bin/time -v, median of $RSS_ROUNDS)"
echo "files:  /usr/bin/time -v $FORMFIT check --config DIR/formfit.toml --format F --fail-on never"
echo "folder: /usr/bin/time -v $FORMFIT check --no-config DIR/products --format F --fail-on never"
echo "ndjson: /usr/bin/time -v $FORMFIT check --no-config --ndjson cN.ndjson --format F --fail-on never"
printf '%-7s %-7s' input format; printf ' %12s' "${sizes[@]}"; printf ' %14s\n' "last/first"
for input in files folder ndjson; do
    for format in ndjson json sarif junit; do
        medians=()
        for n in "${sizes[@]}"; do
            if [ "$input" = files ]; then
                args=(--config "$WORK/cat-$n/formfit.toml")
            elif [ "$input" = folder ]; then
                args=(--no-config "$WORK/cat-$n/products")
            else
                args=(--no-config --ndjson "$WORK/c$n.ndjson")
            fi
            kib=()
            for _ in $(seq "$RSS_ROUNDS"); do
                # Exit 0-2 are verdicts (the catalogue holds invalid files); anything else stops.
                code=0
                /usr/bin/time -v -o "$WORK/time.txt" "$FORMFIT" check "${args[@]}" \
                    --format "$format" --fail-on never >/dev/null 2>&1 || code=$?
                [ "$code" -le 2 ] || { echo "bench-catalogue: formfit exited $code" >&2; exit 3; }
                kib+=("$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$WORK/time.txt")")
            done
            medians+=("$(printf '%s\n' "${kib[@]}" | sort -n | sed -n "$(( (RSS_ROUNDS + 1) / 2 ))p")")
        done
        printf '%-7s %-7s' "$input" "$format"
        for m in "${medians[@]}"; do awk -v k="$m" 'BEGIN { printf " %8.1f MiB", k / 1024 }'; done
        awk -v a="${medians[-1]}" -v b="${medians[0]}" 'BEGIN { printf " %13.2fx\n", a / b }'
    done
done
fi

section "load at the end"
uptime
