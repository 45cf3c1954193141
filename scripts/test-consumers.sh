#!/usr/bin/env bash
# Tests formfit's CI formats against the real programs that consume them:
#   - SARIF: Microsoft's SARIF multitool, `validate --rule-kind "Sarif;Gh;Ghazdo"` (the SARIF
#     rules, GitHub code scanning's and GitHub Advanced Security for Azure DevOps'), with 0 errors
#     and 0 warnings on a mixed run (an invalid product, failing and warning findings), a run with
#     a waived finding and a run that exits 3, but for the two pipeline rules said below;
#   - JUnit: the Jenkins xunit-plugin XSD (schemas/vendor/junit-10.xsd) with PyPI `xmlschema`,
#     and the document read back with PyPI `junitparser` (counts, `file` and `time` of each case),
#     for `check --format junit` and for `rules test --format junit`;
#   - GitLab Code Quality: every issue type-checked by `tsc --noEmit` against the npm
#     `codeclimate-types` definitions.
#
# Usage (from the repository root): scripts/test-consumers.sh [PATH-TO-FORMFIT]
#   PATH-TO-FORMFIT defaults to target/debug/formfit and must already be built (`cargo build`).
# Installs what it needs into a scratch directory (or into $CONSUMERS_TOOLS when set, to reuse
# it between runs); it prints how long each install took. Measured 2026-12-01 on a 2-core
# machine with empty npm and pip caches (`npm_config_cache=$(mktemp -d) PIP_NO_CACHE_DIR=1`,
# each install timed with /usr/bin/time), the installs add to a cold run:
#   - npm @microsoft/sarif-multitool (+ its -linux .NET binary, 104 MB on disk): 52 s the
#     first time the packages were fetched, 2-5 s on later empty-cache runs (a warm upstream);
#   - npm codeclimate-types + typescript (31 MB): 2-4 s;
#   - python3 -m venv (with pip): 4-14 s; pip xmlschema + junitparser (+ elementpath): 1.5-2.5 s.
# The checks themselves take about 10 s (the multitool starts three times).
# Prints `consumers: N passed, M failed` last and exits non-zero when a check failed (3 when it
# could not run at all).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

BIN_ARG="${1:-target/debug/formfit}"
if [ ! -x "$BIN_ARG" ]; then
    echo "test-consumers: no executable formfit at $BIN_ARG (run \`cargo build\` first)" >&2
    echo "consumers: 0 passed, 1 failed"
    exit 3
fi
BIN="$(cd "$(dirname "$BIN_ARG")" && pwd)/$(basename "$BIN_ARG")"

SCRATCH="$(mktemp -d "${TMPDIR:-/tmp}/formfit-consumers.XXXXXX")"
cleanup() { rm -rf "$SCRATCH"; }
trap cleanup EXIT
TOOLS="${CONSUMERS_TOOLS:-$SCRATCH/tools}"
mkdir -p "$TOOLS"

# --- installs -----------------------------------------------------------------------------------
# Versions are pinned so a new release of a consumer shows up as a deliberate change here.
NPM_PACKAGES=(@microsoft/sarif-multitool@5.7.0 codeclimate-types@0.3.1 typescript@7.0.2)
if [ ! -x "$TOOLS/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool" ] \
    || [ ! -d "$TOOLS/npm/node_modules/codeclimate-types" ]; then
    started=$SECONDS
    npm install --silent --no-audit --no-fund --prefix "$TOOLS/npm" "${NPM_PACKAGES[@]}" >&2
    echo "test-consumers: npm install ${NPM_PACKAGES[*]}: $((SECONDS - started)) s"
fi
# Run the multitool's binary directly: through `npx`, the `;` of `Sarif;Gh` goes through a shell.
MULTITOOL="$TOOLS/npm/node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool"
TSC="$TOOLS/npm/node_modules/.bin/tsc"
# The multitool is a .NET program: without ICU on the machine it must not try to load it.
export DOTNET_SYSTEM_GLOBALIZATION_INVARIANT=1 DOTNET_CLI_TELEMETRY_OPTOUT=1

