#!/usr/bin/env python3
"""Checks an NDJSON product catalogue with formfit on Apache Spark.

Each partition of the catalogue (`sc.textFile(path, minPartitions=N)`, which keeps the file's
order) is piped through one `formfit check --ndjson - --format ndjson --fail-on never` process;
its result lines, each tagged with the partition and the catalogue line it answers, are written
to OUTPUT as text part files in catalogue order. See README.md beside this file.

Usage:
  check_catalogue.py --formfit BINARY --input CATALOGUE.ndjson --output DIR
                     [--partitions N] [--master local[2]] [--driver-memory 1g]
                     [--driver-java-options OPTS]
                     [--jobs K] [-- FORMFIT-OPTION...]

Options after `--` are added to the formfit command (`-- --standard "STANAG 4172"`).
"""

import argparse
import json
import os
import shlex
import sys
import time

# formfit's fixed part: a stream on standard input, one result per line out, and a gate that
# fails nothing, so that a non-conformant or invalid product is a result, never a failed task
# (an unreadable stream or a broken pack still exits 3, which fails the task: checkCode=True).
# `--no-config`: the rules a worker applies must not depend on a formfit.toml found above
# whatever directory Spark runs the task in.
FORMFIT_ARGS = ["check", "--no-config", "--ndjson", "-", "--format", "ndjson",
                "--fail-on", "never"]

# The whole environment of each formfit process: a backtrace in the task's log if it ever fails.
FORMFIT_ENV = {"RUST_BACKTRACE": "1"}


def formfit_command(binary, jobs, extra):
    """One command string. PySpark's `pipe` splits it with shlex and runs it without a shell,
    so every word is quoted here (a path with a space stays one word) and no shell syntax
    (`|`, `>`, `$VAR`, `~`) would mean anything in it."""
    words = [os.path.abspath(binary), *FORMFIT_ARGS]
    if jobs:
        words += ["--jobs", str(jobs)]
    return shlex.join(words + list(extra))


def first_lines(counts):
    """The catalogue line number just before each partition: a partition's line n is the
    catalogue's line first[i] + n (formfit numbers the lines of its own stream from 1)."""
    first, total = [], 0
    for n in counts:
        first.append(total)
        total += n
    return first


def tag(first):
    """Adds `partition` to every result line and `catalogue_line` to every product line; the
    fields formfit wrote stay as they are (its `line` and locations are the partition's)."""
    def each(index, lines):
        for text in lines:
            result = json.loads(text)
            result["partition"] = index
            if result.get("type") == "product" and isinstance(result.get("line"), int):
                result["catalogue_line"] = first[index] + result["line"]
            yield json.dumps(result, ensure_ascii=False, separators=(",", ":"))
    return each


def add_summary(total, summary):
    """Adds one partition's `summary` object into the run's."""
    for key, value in summary.items():
        if isinstance(value, dict):
            add_summary(total.setdefault(key, {}), value)
        elif isinstance(value, int):
            total[key] = total.get(key, 0) + value


def main(argv):
    own, extra = (argv[:argv.index("--")], argv[argv.index("--") + 1:]) if "--" in argv \
        else (argv, [])
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--formfit", required=True,
                    help="the formfit binary, at the same path on every worker")
    ap.add_argument("--input", required=True, help="the NDJSON catalogue: one product a line")
    ap.add_argument("--output", required=True, help="a directory that does not exist yet")
    ap.add_argument("--partitions", type=int, default=4, help="minPartitions of the text file")
    ap.add_argument("--master", default="local[2]")
    ap.add_argument("--driver-memory", default="1g")
    ap.add_argument("--driver-java-options", default="",
                    help="JVM options of the driver (in local mode, of the executors too)")
    ap.add_argument("--jobs", type=int, default=1,
                    help="formfit threads per task (Spark already runs a task per core)")
    args = ap.parse_args(own)
    if not os.access(args.formfit, os.X_OK):
        ap.error(f"--formfit {args.formfit}: not an executable file")

    # Local mode binds to the loopback: a host whose name does not resolve, or resolves to an
    # address of another interface, would otherwise stall the session's start.
    os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
    seconds, clock = {}, time.monotonic()

    def lap(name):
        nonlocal clock
        seconds[name] = round(time.monotonic() - clock, 1)
        clock = time.monotonic()

    from pyspark.sql import SparkSession  # imported late: the variable above must come first

    # spark.driver.memory (and the JVM options) only count before the driver's JVM starts,
    # that is here, in the builder: set on a running session they are silently ignored.
    builder = SparkSession.builder
    if args.driver_java_options:
        builder = builder.config("spark.driver.extraJavaOptions", args.driver_java_options)
    spark = (builder
             .master(args.master)
             .appName("formfit check_catalogue")
             .config("spark.driver.memory", args.driver_memory)
             .config("spark.driver.host", "127.0.0.1")
             .config("spark.driver.bindAddress", "127.0.0.1")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("WARN")
    lap("session")
    sc = spark.sparkContext
    try:
        lines = sc.textFile(args.input, minPartitions=args.partitions)
        # One cheap pass counts each partition's lines, so that results can name the
        # catalogue line they answer; the catalogue is read again by the pipe.
        counts = lines.mapPartitions(lambda it: [sum(1 for _ in it)]).collect()
        first = first_lines(counts)
        lap("count")
        command = formfit_command(args.formfit, args.jobs, extra)
        # env= is the child's whole environment, and leaving it out gives an empty one (PySpark
        # passes `env or {}` to Popen), never the worker's: PATH, HOME and the rest are gone.
        # formfit needs none of them (an absolute path, --no-config, results on stdout); what
        # it should see is listed here in full.
        results = (lines.pipe(command, env=FORMFIT_ENV, checkCode=True)
                   .mapPartitionsWithIndex(tag(first)))
        results.saveAsTextFile(args.output)
        lap("check")
        summaries = (sc.textFile(args.output)
                     .filter(lambda l: l.startswith('{"type":"summary"'))
                     .map(json.loads)
                     .collect())
    finally:
        spark.stop()

    total = {}
    for s in summaries:
        add_summary(total, s["summary"])
    exit_codes = sorted({s["exit_code"] for s in summaries})
    print(json.dumps({"partitions": len(counts), "lines": sum(counts),
                      "exit_codes": exit_codes, "summary": total, "seconds": seconds},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
