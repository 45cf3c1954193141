#!/usr/bin/env bash
# Opens `formfit matrix --format html` in a real browser (headless Chromium, Debian package) and
# checks what a person would get: every rule row is in the DOM, grouped under its standard, with
# code spans set as code, the marking banner is there top and bottom and at the foot of every
# printed page, hostile product text stays inert text (no script runs, no element is injected), and the
# printed PDF (read back with pdftotext) holds every rule id and every status. A screenshot is
# left for humans to look at (not asserted). The browser runs offline with a fresh profile.
# Run from the repository root. Usage: scripts/test-matrix-browser.sh [path/to/formfit]
# shellcheck disable=SC2016 # the bash -c '...' bodies take their arguments as "$0", unexpanded here
set -euo pipefail
formfit=$(realpath "${1:-target/debug/formfit}")
chromium=/usr/bin/chromium

if [ ! -x "$chromium" ] || ! command -v pdftotext >/dev/null 2>&1; then
    (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium poppler-utils) >/dev/null
fi
# The Debian launcher script prints shell noise on stderr on some machines; the version is stdout.
version=$("$chromium" --version 2>/dev/null) || {
    echo "matrix-browser: $chromium --version failed" >&2
    exit 1
}
echo "matrix-browser: using $version"

source "$(dirname "$0")/assert.sh"
shots=$(mktemp -d /tmp/formfit-matrix-browser.XXXXXX) # kept: the screenshot is for humans
# browse ARGS... URL: headless Chromium, no network use, fresh empty profile each time.
browse() {
    local profile
    profile=$(mktemp -d "$work/profile.XXXXXX")
    timeout 120 "$chromium" --headless --no-sandbox --disable-gpu \
        --disable-background-networking --disable-component-update --disable-sync \
        --no-first-run --disable-quic --user-data-dir="$profile" "$@" 2>>"$work/chromium.log"
}
# at_least N COUNT-COMMAND...: the command prints a number that must be >= N.
at_least() {
    local want=$1 got
    shift
    got=$("$@")
    echo "wanted at least $want, got $got"
    [ "$got" -ge "$want" ]
}
count_fixed() { grep -oF -- "$1" "$2" | wc -l; }       # string, file
count_word() { grep -oP -- "(?<![\\w-])$1(?![\\w-])" "$2" | wc -l; } # word, file

# --- the matrix: render it as HTML and as JSON (the JSON gives the expected rows) --------------
matrix_args=(tests/data/matrix/vehicle-radio.toml --standard MIL-STD-1275 --standard "NATO UHF Air Band"
    --standard "STANAG 4172" --deviations tests/data/matrix/deviations.toml
    --evidence tests/data/matrix/evidence.toml --today 2026-11-25)
rc=0
"$formfit" matrix "${matrix_args[@]}" --format html --output "$work/matrix.html" || rc=$?
check "formfit matrix --format html exits 1 (the product has a standing shall finding), got $rc" test "$rc" -eq 1
rc=0
"$formfit" matrix "${matrix_args[@]}" --format json --output "$work/matrix.json" || rc=$?
check "formfit matrix --format json exits 1, got $rc" test "$rc" -eq 1

python3 - "$work" <<'EOF'
import json, sys, collections
work = sys.argv[1]
m = json.load(open(f"{work}/matrix.json"))["matrix"]
rows = m["rows"]
with open(f"{work}/rules.txt", "w") as f:
    f.writelines(r["rule"] + "\n" for r in rows)
with open(f"{work}/statuses.txt", "w") as f:
    for status, n in sorted(collections.Counter(r["status"] for r in rows).items()):
        f.write(f"{status} {n}\n")
banner = m["classification"]
if m.get("product_marking"):
    banner += " — product marking: " + m["product_marking"]
open(f"{work}/banner.txt", "w").write(banner)
open(f"{work}/row-count.txt", "w").write(str(len(rows)))
EOF
mapfile -t rules <"$work/rules.txt"
banner=$(cat "$work/banner.txt")
row_count=$(cat "$work/row-count.txt")
check "the JSON matrix has rows" test "$row_count" -gt 0