if [ ! -x "$TOOLS/venv/bin/python" ]; then
    started=$SECONDS
    python3 -m venv "$TOOLS/venv"
    echo "test-consumers: python3 -m venv: $((SECONDS - started)) s"
fi
if ! "$TOOLS/venv/bin/python" -c 'import xmlschema, junitparser' >/dev/null 2>&1; then
    started=$SECONDS
    "$TOOLS/venv/bin/python" -m pip install --quiet --disable-pip-version-check \
        xmlschema==4.3.2 junitparser==5.0.3
    echo "test-consumers: pip install xmlschema junitparser: $((SECONDS - started)) s"
fi
PY="$TOOLS/venv/bin/python"
echo "test-consumers: formfit at $BIN; ${NPM_PACKAGES[*]}; $("$PY" -m pip list 2>/dev/null | grep -Ei "^(xmlschema|junitparser) " | tr -s " " | tr "\n" " ")"

# --- assertions ---------------------------------------------------------------------------------
PASSED=0
FAILED=0
pass() { PASSED=$((PASSED + 1)); echo "ok   - $1"; }
fail() {
    FAILED=$((FAILED + 1))
    echo "FAIL - $1"
    if [ -n "${2:-}" ] && [ -f "$2" ]; then sed 's/^/    | /' "$2" | head -40; fi
}
# report NAME FORMAT EXPECTED-EXIT ARGS...: writes formfit's report to $SCRATCH/NAME.
report() {
    local name="$1" format="$2" expected="$3"
    shift 3
    set +e
    "$BIN" check --no-config --color never --format "$format" "$@" >"$SCRATCH/$name" 2>"$SCRATCH/$name.err"
    local rc=$?
    set -e
    if [ "$rc" -ne "$expected" ]; then
        fail "formfit --format $format for $name should exit $expected (got $rc)" "$SCRATCH/$name.err"
    fi
}

MIXED=(fixtures/nato-uhf-air-band/bad-partial-band.toml fixtures/stanag-4172/bad-223.toml
    fixtures/invalid/typo-calibre.toml fixtures/mil-std-1275/bad-undeclared.yaml)
WAIVED=(--deviations tests/data/matrix/deviations.toml --today 2026-11-25
    tests/data/matrix/vehicle-radio.toml)
# A product that is not even TOML: its input/syntax finding has no label of its own.
printf '[product]\nid = \n' >"$SCRATCH/syntax-error.toml"
# Two vendors' products in one run: each JUnit suite must carry only its own marking.
VENDORS=(fixtures/762x51-nato/good-gpmg.toml fixtures/stanag-4172/good-ball-cartridge.toml)
BOGUS=(--standard BOGUS fixtures/stanag-4172/bad-223.toml)

# --- SARIF: the multitool with GitHub's rules ---------------------------------------------------
report mixed.sarif sarif 2 "${MIXED[@]}"
report waived.sarif sarif 1 "${WAIVED[@]}"
report exit3.sarif sarif 3 "${BOGUS[@]}"
# Two Azure DevOps rules are not formfit's to meet: GHAzDO1019 asks for the pipeline's identity
# in automationDetails.properties (`azuredevops/pipeline/build/buildDefinitionId`,
# `buildDefinitionName`, `phaseId`, `phaseName`) and GHAzDO1020 for an automationDetails.id of
# `azuredevops/pipeline/build/<org>/<project>/<buildDefId>/<phaseId>/<branch>/<buildId>`.
# Those are the pipeline run's, not the report's: the Advanced Security upload stamps them
# (the multitool's own AdoPipelineContext follows "the canonical write surface used by the Azure
# DevOps Advanced Security SARIF upload SDK", AddAutomationDetails, reading TF_BUILD, BUILD_* and
# SYSTEM_*), while formfit's id `formfit/` is GitHub's category, which a later upload replaces.
# Leaving automationDetails out would not do either: GHAzDO1014 requires it.
ADO_PIPELINE_RULES='GHAzDO1019 GHAzDO1020'
for name in mixed waived exit3; do
    log="$SCRATCH/$name.validation.sarif"
    set +e
    "$MULTITOOL" validate --rule-kind "Sarif;Gh;Ghazdo" --output "$log" "$SCRATCH/$name.sarif" \
        >"$SCRATCH/$name.multitool.out" 2>&1
    set -e
    # The multitool exits 0 whatever it finds: read its own SARIF log.
    if [ ! -s "$log" ]; then
        fail "sarif-multitool validate $name.sarif wrote no log" "$SCRATCH/$name.multitool.out"
        continue
    fi
    counts="$(ADO_PIPELINE_RULES="$ADO_PIPELINE_RULES" "$PY" - "$log" <<'EOF'
