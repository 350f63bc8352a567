#!/usr/bin/env bash
# Runs one fuzz target on one core for SECONDS (default 900), seeding its corpus
# first. Crashes, timeouts and OOMs are written to fuzz/artifacts/TARGET/ and the
# run goes on (fork mode with one worker: one core only).
#   fuzz/run.sh TARGET [SECONDS] [extra libFuzzer flags…]
set -euo pipefail
cd "$(dirname "$0")"
target=${1:?usage: fuzz/run.sh parse_expr|load_rulebook|load_scenario|load_calendar|evaluate [SECONDS]}
secs=${2:-900}
shift $(( $# < 2 ? $# : 2 ))
case "$target" in
  parse_expr) dict=(-dict=dict/expr.dict) ;;
  load_rulebook) dict=(-dict=dict/rulebook.dict) ;;
  *) dict=() ;;
esac
[ -d "corpus/$target" ] || python3 seed.py
mkdir -p "artifacts/$target"
# -s none: the library forbids unsafe code, so AddressSanitizer adds cost and
# little else; overflow checks and debug assertions stay on (cargo fuzz's default).
RUSTC_BOOTSTRAP=1 exec cargo fuzz run -s none "$target" -- \
  -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
  -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
  -print_final_stats=1 "${dict[@]}" "$@"
