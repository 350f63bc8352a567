#!/usr/bin/env bash
# The Spark job against `verdict eval --batch`, end to end: pinned pyspark in
# a fresh venv (examples/spark/make-env.sh), the verdict wheel that
# bindings/python/ci.sh left in $CARGO_TARGET_DIR/wheels (built by it when
# there is none), a book of N invoices (default 20,000), the job on a
# standalone cluster of two one-core workers on 127.0.0.1, and
# tests/spark/compare.py: the verdicts byte for byte, the changes row for row.
# Usage: bash tests/spark/run.sh [N]
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
cd "$root"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
n=${1:-20000}
dir="$CARGO_TARGET_DIR/spark-ci"
start=$SECONDS
rm -rf "$dir"
mkdir -p "$dir"
if ! ls "$CARGO_TARGET_DIR"/wheels/verdict-*.whl >/dev/null 2>&1; then
  echo "tests/spark: no wheel in $CARGO_TARGET_DIR/wheels; building and testing it with bindings/python/ci.sh"
  bash bindings/python/ci.sh
fi
wheel=$(ls "$CARGO_TARGET_DIR"/wheels/verdict-*.whl | head -n 1)
cli="${VERDICT_BIN:-$CARGO_TARGET_DIR/debug/verdict}"
[ -x "$cli" ] || cargo build --locked --quiet --bin verdict

bash examples/spark/make-env.sh "$dir/env" "$wheel"
echo "tests/spark: environments in $((SECONDS - start)) s"
py="$dir/env/driver/bin/python"
"$py" examples/spark/make_book.py --invoices "$n" --seed 15 --files 4 --out "$dir/book" --jsonl "$dir/book.jsonl"
"$cli" eval rulebooks/nl/withdrawal.toml --batch "$dir/book.jsonl" > "$dir/cli.jsonl"

bash examples/spark/local-cluster.sh "$dir/env" \
  --book "$dir/book" --rulebooks "$root/rulebooks" \
  --old nl/history/withdrawal-2022.toml --new nl/withdrawal.toml \
  --out "$dir/out" --write changes,verdicts

"$py" tests/spark/compare.py "$dir/out" "$dir/cli.jsonl" "$dir/book" rulebooks \
  nl/history/withdrawal-2022.toml nl/withdrawal.toml
echo "tests/spark/run.sh: $((SECONDS - start)) s"