import json, os, sys
pipeline = os.environ["ADO_PIPELINE_RULES"].split()
results = [r for run in json.load(open(sys.argv[1]))["runs"] for r in run.get("results", [])
           if r["ruleId"] not in pipeline]
errors = sum(1 for r in results if r.get("level", "warning") == "error")
warnings = sum(1 for r in results if r.get("level", "warning") == "warning")
print(errors, warnings)
EOF
)"
    read -r errors warnings <<<"$counts"
    # Warnings fail too: none is expected (SARIF1001, a rule named after its id, was one).
    if [ "$errors" -eq 0 ] && [ "$warnings" -eq 0 ]; then
        pass "sarif-multitool validate --rule-kind Sarif;Gh;Ghazdo $name.sarif: 0 errors, 0 warnings (but $ADO_PIPELINE_RULES)"
    else
        grep -E ' (error|warning) ' "$SCRATCH/$name.multitool.out" | grep -vE "${ADO_PIPELINE_RULES// /|}" >"$SCRATCH/$name.errors" || true
        fail "sarif-multitool validate $name.sarif: $errors errors, $warnings warnings" \
            "$SCRATCH/$name.errors"
    fi
done
# GitHub ignores `suppressions`: the waived finding must say so by its level and its text.
if "$PY" - "$SCRATCH/waived.sarif" >"$SCRATCH/waived.check" 2>&1 <<'EOF'
import json, sys
results = json.load(open(sys.argv[1]))["runs"][0]["results"]
waived = [r for r in results if r["properties"]["disposition"] == "waived"]
assert len(waived) == 1, waived
r = waived[0]
assert r["level"] == "note", r["level"]
assert r["suppressions"] == [dict(r["suppressions"][0], kind="external", status="accepted")], r
assert "DA-2026-114" in r["message"]["text"], r["message"]["text"]
EOF
then
    pass "the waived finding is a note with an accepted external suppression, approval in its text"
else
    fail "the waived finding in SARIF" "$SCRATCH/waived.check"
fi

# --- JUnit: the xunit XSD, and junitparser ------------------------------------------------------
report mixed.xml junit 2 "${MIXED[@]}"
report vendors.xml junit 0 "${VENDORS[@]}"
report exit3.xml junit 3 "${BOGUS[@]}"
for name in mixed vendors exit3; do
    if "$PY" - "$ROOT/schemas/vendor/junit-10.xsd" "$SCRATCH/$name.xml" >"$SCRATCH/$name.xsd.out" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
import xmlschema
schema = xmlschema.XMLSchema(sys.argv[1])
tree = ET.parse(sys.argv[2])
# The one attribute outside the XSD: each case's `file`, which GitLab shows. Every error of the
# document as written must be that attribute...
errors = list(schema.iter_errors(tree))
others = [e for e in errors if not (e.elem is not None and e.elem.tag == "testcase"
          and "'file'" in str(e.reason))]
assert not others, "\n\n".join(str(e) for e in others)
# ...and without it the document is valid. Every case of a product's suite names the file; a
# problem of the run itself names one only when it has one (`--standard BOGUS` has none).
for suite in tree.iter("testsuite"):
    for case in suite.iter("testcase"):
        assert case.get("file") or suite.get("name") == "formfit run", ET.tostring(case)
        case.attrib.pop("file", None)
