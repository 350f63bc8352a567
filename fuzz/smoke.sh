#!/usr/bin/env bash
# CI smoke for the fuzzers: the regression tests of tests/cases/fuzz/ always;
# then, if `cargo fuzz` is installed, each fuzz target for 20 seconds
# (FUZZ_SECONDS to change) on one core. Fails on a failing regression test or on
# any crash, timeout or OOM (the input is left in fuzz/artifacts/TARGET/).
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${FUZZ_SECONDS:-20}

cargo test --locked --test integration fuzz_regressions

if ! cargo fuzz --version >/dev/null 2>&1; then
  echo "fuzz smoke: cargo fuzz is not installed (cargo install cargo-fuzz --locked); ran the regression tests only"
  exit 0
fi

cd fuzz
python3 seed.py
# cargo fuzz needs nightly flags; RUSTC_BOOTSTRAP lets the stable toolchain take them
export RUSTC_BOOTSTRAP=1
RUSTC_BOOTSTRAP=1 cargo fuzz build -s none
failed=()
for target in parse_expr load_rulebook load_scenario load_calendar evaluate; do
  dict=()
  case "$target" in
    parse_expr) dict=(-dict=dict/expr.dict) ;;
    load_rulebook) dict=(-dict=dict/rulebook.dict) ;;
  esac
  echo "fuzz smoke: $target for ${secs}s"
  # a scratch copy of the corpus, so the smoke run leaves the seeds as they were
  work=$(mktemp -d)
  cp -r "corpus/$target/." "$work/"
  if ! cargo fuzz run -s none "$target" "$work" -- -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
      "${dict[@]}" 2>"$work.log"; then
    failed+=("$target")
    grep -E "panicked at|ERROR: libFuzzer|SUMMARY|Test unit written" -A2 "$work.log" | head -20 || true
  else
    grep -E "^#[0-9]+[[:space:]]+DONE" "$work.log" | tail -1 || true
  fi
  rm -rf "$work" "$work.log"
done
if [ ${#failed[@]} -gt 0 ]; then
  echo "fuzz smoke: FAILED: ${failed[*]}"
  exit 1
fi
echo "fuzz smoke: every target ran ${secs}s without a finding"
