#!/usr/bin/env python3
"""A seeded, realistic product catalogue for benchmarks: N product files in one directory.

Each product is drawn from a category that a defence catalogue holds (radios, small arms,
ammunition, artillery, vehicles with power and trailer sockets, accessories on rails, avionics
on a data bus...), is good or bad against the standard it claims (about one in three is bad,
with the kinds of mistakes the fixtures show: a look-alike calibre, a band past an edge, 24 V
for 28 V, a commercial trailer socket), and is written as TOML, JSON or YAML in turn. The same
seed always writes the same bytes, so a figure measured on `--seed 1 --count 10000` can be
measured again anywhere.

Usage:
  scripts/gen-catalogue.py --count N [--out DIR] [--seed S] [--mix full|rego]
                           [--ndjson FILE] [--batch-json FILE] [--formats toml,json,yaml]

  --out        the directory of product files (leave it out to write only --ndjson or
               --batch-json: the same products, drawn the same way)

  --mix full   every category (the default)
  --mix rego   only what the Rego policy in ../shared/bench/rego/ models (STANAG 4172 calibres,
               NATO UHF Air Band radios, MIL-STD-1275 vehicle power), spelled so that the
               policy and formfit must agree on every verdict
  --ndjson     also write every product as one JSON line (input order = file name order)
  --batch-json also write {"products": [...]} (for a batch Rego evaluation)
  --formats    the file formats to write in turn (default toml,json,yaml)

Every file parses (the parse-only floor reads them all); "bad" means non-conformant, never
malformed. Python 3.11+ (standard library only).
"""

import argparse
import json
import os
import random
import sys

MAKERS = ["Northgate Arms", "Kestrel Communications", "Bramwell Vehicle Works",
          "Corvane Artillery Works", "Arvalis Aerosystems", "Holden Small Arms",
          "Bramble Defence Radio", "Skylark Satellite Systems", "Hallett Trailers"]


def product(rng, n, category, claims, name):
    return {"product": {
        "id": f"GEN-{n:07d}",
        "name": f"{name} {n}",
        "manufacturer": rng.choice(MAKERS),
        "category": category,
        "conforms_to": claims,
    }}


# ---- categories: each returns (document, good?) ---------------------------------------------

def rifle_556(rng, n, strict):
    good = ["5.56×45 mm NATO", "5.56x45mm NATO", "5.56 NATO", "5.56x45"]
    bad = [".223 Remington", "7.62×39 mm", "5.56x54mm NATO"]
    if not strict:
        good += ["5.56 mm NATO", "NATO 5.56"]
        bad += [".223 Wylde", "5.56 mm"]
    ok = rng.random() < 0.67
    doc = product(rng, n, rng.choice(["small-arm", "ammunition"]), ["STANAG 4172"],
                  "Carbine" if ok else "Rifle")
    if rng.random() < 0.2:
        doc["ammunition"] = [{"name": f"load {i}", "caliber": rng.choice(good if ok else bad)}
                             for i in range(rng.randint(2, 4))]
    else:
        doc["ammunition"] = {"caliber": rng.choice(good if ok else bad)}
        if not strict and rng.random() < 0.05:
            # A misspelt key, as catalogues hold them: schema-invalid, never a silent pass.
            doc["ammunition"] = {"calibre": doc["ammunition"]["caliber"]}
            ok = False
    if not strict and rng.random() < 0.3:
        doc["mount"] = {"rail": rng.choice(["NATO Accessory Rail", "STANAG 4694",
                                            "MIL-STD-1913", "Weaver rail"])}
        doc["product"]["conforms_to"].append("STANAG 4694")
    return doc, ok