schema.validate(tree)
EOF
    then
        pass "junit-10.xsd validates $name.xml (its only extension: each testcase's file)"
    else
        fail "junit-10.xsd rejects $name.xml" "$SCRATCH/$name.xsd.out"
    fi
done
if "$PY" - "$SCRATCH/mixed.xml" "$SCRATCH/vendors.xml" >"$SCRATCH/junitparser.out" 2>&1 <<'EOF'
import sys
from junitparser import JUnitXml
mixed = JUnitXml.fromfile(sys.argv[1])
suites = list(mixed)
assert len(suites) == 4, len(suites)
for suite in suites:
    cases = list(suite)
    assert suite.tests == len(cases), (suite.name, suite.tests, len(cases))
    failed = sum(1 for c in cases if any(r._tag == "failure" for r in c.result))
    assert suite.failures == failed, (suite.name, suite.failures, failed)
    for case in cases:
        assert case._elem.get("file"), case.name
        assert case.time is not None, case.name
        assert "." not in (case.classname or ""), case.classname
invalid = next(s for s in suites if "typo-calibre" in s.name)
assert [c.name for c in invalid] == ["input/schema"], [c.name for c in invalid]
vendors = list(JUnitXml.fromfile(sys.argv[2]))
markings = [dict((p.name, p.value) for p in s.properties())["classification"] for s in vendors]
assert "BRACKMOOR" in markings[0] and "NORTHGATE" not in markings[0], markings
assert "NORTHGATE" in markings[1] and "BRACKMOOR" not in markings[1], markings
EOF
then
    pass "junitparser reads the reports back: counts, file, time, dot-free class names, own markings"
else
    fail "junitparser read-back" "$SCRATCH/junitparser.out"
fi

# --- rules test --format junit: the same XSD, and junitparser ----------------------------------
# The shipped library's cases (all hold), and a tests folder with a case that does not hold and
# a case file that names no pack.
set +e
"$BIN" rules --no-config test --format junit >"$SCRATCH/rules-test.xml" 2>"$SCRATCH/rules-test.err"
RC_SHIPPED=$?
mkdir -p "$SCRATCH/cases/stanag-4172"
cat >"$SCRATCH/cases/stanag-4172/wrong.toml" <<'EOF'
standard = "STANAG 4172"

[[case]]
name = "a .223 Remington chamber said to pass"
rule = "STANAG4172-CAL-1"
category = "small-arm"
product = '''
[ammunition]
caliber = ".223 Remington"
'''
passes = true

[[case]]
name = "a 5.56x45 mm NATO chamber"
rule = "STANAG4172-CAL-1"
category = "small-arm"
product = '''
[ammunition]
caliber = "5.56x45 mm NATO"
'''
passes = true
EOF
printf 'standard = "STANAG 9999"\n[[case]]\nname = "n"\nrule = "R"\nproduct = ""\npasses = true\n' \
    >"$SCRATCH/cases/stanag-4172/nowhere.toml"
"$BIN" rules --no-config test "$SCRATCH/cases" --format junit >"$SCRATCH/rules-test-failing.xml" \
    2>"$SCRATCH/rules-test-failing.err"
RC_FAILING=$?
set -e
if [ "$RC_SHIPPED" -eq 0 ] && [ "$RC_FAILING" -eq 1 ]; then
    pass "formfit rules test --format junit exits 0 on the shipped cases, 1 on a failing case"
else
    fail "formfit rules test --format junit exits $RC_SHIPPED and $RC_FAILING (expected 0 and 1)" \
        "$SCRATCH/rules-test-failing.err"
fi
if "$PY" - "$ROOT/schemas/vendor/junit-10.xsd" "$SCRATCH/rules-test.xml" \
    "$SCRATCH/rules-test-failing.xml" >"$SCRATCH/rules-test.check" 2>&1 <<'EOF'
