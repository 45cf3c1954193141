#!/usr/bin/env bash
# Fuzz one target for a while: ./fuzz/run.sh TARGET SECONDS
# New inputs go to fuzz/generated/TARGET (ignored by git); the committed seeds in
# fuzz/corpus/TARGET are read, never written. Crashes land in fuzz/artifacts/TARGET.
# Needs cargo-fuzz (`cargo install cargo-fuzz --locked`) and a nightly toolchain; on a machine
# with only stable, RUSTC_BOOTSTRAP=1 lets stable accept cargo-fuzz's -Z flags.
set -euo pipefail
target=$1
seconds=${2:-240}
here=$(cd "$(dirname "$0")" && pwd)
case $target in
  quantity) max_len=256 ;;
  *) max_len=65536 ;;
esac
toolchain=+nightly
rustup run nightly rustc --version >/dev/null 2>&1 || { toolchain=; export RUSTC_BOOTSTRAP=1; }
mkdir -p "$here/generated/$target" "$here/generated/logs/$target"
cd "$here/generated/logs/$target"   # libFuzzer writes fuzz-N.log here with -jobs
exec cargo $toolchain fuzz run --fuzz-dir "$here" "$target" \
  "$here/generated/$target" "$here/corpus/$target" -- \
  -max_len=$max_len -timeout=10 -jobs=1 -max_total_time="$seconds" -print_final_stats=1