# --- the DOM as the browser built it ---------------------------------------------------------
rc=0
browse --dump-dom "file://$work/matrix.html" >"$work/matrix.dom" || rc=$?
check "chromium --dump-dom of the matrix exits 0 (got $rc)" test "$rc" -eq 0
for rule in "${rules[@]}"; do
    check "the DOM shows rule $rule in a cell" grep -qF -- ">$rule<" "$work/matrix.dom"
done
check "the DOM has one table row per matrix row ($row_count)" \
    python3 -c 'import re,sys; body="".join(re.findall(r"<tbody>(.*?)</tbody>", open(sys.argv[1]).read(), re.S)); n=len(re.findall(r"<tr class=\"(?!standard-row)[^\"]*\" id=", body)); print(n); sys.exit(n != int(sys.argv[2]))' \
    "$work/matrix.dom" "$row_count"
check "the DOM groups the rows under one heading row per standard (3)" \
    bash -c '[ "$(grep -oF "<tr class=\"standard-row\">" "$0" | wc -l)" -eq 3 ]' "$work/matrix.dom"
check "the DOM sets the packs' code spans as <code>" grep -qF '<code>power.surge_withstand</code>' "$work/matrix.dom"
check "the DOM has no backtick code spans left" bash -c '! grep -qF "\`power.surge_withstand\`" "$0"' "$work/matrix.dom"
check "the marking banner \"$banner\" is in the DOM top and bottom" at_least 2 count_fixed "$banner" "$work/matrix.dom"
check "the matrix DOM has no <script> element" bash -c '! grep -qi "<script" "$0"' "$work/matrix.dom"

# --- hostile product text stays text ---------------------------------------------------------
cat >"$work/hostile.toml" <<'EOF'
[product]
id = "X-1"
name = "<script>document.title='pwned'</script><img src=x onerror=\"document.title='pwned2'\">"
manufacturer = "ACME \"Quotes\", Commas & <b>tags</b>"
category = "small-arm"
marking = "ACME PROPRIETARY"
[ammunition]
caliber = "=HYPERLINK(\"http://x\")"
EOF
rc=0
"$formfit" matrix "$work/hostile.toml" --standard "STANAG 4172" --format html --output "$work/hostile.html" || rc=$?
check "formfit renders the hostile product (exit 0 or 1, got $rc)" test "$rc" -le 1
title=$(python3 -c 'import html,re,sys; print(html.unescape(re.search(r"<title>(.*?)</title>", open(sys.argv[1]).read(), re.S).group(1)))' "$work/hostile.html")
check "the hostile page's own title is not already pwned ($title)" bash -c '[ -n "$0" ] && [[ "$0" != *pwned* ]]' "$title"

# Control: the same payload as live markup does run in this headless mode, so the checks below
# would see an executed script if formfit let one through.
printf '<!DOCTYPE html><html><head><title>control</title></head><body><script>document.title="pwned"</script><img src=x onerror="document.title=%s"></body></html>\n' \
    "'pwned2'" >"$work/control.html"
browse --dump-dom "file://$work/control.html" >"$work/control.dom" || true
check "control: headless Chromium runs a live script/onerror (title becomes pwned2)" grep -qF '<title>pwned2</title>' "$work/control.dom"

rc=0
browse --dump-dom "file://$work/hostile.html" >"$work/hostile.dom" || rc=$?
check "chromium --dump-dom of the hostile page exits 0 (got $rc)" test "$rc" -eq 0
dom_title=$(python3 -c 'import html,re,sys; m=re.search(r"<title>(.*?)</title>", open(sys.argv[1]).read(), re.S); print(html.unescape(m.group(1)) if m else "")' "$work/hostile.dom")
check "the hostile DOM title is still \"$title\" (got \"$dom_title\")" test "$dom_title" = "$title"
check "the hostile DOM has no <script element" bash -c '! grep -qi "<script" "$0"' "$work/hostile.dom"
check "the hostile DOM has no <img element" bash -c '! grep -qi "<img" "$0"' "$work/hostile.dom"
check "the hostile DOM has no <b> element" bash -c '! grep -qi "<b>" "$0"' "$work/hostile.dom"
check "the hostile name is escaped text in the DOM" \
    grep -qF "&lt;script&gt;document.title='pwned'&lt;/script&gt;&lt;img src=x onerror=\"document.title='pwned2'\"&gt;" "$work/hostile.dom"
