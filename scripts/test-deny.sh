#!/usr/bin/env bash
# The dependency graph against deny.toml: licences, banned crates, sources. Installs cargo-deny
# (cargo install --locked) when it is missing. The advisories check is left out: it needs the
# RustSec database from the internet (run `cargo deny check advisories` where it can be fetched).
# Usage: scripts/test-deny.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if ! command -v cargo-deny >/dev/null 2>&1; then
    cargo install --quiet --locked cargo-deny
fi
echo "test-deny: $(cargo deny --version)"
cargo deny --log-level error check licenses bans sources
echo "test-deny: licenses, bans and sources ok"