def uhf_radio(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "radio", ["NATO UHF Air Band"], "UHF Air Radio")
    if ok:
        band = rng.choice(["225-400 MHz", {"min": "225 MHz", "max": "400 MHz"},
                           {"min": "230 MHz", "max": "399.975 MHz"}])
    else:
        band = rng.choice(["225-420 MHz", {"min": "220 MHz", "max": "400 MHz"},
                           {"min": "225 MHz", "max": "512 MHz"}])
    bands = [band]
    if rng.random() < 0.4:
        bands.insert(0, {"min": "30 MHz", "max": "88 MHz"})
    radio = {"name": "V/UHF", "bands": bands, "channel_spacing": "25 kHz",
             "tx_power": f"{rng.choice([5, 10, 20, 50])} W"}
    if not strict:
        radio["waveforms"] = rng.sample(["SINCGARS", "HAVE QUICK II", "AM", "FM"], 2)
    doc["radio"] = [radio]
    return doc, ok


def vehicle_power(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, rng.choice(["vehicle", "radio", "power-supply"]), ["MIL-STD-1275"],
                  "Vehicle Unit")
    if ok:
        power = {"source": "vehicle", "nominal_voltage": rng.choice(["28 V", "28 VDC"]),
                 "input_voltage": rng.choice(["18-36 V", {"min": "20 V", "max": "33 V"},
                                              {"min": "16 V", "max": "40 V"}])}
    else:
        power = rng.choice([
            # 24 V is a should-level look-alike in formfit's pack, which the Rego policy does
            # not model: only in the full mix.
            {"source": "vehicle", "nominal_voltage": "12 V" if strict else "24 V",
             "input_voltage": "18-32 V"},
            {"source": "vehicle", "nominal_voltage": "28 V", "input_voltage": "22-29 V"},
            {"source": "vehicle", "nominal_voltage": "28 V",
             "input_voltage": {"min": "23 V", "max": "33 V"}},
            {"source": "vehicle", "nominal_voltage": "12 V", "input_voltage": "10-16 V"},
        ])
    if not strict and rng.random() < 0.5:
        power["surge_withstand"] = {"voltage": "100 V", "duration": "50 ms"}
        power["spike_withstand"] = {"voltage": "250 V", "duration": "50 us"}
    doc["power"] = power
    return doc, ok


def trailer(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "vehicle", ["STANAG 4007", "MIL-STD-1275"], "Cargo Truck")
    doc["power"] = {"source": "vehicle", "nominal_voltage": "28 V", "input_voltage": "18-36 V"}
    socket = "NATO 12-pin" if ok else rng.choice(["ISO 12098", "MIL-DTL-38999 Series III"])
    doc["connector"] = [{"name": "J-TRL", "type": socket, "function": "trailer"},
                        {"name": "J-SLV", "type": "NATO slave-start receptacle",
                         "function": "slave-start"}]
    return doc, ok


def pistol(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "small-arm", ["STANAG 4090"], "Service Pistol")
    doc["ammunition"] = {"caliber": rng.choice(["9x19 NATO", "9 x 19 mm NATO", "9×19 mm NATO"])
                         if ok else rng.choice(["9×21 IMI", ".380 ACP", "9×18 mm Makarov"])}
    return doc, ok


def gpmg(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "small-arm", ["7.62x51 NATO"], "Machine Gun")
    doc["ammunition"] = {"caliber": "7.62×51 mm NATO" if ok else
                         rng.choice([".308 Winchester", "7.62×39 mm"])}
    return doc, ok


def howitzer(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "artillery", ["155 mm JBMoU"], "Howitzer")
    doc["ammunition"] = {"caliber": rng.choice(["155 mm L52", "155 mm L39"]) if ok else
                         rng.choice(["152 mm", "155 mm L45"])}
    return doc, ok


def tank_round(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "ammunition", ["120x570 NATO"], "Tank Cartridge")
    doc["ammunition"] = {"caliber": "120×570 mm NATO" if ok else
                         rng.choice(["120 mm rifled", "120 mm mortar"])}
    return doc, ok


def mission_computer(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "aircraft-equipment", ["MIL-STD-1553B", "MIL-STD-704F"],
                  "Mission Computer")
    doc["bus"] = [{"name": "Bus A", "type": "MIL-STD-1553B" if ok else "MIL-STD-1553A"}]
    doc["power"] = {"source": "aircraft", "nominal_voltage": "28 V",
                    "input_voltage": "22-29 V" if ok else "23-29 V"}
    return doc, ok