import sys, xml.etree.ElementTree as ET
import xmlschema
from junitparser import JUnitXml
schema = xmlschema.XMLSchema(sys.argv[1])
for path in sys.argv[2:]:
    tree = ET.parse(path)
    # As for `check`: each case's `file` is the one attribute outside the XSD.
    errors = [e for e in schema.iter_errors(tree) if not (e.elem is not None
              and e.elem.tag == "testcase" and "'file'" in str(e.reason))]
    assert not errors, "\n\n".join(str(e) for e in errors)
    for case in tree.iter("testcase"):
        case.attrib.pop("file", None)
    schema.validate(tree)
shipped = list(JUnitXml.fromfile(sys.argv[2]))
names = [s.name for s in shipped]
assert "STANAG 4172" in names and "MIL-STD-704" in names, names
for suite in shipped:
    cases = list(suite)
    assert suite.tests == len(cases) and suite.failures == 0, (suite.name, suite.tests)
    for case in cases:
        assert case._elem.get("file", "").startswith("rules/tests/"), case.name
        assert "." not in (case.classname or ""), case.classname
failing = {s.name: s for s in JUnitXml.fromfile(sys.argv[3])}
stanag = list(failing["STANAG 4172"])
assert [c.name for c in stanag] == ["a .223 Remington chamber said to pass",
                                    "a 5.56x45 mm NATO chamber"], [c.name for c in stanag]
failure = stanag[0].result[0]
assert failure._tag == "failure" and "unexpected STANAG4172-CAL-1" in failure.message, failure.message
assert stanag[1].is_passed, stanag[1].result
assert failing["formfit rules test"].errors == 1, failing["formfit rules test"].errors
EOF
then
    pass "junit-10.xsd and junitparser read rules test --format junit: suites per pack, failures, errors"
else
    fail "formfit rules test --format junit against the XSD and junitparser" "$SCRATCH/rules-test.check"
fi

# --- GitLab Code Quality: codeclimate-types -----------------------------------------------------
report mixed.gitlab.json gitlab 2 "${MIXED[@]}"
report syntax.gitlab.json gitlab 2 "$SCRATCH/syntax-error.toml"
report exit3.gitlab.json gitlab 3 "${BOGUS[@]}"
# A JSON module's strings are typed `string`, never the literal `'issue'`: the report goes in as
# a TypeScript literal instead, so tsc checks every field (and rejects unknown ones) as GitLab's
# Code Climate type says.
mkdir -p "$SCRATCH/ts"
ln -s "$TOOLS/npm/node_modules" "$SCRATCH/ts/node_modules"
for name in mixed syntax exit3; do
    {
        echo "import type { Issue } from 'codeclimate-types'"
        printf 'export const issues: Issue[] = '
        cat "$SCRATCH/$name.gitlab.json"
    } >"$SCRATCH/ts/$name.ts"
done
cat >"$SCRATCH/ts/tsconfig.json" <<'EOF'
{ "compilerOptions": { "strict": true, "noEmit": true, "module": "nodenext",
  "moduleResolution": "nodenext", "target": "es2022", "skipLibCheck": false },
  "include": ["*.ts"] }
EOF
set +e
(cd "$SCRATCH/ts" && "$TSC" -p tsconfig.json) >"$SCRATCH/tsc.out" 2>&1
RC=$?
set -e
if [ "$RC" -eq 0 ]; then
    pass "tsc --noEmit: every GitLab issue is a codeclimate-types Issue"
else
    fail "tsc --noEmit against codeclimate-types (exit $RC)" "$SCRATCH/tsc.out"
fi
if grep -q '": here"' "$SCRATCH/syntax.gitlab.json" \
    || grep -Eq ': here",?$' "$SCRATCH"/*.gitlab.json; then
    fail "a GitLab description ends in a bare label ': here'" "$SCRATCH/syntax.gitlab.json"
else
    pass "no GitLab description ends in a bare ': here'"
fi

echo "consumers: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
