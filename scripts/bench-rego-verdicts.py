#!/usr/bin/env python3
"""Asserts that formfit and the Rego policy reach the same verdicts on a catalogue.

Usage: scripts/bench-rego-verdicts.py FORMFIT_JSON REGORUS_JSON COUNT

FORMFIT_JSON: `formfit check ... --standard "STANAG 4172" --standard "NATO UHF Air Band"
--standard MIL-STD-1275 --format json` over files named p0000000.*, p0000001.* ... (as
scripts/gen-catalogue.py writes them). REGORUS_JSON: `regorus eval` of `data.xb.deny` of
policy_batch_split.rego over the same products as {"products": [...]}, in file-name order.

The verdict compared is, per product, the set of rule ids of its failed shall rules (what the
policy's `deny` holds). Exit 0 when every product agrees, 1 otherwise (the first differences
are printed).
"""

import json
import os
import re
import sys


def formfit_verdicts(path):
    with open(path, encoding="utf-8") as f:
        report = json.load(f)
    verdicts = {}
    for product in report["products"]:
        match = re.match(r"p(\d+)\.", os.path.basename(product["file"]))
        if not match:
            continue
        failed = {f["rule"] for f in product["findings"]
                  if f["level"] == "shall" and f["status"] == "open"}
        verdicts[int(match.group(1))] = failed
    return verdicts


def regorus_verdicts(path):
    with open(path, encoding="utf-8") as f:
        result = json.load(f)
    verdicts = {}
    for index, message in result["result"][0]["expressions"][0]["value"]:
        verdicts.setdefault(index, set()).add(message.split(":", 1)[0])
    return verdicts


def main():
    ff = formfit_verdicts(sys.argv[1])
    rg = regorus_verdicts(sys.argv[2])
    count = int(sys.argv[3])
    if len(ff) != count:
        print(f"formfit reported {len(ff)} products, expected {count}", file=sys.stderr)
        return 1
    differing = [i for i in range(count) if ff.get(i, set()) != rg.get(i, set())]
    failing = sum(1 for i in range(count) if ff.get(i))
    for i in differing[:10]:
        print(f"p{i:07d}: formfit {sorted(ff.get(i, set()))}, rego {sorted(rg.get(i, set()))}",
              file=sys.stderr)
    print(f"verdicts: {count} products, {failing} failing a shall rule, "
          f"{len(differing)} differing between formfit and regorus", file=sys.stderr)
    return 1 if differing else 0


if __name__ == "__main__":
    sys.exit(main())
