#!/usr/bin/env bash
# Installs what scripts/bench-catalogue.sh measures formfit against, at the versions its
# figures name: hyperfine (Debian's), jsonschema-cli 0.60.2 and regorus 0.14.1 (crates.io,
# --locked). Each is skipped when the right version is already there. regorus takes about
# 25 minutes to build on 2 cores, so it is outside .ci/run.
#
# Usage: scripts/bench-tools.sh [ROOT]   (cargo's --root; default ~/.cargo, whose bin/ the
#        benchmark script puts on PATH; with another ROOT, put ROOT/bin on PATH yourself)
set -euo pipefail

ROOT="${1:-${CARGO_HOME:-$HOME/.cargo}}"
PATH="$ROOT/bin:$PATH"
have() { # COMMAND VERSION: whether COMMAND --version prints VERSION
    command -v "$1" >/dev/null && "$1" --version 2>/dev/null | grep -q "$2"
}
if ! command -v hyperfine >/dev/null; then
    if [ "$(id -u)" = 0 ]; then apt-get install -y hyperfine; else sudo apt-get install -y hyperfine; fi
fi
have jsonschema-cli 0.60.2 ||
    cargo install jsonschema-cli --version 0.60.2 --locked --root "$ROOT"
have regorus 0.14.1 ||
    cargo install regorus --version 0.14.1 --example regorus --locked --root "$ROOT"
hyperfine --version
jsonschema-cli --version
regorus --version
