# Shared by the scripts/test-*.sh tool round-trips: a scratch folder and a counted `check`.
# Source it after `set -euo pipefail`; end the script with `report NAME`.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
passed=0
failed=0

# check DESCRIPTION COMMAND...: runs the command, counts it, shows its output when it fails.
check() {
    local what=$1
    shift
    if "$@" >"$work/out" 2>&1; then
        passed=$((passed + 1))
    else
        failed=$((failed + 1))
        echo "FAIL: $what" >&2
        sed 's/^/    /' "$work/out" >&2
    fi
}

# report NAME: the closing line CI reads, and the exit status.
report() {
    echo "$1: $passed passed, $failed failed"
    [ "$failed" -eq 0 ]
}
