#!/usr/bin/env bash
# The requirements-exchange formats read by the libraries that consume them:
#   - ReqIF (`formfit matrix --format reqif`): validated against the OMG ReqIF 1.2 XSD
#     (schemas/reqif/, from the `reqif` wheel) with PyPI `xmlschema`, then read back with PyPI
#     `reqif`: the same rows and statuses as `--format json`, each row under its standard's
#     heading, the marking on every object, identifiers the same on a second run;
#   - OSCAL (`formfit matrix --format oscal`): loaded into compliance-trestle's
#     `AssessmentResults` model (pydantic, extra fields forbidden), with the document's
#     `oscal-version` equal to trestle's, one finding and one observation per row and the
#     status mapping of the README.
# Both on the six-status matrix example of the README and tests/matrix.rs.
#   - OSCAL catalogs and a profile (`formfit rules export --format oscal`): each catalog loaded
#     into trestle's `Catalog` (extra fields forbidden, trestle's `oscal-version`), a control
#     per rule of its pack, under its clause; the profile (tests/data/exchange/profiles/
#     c4i-power.toml, which leaves a rule out) into `Profile`, every import's href a catalog
#     written beside it, every selected id a control of that catalog.
#
# Usage (from the repository root): scripts/test-exchange.sh [PATH-TO-FORMFIT]
#   PATH-TO-FORMFIT defaults to target/debug/formfit and must already be built (`cargo build`).
# Installs into a scratch venv (or into $EXCHANGE_TOOLS when set, to reuse it between runs).
# Measured 2026-12-02 on the 2-core machine shared with other builds (load average 12), empty
# pip cache (`PIP_NO_CACHE_DIR=1 /usr/bin/time scripts/test-exchange.sh`): 136 s in all, of
# which python3 -m venv 22 s and pip install of the three pins (with lxml, pydantic 1, jinja2,
# openpyxl… as dependencies) 52 s; the checks take the rest (trestle's import is slow).
# The catalog and profile checks install nothing more; measured 2026-12-02 (load average 10):
# warm (`EXCHANGE_TOOLS` reused) 6.0-7.0 s against 3.0-3.2 s without them; cold, empty pip
# cache, 38 s in all (venv 8 s, pip install 22 s).
# Prints `exchange: N passed, M failed` last; exits non-zero when a check failed.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN_ARG="${1:-target/debug/formfit}"
if [ ! -x "$BIN_ARG" ]; then
    echo "test-exchange: no executable formfit at $BIN_ARG (run \`cargo build\` first)" >&2
    echo "exchange: 0 passed, 1 failed"
    exit 3
fi
BIN="$(cd "$(dirname "$BIN_ARG")" && pwd)/$(basename "$BIN_ARG")"

# shellcheck source=scripts/assert.sh
source scripts/assert.sh
TOOLS="${EXCHANGE_TOOLS:-$work/tools}"
mkdir -p "$TOOLS"

# Pinned, so that a new release shows up as a deliberate change here. compliance-trestle 5.x
# models OSCAL 1.2; 3.x is the last line generated from OSCAL 1.1 (the version written).
PINS=(reqif==0.1.0 xmlschema==4.3.2 compliance-trestle==3.12.4)
if [ ! -x "$TOOLS/venv/bin/python" ]; then
    started=$SECONDS
    python3 -m venv "$TOOLS/venv"
    echo "test-exchange: python3 -m venv: $((SECONDS - started)) s"
fi
PY="$TOOLS/venv/bin/python"
if ! "$PY" -c 'import reqif, xmlschema, trestle' >/dev/null 2>&1; then
    started=$SECONDS
    "$PY" -m pip install --quiet --disable-pip-version-check "${PINS[@]}"
    echo "test-exchange: pip install ${PINS[*]}: $((SECONDS - started)) s"
fi

# The six-status example: compliant, non-compliant, not-applicable, waived (a deviation),
# evidence-required, evidence-provided (an evidence file).
EXAMPLE=(matrix --no-config tests/data/matrix/vehicle-radio.toml --standard MIL-STD-1275
    --standard "NATO UHF Air Band" --standard "STANAG 4172"
    --deviations tests/data/matrix/deviations.toml --evidence tests/data/matrix/evidence.toml
    --today 2026-11-25)
# The gate fails on the non-compliant row (exit 1); the document is written all the same.
"$BIN" "${EXAMPLE[@]}" --format json --output "$work/matrix.json" || [ $? -eq 1 ]
"$BIN" "${EXAMPLE[@]}" --format reqif --output "$work/matrix.reqif" || [ $? -eq 1 ]
"$BIN" "${EXAMPLE[@]}" --format reqif --output "$work/again.reqif" || [ $? -eq 1 ]
"$BIN" "${EXAMPLE[@]}" --format oscal --output "$work/matrix.oscal.json" || [ $? -eq 1 ]

check "the example has all six statuses" "$PY" - "$work/matrix.json" <<'EOF'
import json, sys
statuses = {r["status"] for r in json.load(open(sys.argv[1]))["matrix"]["rows"]}
want = {"compliant", "non-compliant", "not-applicable", "waived", "evidence-required", "evidence-provided"}
assert statuses == want, statuses
EOF

