#!/usr/bin/env bash
# The Spark recipe (examples/spark/) for real: a seeded catalogue of 10 000 products, with a
# few broken lines and blank lines in it, checked by the PySpark job in local mode and by one
# plain `formfit check --ndjson` run; the two must give the same number of results, the same
# verdict counts and the same verdict for every product (by id and catalogue line).
#
# Usage: scripts/test-spark.sh BINARY
# Installs Java 17 from Debian when `java` is absent, and pyspark from PyPI into a venv kept at
# $FORMFIT_SPARK_VENV (default ~/.cache/formfit/spark-venv-4.3.0), reused when present.
# Nothing is downloaded while the job runs. Environment: SPARK_TEST_COUNT (10000),
# SPARK_TEST_PARTITIONS (4).
set -euo pipefail

if [ $# -ne 1 ]; then
  echo "usage: $0 BINARY" >&2
  exit 2
fi
binary=$(realpath "$1")
cd "$(dirname "$0")/.."

pyspark_version=4.3.0
venv=${FORMFIT_SPARK_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/formfit/spark-venv-$pyspark_version}
count=${SPARK_TEST_COUNT:-10000}
partitions=${SPARK_TEST_PARTITIONS:-4}
started=$SECONDS

if ! command -v java >/dev/null 2>&1; then
  echo "test-spark: installing openjdk-17-jre-headless" >&2
  apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null
fi
if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$pyspark_version')" \
    >/dev/null 2>&1; then
  echo "test-spark: installing pyspark $pyspark_version into $venv" >&2
  rm -rf "$venv"
  mkdir -p "$(dirname "$venv")"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "pyspark==$pyspark_version"
  echo "test-spark: venv ready in $((SECONDS - started)) s" >&2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The catalogue: generated, then broken in a few places as real catalogues are (a line cut
# off, a line that is not JSON, blank lines), spread so that several partitions get one.
python3 scripts/gen-catalogue.py --count "$count" --seed 11 --ndjson "$work/generated.ndjson"
python3 - "$work/generated.ndjson" "$work/catalogue.ndjson" <<'EOF'
import sys
lines = open(sys.argv[1], encoding="utf-8").read().splitlines()
n = len(lines)
broken = {n // 7: lines[n // 7][:40], n // 2: "not json at all", (5 * n) // 6: ""}
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for i, line in enumerate(lines):
        out.write(broken.get(i, line) + "\n")
        if i == n // 3:
            out.write("\n")
EOF

# The plain run: one process over the whole file.
set +e
"$binary" check --no-config --ndjson "$work/catalogue.ndjson" --format ndjson --fail-on never \
  >"$work/local.ndjson"
local_code=$?
set -e
if [ "$local_code" -ne 0 ]; then
  echo "test-spark: the local run exited $local_code under --fail-on never" >&2
  exit 1
fi

# A short job on a busy machine spends its start compiling Spark's own code: the quick JIT
# tier alone and the serial collector start it sooner (24-125 s against 58-140 s, paired, on
# two loaded cores); a long job would rather keep the defaults.
spark_started=$SECONDS
SPARK_LOCAL_IP=127.0.0.1 "$venv/bin/python" examples/spark/check_catalogue.py \
  --formfit "$binary" --input "$work/catalogue.ndjson" --output "$work/spark" \
  --partitions "$partitions" --master "local[2]" --driver-memory 1g \
  --driver-java-options "-XX:TieredStopAtLevel=1 -XX:+UseSerialGC" \
  >"$work/spark-run.json" 2>"$work/spark.log" || {
  echo "test-spark: the Spark job failed; its log:" >&2
  tail -n 40 "$work/spark.log" >&2
  exit 1
}
spark_seconds=$((SECONDS - spark_started))

python3 - "$work/local.ndjson" "$work/spark" "$work/spark-run.json" "$partitions" <<'EOF'
import collections, glob, json, os, sys

local_path, spark_dir, run_path, partitions = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
failures = []

def check(ok, what):
    if not ok:
        failures.append(what)

local = [json.loads(l) for l in open(local_path, encoding="utf-8")]
parts = sorted(glob.glob(os.path.join(spark_dir, "part-*")))
spark = [json.loads(l) for p in parts for l in open(p, encoding="utf-8")]
check(os.path.exists(os.path.join(spark_dir, "_SUCCESS")), "the Spark output has no _SUCCESS")

local_products = [r for r in local if r["type"] == "product"]
spark_products = [r for r in spark if r["type"] == "product"]
spark_summaries = [r for r in spark if r["type"] == "summary"]
local_summary = [r for r in local if r["type"] == "summary"]
check(len(local_summary) == 1 and local[-1]["type"] == "summary",
      "the local run ends with one summary line")
check(len(spark_summaries) >= partitions,
      f"{len(spark_summaries)} partition summaries, asked for at least {partitions}")
check(all(s["exit_code"] == 0 for s in spark_summaries), "a partition did not exit 0")

# Equal result counts.
check(len(local_products) == len(spark_products),
      f"result counts differ: local {len(local_products)}, spark {len(spark_products)}")

# Equal verdict counts: counted from the result lines, and as the summaries say.
count = lambda rs: collections.Counter(r["verdict"] for r in rs)
check(count(local_products) == count(spark_products),
      f"verdict counts differ: local {dict(count(local_products))}, spark {dict(count(spark_products))}")
spark_verdicts = collections.Counter()
for s in spark_summaries:
    spark_verdicts.update(s["summary"]["verdicts"])
check(dict(spark_verdicts) == local_summary[0]["summary"]["verdicts"],
      f"summed partition summaries {dict(spark_verdicts)} differ from the local summary")
run = json.load(open(run_path, encoding="utf-8"))
check(run["summary"]["verdicts"] == local_summary[0]["summary"]["verdicts"],
      "the job's printed summary differs from the local summary")

# Equal per-product verdicts, joined by product id and catalogue line (a broken line has no id).
by_key = lambda rs, line: {(r["product"], r[line]): r["verdict"] for r in rs}
local_by = by_key(local_products, "line")
spark_by = by_key(spark_products, "catalogue_line")
check(len(local_by) == len(local_products), "a (product id, line) key repeats in the local run")
check(local_by == spark_by,
      "per-product verdicts differ, e.g. "
      + str(sorted(set(local_by.items()) ^ set(spark_by.items()), key=str)[:5]))
# In catalogue order too: partitions keep the file's order.
check([r["catalogue_line"] for r in spark_products] == [r["line"] for r in local_products],
      "the Spark results are not in catalogue order")

verdicts = count(local_products)
check(verdicts["invalid"] >= 2 and verdicts["non-conformant"] > 0 and verdicts["conformant"] > 0,
      f"the catalogue does not exercise every kind of result: {dict(verdicts)}")
if failures:
    for f in failures:
        print("test-spark: FAIL:", f, file=sys.stderr)
    sys.exit(1)
print(f"test-spark: {len(spark_products)} results in {len(spark_summaries)} partitions, "
      f"verdicts {dict(sorted(verdicts.items()))}: equal to the local run; "
      f"job phases {run['seconds']} s", file=sys.stderr)
EOF
echo "test-spark: passed (Spark job ${spark_seconds} s, whole test $((SECONDS - started)) s)" >&2