check "the hostile manufacturer is escaped text in the DOM" \
    grep -qF 'ACME "Quotes", Commas &amp; &lt;b&gt;tags&lt;/b&gt;' "$work/hostile.dom"
# Visible: what prints is the literal text.
check "chromium --print-to-pdf of the hostile page" \
    browse --print-to-pdf="$work/hostile.pdf" --no-pdf-header-footer "file://$work/hostile.html"
pdftotext -layout "$work/hostile.pdf" "$work/hostile.txt" 2>/dev/null || : >"$work/hostile.txt"
check "the hostile name prints as literal text" grep -qF "<script>document.title='pwned'</script>" "$work/hostile.txt"
check "the hostile manufacturer prints as literal text" grep -qF 'ACME "Quotes", Commas & <b>tags</b>' "$work/hostile.txt"
check "the formula-like caliber prints as text" grep -qF '=HYPERLINK(' "$work/hostile.txt"

# --- on paper: every row made it -------------------------------------------------------------
check "chromium --print-to-pdf of the matrix" \
    browse --print-to-pdf="$work/matrix.pdf" --no-pdf-header-footer "file://$work/matrix.html"
check "the PDF exists and is a PDF" bash -c '[ -s "$0" ] && [ "$(head -c 5 "$0")" = "%PDF-" ]' "$work/matrix.pdf"
pdftotext -layout "$work/matrix.pdf" "$work/matrix.txt" 2>/dev/null || : >"$work/matrix.txt"
for rule in "${rules[@]}"; do
    check "the PDF text has rule id $rule unbroken" grep -qF -- "$rule" "$work/matrix.txt"
done
# Each status word: once per row with that status, plus once in the summary line.
while read -r status n; do
    check "the PDF text has \"$status\" for its $n row(s) and the summary" \
        at_least $((n + 1)) count_word "$status" "$work/matrix.txt"
done <"$work/statuses.txt"
check "the PDF text has the marking banner top and bottom" at_least 2 count_fixed "$banner" "$work/matrix.txt"
# The marking at the foot of every printed page (a CSS page margin box), not only where the
# document starts and ends: each page's text ends with it.
pages=$(pdfinfo "$work/matrix.pdf" | awk '/^Pages:/ { print $2 }')
check "the matrix prints on more than one page (got $pages)" test "$pages" -ge 2
for page in $(seq 1 "$pages"); do
    pdftotext -f "$page" -l "$page" -layout "$work/matrix.pdf" "$work/page.txt"
    check "page $page of $pages ends with the marking banner" \
        bash -c '[ "$(grep -v "^[[:space:]]*$" "$0" | tail -1 | sed "s/^[[:space:]]*//; s/[[:space:]]*$//")" = "$1" ]' "$work/page.txt" "$banner"
done

# --- for humans ------------------------------------------------------------------------------
cp "$work/matrix.html" "$work/matrix.pdf" "$work/matrix.txt" "$shots/" 2>/dev/null || true
echo "matrix-browser: page, PDF and its pdftotext kept in $shots/"
if browse --screenshot="$shots/matrix.png" --window-size=1400,1000 "file://$work/matrix.html" >/dev/null &&
    [ -s "$shots/matrix.png" ]; then
    echo "matrix-browser: screenshot $shots/matrix.png"
else
    echo "matrix-browser: no screenshot (not asserted); see Chromium's stderr below" >&2
    tail -5 "$work/chromium.log" >&2
fi

report matrix-browser
