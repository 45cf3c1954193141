#!/usr/bin/env bash
# formfit's zsh and fish completion scripts in the real shells (Debian's zsh and fish, installed
# when absent): each completes subcommands, `--standard` names, profiles and rule ids from the
# built-in library. bash is driven the same way by tests/cli_conventions.rs (bash is always
# there; these two shells are not, so they are tested here, where CI installs them).
# Measured 2026-12-02 on a 2-core machine shared with other builds, from nothing:
# `apt-get update` and `apt-get install zsh fish` together 31.7 s; the checks take about 11 s.
# Usage: scripts/test-completions.sh [path/to/formfit]
set -euo pipefail
formfit=$(realpath "${1:-target/debug/formfit}")
if ! command -v zsh >/dev/null 2>&1 || ! command -v fish >/dev/null 2>&1; then
    started=$SECONDS
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends zsh fish) >/dev/null
    echo "test-completions: apt-get install zsh fish: $((SECONDS - started)) s"
fi
source "$(dirname "$0")/assert.sh"
echo "test-completions: $(zsh --version), $(fish --version), formfit at $formfit"

mkdir -p "$work/zsh"
"$formfit" completions zsh >"$work/zsh/_formfit"
"$formfit" completions fish >"$work/formfit.fish"

# zsh completes only inside its line editor: a second zsh runs interactively on a
# pseudo-terminal (zsh/zpty), the line is typed with a TAB, and compadd is wrapped to print what
# the completion function adds (after \x01, which the echo of the typed definition does not
# hold) until the completion ends (\x02).
cat >"$work/complete.zsh" <<'EOF'
zmodload zsh/zpty || exit 3
dir=$1; shift
zpty z zsh -f -i
zpty -w z "PROMPT='' RPROMPT='' fpath=($dir \$fpath); autoload -U compinit; compinit -u -D"
zpty -w z 'compadd() { if [[ ${@[1,(i)(-|--)]} == *-(O|A|D)\ * ]]; then builtin compadd "$@"; return; fi; local -a hits; builtin compadd -A hits "$@"; (( $#hits )) && print -rl -- $'"'"'\x01'"'"'${^hits}; }'
zpty -w z 'comppostfuncs=(finished); finished() { print -r -- $'"'"'\x02'"'"'; exit; }'
zpty -n -w z "$*"$'\t'
out=
while zpty -r z line; do
    out+=$line
    [[ $line == *$'\x02'* ]] && break
done
print -r -- "$out" | tr -d '\r' | grep -a -o $'\x01''[^[:space:]]*' | tr -d '\001'
EOF
zsh_offers() { timeout 30 zsh -f "$work/complete.zsh" "$work/zsh" "$@"; }
# fish says what it would complete for a command line with `complete -C`.
fish_offers() { fish --no-config -c "source $work/formfit.fish; complete -C '$*'" | cut -f1; }

# offers SHELL EXPECTED WORDS...: SHELL offers exactly EXPECTED (one word a line, sorted).
offers() {
    local shell=$1 expected=$2
    shift 2
    diff <(printf '%s\n' $expected | sort) <("${shell}_offers" "$@" | sort -u)
}
for shell in zsh fish; do
    check "$shell completes subcommands" offers "$shell" "man matrix" formfit ma
    check "$shell completes rules subcommands" offers "$shell" "encrypt explain export" formfit rules e
    check "$shell completes --standard names" offers "$shell" "nato-uhf-air-band" formfit check --standard nato-u
    check "$shell completes --profile names" offers "$shell" "land-vehicle-c4i" formfit matrix --profile land
    check "$shell completes a standard to show" offers "$shell" "mil-std-1275 mil-std-1553" formfit rules show mil-std-1
    check "$shell completes rule ids" offers "$shell" "STANAG4172-CAL-1" formfit rules explain STANAG4172-CAL
    check "$shell completes formfit's own codes" offers "$shell" "input/limit/depth" formfit rules explain input/limit/d
done
# What is offered is what formfit takes.
check "formfit takes the offered name" "$formfit" check --no-config --fail-on never --standard nato-uhf-air-band fixtures/examples/vehicle-radio-set.toml
report test-completions
