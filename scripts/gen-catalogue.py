#!/usr/bin/env python3
"""A seeded catalogue of product descriptions, for scale and memory measurements.

Templates are the good and bad fixtures of every shipped pack (fixtures/*/good-*, bad-*), in
all three formats, so the mix of categories, verdicts and formats is the fixtures' own. Each
product gets its own id (the template's id replaced everywhere it appears).

    scripts/gen-catalogue.py --count 100000 --seed 11 --ndjson catalogue.ndjson
    scripts/gen-catalogue.py --count 1000 --seed 11 --dir catalogue/

NDJSON lines are JSON objects, so only TOML and JSON templates feed them (Python has no YAML
reader in its standard library); a folder gets every format.
"""

import argparse
import json
import pathlib
import random
import re
import sys
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent


def templates():
    found = []
    for path in sorted((ROOT / "fixtures").glob("*/*")):
        if path.parent.name in ("invalid", "examples"):
            continue
        if not (path.name.startswith("good-") or path.name.startswith("bad-")):
            continue
        # utf-8-sig: one fixture carries a byte-order mark on purpose.
        text = path.read_text(encoding="utf-8-sig")
        match = re.search(r"""(?m)^\s*"?id"?\s*[:=]\s*"?([A-Za-z0-9._-]+)"?""", text)
        if not match:
            continue
        found.append((path, text, match.group(1)))
    return found


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, required=True)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--ndjson", help="write one JSON product per line to this file (- for stdout)")
    parser.add_argument("--dir", help="write one file per product under this folder")
    args = parser.parse_args()
    if bool(args.ndjson) == bool(args.dir):
        parser.error("give --ndjson or --dir")
    rng = random.Random(args.seed)
    every = templates()
    if args.ndjson:
        rows = []
        for path, text, old in every:
            if path.suffix == ".toml":
                rows.append((tomllib.loads(text), old))
            elif path.suffix == ".json":
                rows.append((json.loads(text), old))
        out = sys.stdout if args.ndjson == "-" else open(args.ndjson, "w", encoding="utf-8")
        for i in range(args.count):
            value, old = rng.choice(rows)
            value = json.loads(json.dumps(value))
            value["product"]["id"] = f"{old}-{i:07d}"
            out.write(json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n")
        if out is not sys.stdout:
            out.close()
    else:
        root = pathlib.Path(args.dir)
        for i in range(args.count):
            path, text, old = rng.choice(every)
            folder = root / f"{i // 1000:04d}"
            folder.mkdir(parents=True, exist_ok=True)
            new = f"{old}-{i:07d}"
            (folder / f"{new}{path.suffix}").write_text(text.replace(old, new), encoding="utf-8")


if __name__ == "__main__":
    main()