def vhf_manpack(rng, n, strict):
    ok = rng.random() < 0.67
    doc = product(rng, n, "radio", ["VHF Combat Net Radio"], "VHF Manpack")
    doc["radio"] = [{"name": "VHF", "bands": ["30-87.975 MHz" if ok else "30-50 MHz"],
                     "channel_spacing": "25 kHz", "tx_power": "5 W"}]
    return doc, ok


FULL = [(rifle_556, 20), (uhf_radio, 15), (vehicle_power, 15), (trailer, 10), (pistol, 10),
        (gpmg, 8), (howitzer, 5), (tank_round, 5), (mission_computer, 7), (vhf_manpack, 5)]
REGO = [(rifle_556, 1), (uhf_radio, 1), (vehicle_power, 1)]


# ---- writers: small emitters for the shapes above (strings, tables, arrays) ------------------

def toml_value(v):
    if isinstance(v, str):
        return json.dumps(v, ensure_ascii=False)
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{ " + ", ".join(f"{k} = {toml_value(x)}" for k, x in v.items()) + " }"
    raise TypeError(v)


def to_toml(doc):
    out = []
    for key, value in doc.items():
        if isinstance(value, dict):
            out.append(f"[{key}]")
            out += [f"{k} = {toml_value(v)}" for k, v in value.items()]
        else:
            for item in value:
                out.append(f"[[{key}]]")
                out += [f"{k} = {toml_value(v)}" for k, v in item.items()]
        out.append("")
    return "\n".join(out)


def yaml_scalar(v):
    return json.dumps(v, ensure_ascii=False)


def yaml_lines(value, indent):
    pad = "  " * indent
    if isinstance(value, dict):
        for k, v in value.items():
            if isinstance(v, (dict, list)):
                yield f"{pad}{k}:"
                yield from yaml_lines(v, indent + 1)
            else:
                yield f"{pad}{k}: {yaml_scalar(v)}"
    else:
        for item in value:
            if isinstance(item, dict):
                lines = list(yaml_lines(item, indent + 1))
                yield f"{pad}- " + lines[0].lstrip()
                yield from lines[1:]
            else:
                yield f"{pad}- {yaml_scalar(item)}"


def to_yaml(doc):
    return "\n".join(yaml_lines(doc, 0)) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, required=True)
    ap.add_argument("--out")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--mix", choices=["full", "rego"], default="full")
    ap.add_argument("--ndjson")
    ap.add_argument("--batch-json")
    ap.add_argument("--formats", default="toml,json,yaml")
    args = ap.parse_args()

    rng = random.Random(args.seed)
    mix = FULL if args.mix == "full" else REGO
    kinds, weights = zip(*mix)
    strict = args.mix == "rego"
    formats = args.formats.split(",")
    if not formats or any(f not in ("toml", "json", "yaml") for f in formats):
        ap.error("--formats takes toml, json and yaml, comma-separated")
    if not (args.out or args.ndjson or args.batch_json):
        ap.error("say where to write: --out, --ndjson or --batch-json")
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    docs = []
    good = 0
    for n in range(args.count):
        kind = rng.choices(kinds, weights)[0]
        doc, ok = kind(rng, n, strict)
        good += ok
        docs.append(doc)
        if not args.out:
            continue
        fmt = formats[n % len(formats)]
        text = {"toml": to_toml, "json": lambda d: json.dumps(d, indent=2, ensure_ascii=False)
                + "\n", "yaml": to_yaml}[fmt](doc)
        with open(os.path.join(args.out, f"p{n:07d}.{fmt}"), "w", encoding="utf-8") as f:
            f.write(text)
    if args.ndjson:
        with open(args.ndjson, "w", encoding="utf-8") as f:
            for doc in docs:
                f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    if args.batch_json:
        with open(args.batch_json, "w", encoding="utf-8") as f:
            json.dump({"products": docs}, f, ensure_ascii=False)
    print(f"gen-catalogue: {args.count} products ({good} drawn good, {args.count - good} bad) "
          f"in {args.out or args.ndjson or args.batch_json}, seed {args.seed}, mix {args.mix}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