check "ReqIF validates against the ReqIF 1.2 XSD (xmlschema)" "$PY" - "$work/matrix.reqif" <<'EOF'
import sys, xmlschema
schema = xmlschema.XMLSchema("schemas/reqif/reqif.xsd")
schema.validate(sys.argv[1])
EOF

check "ReqIF reads back with the reqif library: same rows, statuses, hierarchy, markings" \
    "$PY" - "$work/matrix.reqif" "$work/matrix.json" <<'EOF'
import json, sys
from reqif.parser import ReqIFParser

bundle = ReqIFParser.parse(sys.argv[1])
assert not bundle.exceptions, bundle.exceptions
matrix = json.load(open(sys.argv[2]))["matrix"]
content = bundle.core_content.req_if_content
enum_words = {}
for datatype in content.data_types:
    for value in getattr(datatype, "values", None) or []:
        enum_words[value.identifier] = value.long_name

def attrs(obj):
    out = {}
    for a in obj.attributes:
        out[a.definition_ref] = [enum_words[v] for v in a.value] if isinstance(a.value, list) else a.value
    return out

rows = [o for o in content.spec_objects if o.spec_object_type == "formfit-type-requirement"]
got = [(attrs(o)["formfit-attr-rule"], attrs(o)["formfit-attr-status"], attrs(o)["formfit-attr-level"]) for o in rows]
want = [(r["rule"], [r["status"]], [r["level"]]) for r in matrix["rows"]]
assert got == want, (got, want)

# The banner of the text formats: the packs' classification and the product's own marking.
markings = set()
for o in content.spec_objects:
    found = [v for k, v in attrs(o).items() if k.endswith("marking")]
    assert len(found) == 1, (o.identifier, found)
    markings.update(found)
[marking] = markings
assert matrix["classification"] in marking and matrix["product_marking"] in marking, marking
assert marking in bundle.req_if_header.title, bundle.req_if_header.title
for r, o in zip(matrix["rows"], rows):
    a = attrs(o)
    for key in ("value", "location", "remark", "clause", "edition", "standard"):
        assert a.get("formfit-attr-" + key, "") == (r[key] or ""), (key, a, r)

# The hierarchy: one specification, a heading per standard, the rows of that standard under it.
[spec] = content.specifications
by_id = {o.identifier: o for o in content.spec_objects}
seen = []
for heading in spec.children:
    standard = attrs(by_id[heading.spec_object])["formfit-attr-standard-designation"]
    for child in heading.children or []:
        a = attrs(by_id[child.spec_object])
        assert a["formfit-attr-standard"] == standard, (standard, a)
        seen.append(a["formfit-attr-rule"])
assert seen == [r["rule"] for r in matrix["rows"]], seen
digests = {s["sha256"] for s in matrix["standards"]} | {matrix["product"]["sha256"]}
comment = bundle.req_if_header.comment
assert all(d in comment for d in digests), comment
EOF

check "ReqIF identifiers are the same on a second run" cmp "$work/matrix.reqif" "$work/again.reqif"

check "OSCAL loads into compliance-trestle's AssessmentResults, mapped as documented" \
    "$PY" - "$work/matrix.oscal.json" "$work/matrix.json" <<'EOF'
import json, pathlib, sys
import trestle.oscal
from trestle.oscal.assessment_results import AssessmentResults

results = AssessmentResults.oscal_read(pathlib.Path(sys.argv[1]))
assert results is not None
document = json.load(open(sys.argv[1]))["assessment-results"]
assert document["metadata"]["oscal-version"] == trestle.oscal.OSCAL_VERSION, (
    document["metadata"]["oscal-version"], trestle.oscal.OSCAL_VERSION)
matrix = json.load(open(sys.argv[2]))["matrix"]
[result] = document["results"]
assert len(result["findings"]) == len(matrix["rows"]) == len(result["observations"])
table = {
    "compliant": ("satisfied", "pass"),
    "non-compliant": ("not-satisfied", "fail"),
    "evidence-required": ("not-satisfied", "other"),
    "evidence-provided": ("satisfied", "other"),
    "waived": ("not-satisfied", "fail"),
    "not-applicable": ("satisfied", "other"),
}
observations = {o["uuid"]: o for o in result["observations"]}
risks = {r["uuid"]: r for r in result.get("risks", [])}
subject = result["local-definitions"]["components"][0]["uuid"]
for row, finding in zip(matrix["rows"], result["findings"]):
    status = finding["target"]["status"]
    assert (status["state"], status["reason"]) == table[row["status"]], (row["rule"], status)
    assert finding["target"]["target-id"] == row["rule"]
    [related] = finding["related-observations"]
    observation = observations[related["observation-uuid"]]
    assert observation["subjects"][0]["subject-uuid"] == subject
    if row["status"] == "evidence-provided":
        assert observation["relevant-evidence"][0]["description"] == row["evidence"]
    if row["status"] == "waived":
        [risk] = [risks[r["risk-uuid"]] for r in finding["related-risks"]]
        assert risk["status"] == "deviation-approved"
        props = {p["name"]: p["value"] for p in risk["props"]}
        assert row["approval"] == f'{props["approval"]}, until {props["expires"]}', (row, props)
    else:
        assert "related-risks" not in finding
