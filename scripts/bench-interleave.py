#!/usr/bin/env python3
"""Runs several commands in interleaved rounds and reports each one's median wall time and
peak RSS, for ratios a shared, noisy machine cannot skew much: every round runs every command
once, one after another, so a burst of load from elsewhere hits all of them alike.

Usage: scripts/bench-interleave.py ROUNDS NAME=COMMAND [NAME=COMMAND...] [--json FILE]

A COMMAND is split like a shell word list (shlex) and run without a shell, output to
/dev/null; `VAR=value` words at its start are set in its environment. A command must exit 0,
1 or 2 (formfit's verdict exit codes); anything else stops the run.
"""

import json
import os
import shlex
import statistics
import subprocess
import sys
import time


def parse(spec):
    name, _, command = spec.partition("=")
    words = shlex.split(command)
    env = dict(os.environ)
    while words and "=" in words[0] and not words[0].startswith("/"):
        key, _, value = words.pop(0).partition("=")
        env[key] = value
    return name, words, env


def run(words, env):
    start = time.perf_counter()
    with open(os.devnull, "wb") as null:
        child = subprocess.Popen(words, env=env, stdout=null, stderr=null)
        _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in (0, 1, 2):
        sys.exit(f"bench-interleave: exit {code}: {shlex.join(words)}")
    return wall, usage.ru_maxrss * 1024


def main():
    args = sys.argv[1:]
    out = None
    if "--json" in args:
        i = args.index("--json")
        out = args[i + 1]
        del args[i:i + 2]
    rounds = int(args[0])
    commands = [parse(spec) for spec in args[1:]]
    walls = {name: [] for name, _, _ in commands}
    rss = {name: 0 for name, _, _ in commands}
    for _ in range(rounds):
        for name, words, env in commands:
            wall, peak = run(words, env)
            walls[name].append(wall)
            rss[name] = max(rss[name], peak)
    result = {name: {"median_s": statistics.median(w), "min_s": min(w), "max_s": max(w),
                     "runs": w, "peak_rss_bytes": rss[name]} for name, w in walls.items()}
    for name, r in result.items():
        print(f"{name:<28} median {r['median_s']:8.3f} s  (min {r['min_s']:.3f}, "
              f"max {r['max_s']:.3f}, {rounds} rounds)  peak RSS {r['peak_rss_bytes'] / 2**20:7.1f} MiB")
    if out:
        with open(out, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)


if __name__ == "__main__":
    main()