EOF

# `rules export --format oscal`: every standard of a selecting profile as a catalog, named as
# the profile's imports name them, and the profile itself (tests/data/exchange/profiles/).
EXPORT=(rules --no-config --rules tests/data/exchange export --format oscal --today 2026-11-25)
mkdir -p "$work/oscal"
"$BIN" "${EXPORT[@]}" --profile c4i-power --output "$work/oscal/c4i-power.profile.json"
"$BIN" "${EXPORT[@]}" --profile c4i-power --output "$work/oscal/again.profile.json"
"$BIN" rules --no-config --rules tests/data/exchange list --format json > "$work/oscal/packs.json"
for standard in "MIL-STD-1275" "VHF Combat Net Radio" "STANAG 4007" "STANAG 4172"; do
    slug="$(printf '%s' "$standard" | tr '[:upper:]' '[:lower:]' | tr -cs 'a-z0-9' '-')"
    "$BIN" "${EXPORT[@]}" "$standard" --output "$work/oscal/$slug.catalog.json"
done

check "OSCAL catalogs load into compliance-trestle's Catalog: a control per rule, grouped by clause" \
    "$PY" - "$work/oscal" <<'EOF'
import json, pathlib, sys
import trestle.oscal
from trestle.oscal.catalog import Catalog

assert Catalog.__config__.extra == "forbid"
folder = pathlib.Path(sys.argv[1])
packs = {p["designation"]: p for p in json.load(open(folder / "packs.json"))["packs"]}
catalogs = sorted(folder.glob("*.catalog.json"))
assert len(catalogs) == 4, catalogs
for path in catalogs:
    catalog = Catalog.oscal_read(path)
    assert catalog is not None, path
    document = json.load(open(path))["catalog"]
    assert document["metadata"]["oscal-version"] == trestle.oscal.OSCAL_VERSION, path
    [standard] = catalog.groups
    designation = {p.name: p.value for p in standard.props}["designation"]
    controls = [c for clause in standard.groups for c in clause.controls]
    assert len(controls) == packs[designation]["rules"], (path, len(controls))
    for clause in standard.groups:
        for control in clause.controls:
            props = {p.name: p.value for p in control.props}
            assert props["clause"] == clause.title and props["rule"] == control.id, (path, control.id)
            for param in control.params or []:
                check = [p for p in control.parts if p.name == "check"][0].prose
                assert "{{ insert: param, %s }}" % param.id in check, (control.id, check)
EOF

check "the OSCAL profile loads into compliance-trestle's Profile and trestle resolves its imports" \
    "$PY" - "$work/oscal" <<'EOF'
import json, os, pathlib, sys
import trestle.oscal
from trestle.oscal.catalog import Catalog
from trestle.oscal.profile import Profile
from trestle.core.profile_resolver import ProfileResolver

assert Profile.__config__.extra == "forbid"
folder = pathlib.Path(sys.argv[1]).resolve()
path = folder / "c4i-power.profile.json"
profile = Profile.oscal_read(path)
assert profile is not None
document = json.load(open(path))["profile"]
assert document["metadata"]["oscal-version"] == trestle.oscal.OSCAL_VERSION, document["metadata"]
# The imports, read by hand: each href a catalog beside the profile, each selected id its control.
selected = set()
for item in profile.imports:
    catalog = Catalog.oscal_read(folder / item.href)
    assert catalog is not None, item.href
    ids = [c.id for g in catalog.groups for clause in g.groups for c in clause.controls]
    if item.include_all is not None:
        wanted = ids
    else:
        wanted = [w.__root__ for s in item.include_controls for w in s.with_ids]
        assert set(wanted) <= set(ids), set(wanted) - set(ids)
        assert len(wanted) < len(ids), "a selection keeps fewer controls than the catalog has"
    selected.update(wanted)
assert "MIL1275-SPIKE-3" not in selected and "MIL1275-SS-1" in selected
# The imports, resolved by trestle (a trestle workspace needs its cache folder; trestle reads a
# relative href from the working directory, which is the profile's folder here, as OSCAL means).
(folder / ".trestle" / "cache").mkdir(parents=True, exist_ok=True)
os.chdir(folder)
resolved = ProfileResolver.get_resolved_profile_catalog(folder, str(path))

def controls(groups):
    for group in groups or []:
        yield from group.controls or []
        yield from controls(group.groups)

props = {c.id: {p.name: p.value for p in c.props} for c in controls(resolved.groups)}
assert all(p["marking"] == "PUBLIC" for p in props.values()), props
obligations = {id: p["obligation"] for id, p in props.items()}
assert set(obligations) == selected, set(obligations) ^ selected
assert obligations["MIL1275-SS-1"] == "mandatory" and obligations["STANAG4007-CONN-1"] == "optional", obligations
EOF

check "the OSCAL profile is the same on a second run" \
    cmp "$work/oscal/c4i-power.profile.json" "$work/oscal/again.profile.json"

report exchange
