#!/usr/bin/env bash
# The Spark job against `verdict eval --batch` and evaluate_arrow, side by side
# in one run, on one book of N invoices (examples/spark/make_book.py, seed 15):
#   eval --batch          JSON lines file to JSON lines, all cores, and pinned to one core
#   evaluate_arrow        one process, threads=1, pinned to one core, the book read from
#                         Parquet beforehand: typed columns, and format="json"
#   the Spark job         examples/spark/local-cluster.sh: a master and two one-core
#                         workers on 127.0.0.1; --write verdicts (every verdict of the new
#                         version, the work of eval --batch), then --write changes (the diff)
# Release builds (the CLI and the wheel). Prints rows/s and the ratios of the targets
# (evaluate_arrow >= 90% of eval --batch per core; Spark >= 50% of eval --batch).
# Usage: benches/spark.sh   (SPARK_BENCH_N=1000000 by default)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
n=${SPARK_BENCH_N:-1000000}
dir="$CARGO_TARGET_DIR/spark-bench"
tools="$CARGO_TARGET_DIR/python-bench-venv"     # maturin, as benches/python_arrow.sh has it
cargo build --release --quiet --locked --bin verdict
cli="$CARGO_TARGET_DIR/release/verdict"
[ -x "$tools/bin/python" ] || python3 -m venv "$tools"
"$tools/bin/pip" install --quiet --disable-pip-version-check -r bindings/python/requirements-ci.txt
rm -rf "$dir"
mkdir -p "$dir"
(cd bindings/python && "$tools/bin/maturin" build --release --locked --quiet --interpreter "$tools/bin/python" --out "$dir/wheels")
bash examples/spark/make-env.sh "$dir/env" "$(ls "$dir"/wheels/verdict-*.whl)"
py="$dir/env/driver/bin/python"
"$py" examples/spark/make_book.py --invoices "$n" --seed 15 --files 8 --out "$dir/book" --jsonl "$dir/book.jsonl"
echo "machine: $(nproc) cores; $(uptime)"

secs() { "$py" -c 'import sys; print(f"{float(sys.argv[2]) - float(sys.argv[1]):.2f}")' "$1" "$2"; }
now() { date +%s.%N; }
t0=$(now); "$cli" eval rulebooks/nl/withdrawal.toml --batch "$dir/book.jsonl" > "$dir/cli.jsonl"; t1=$(now)
cli_all=$(secs "$t0" "$t1")
t0=$(now); taskset -c 0 "$cli" eval rulebooks/nl/withdrawal.toml --batch "$dir/book.jsonl" > /dev/null; t1=$(now)
cli_one=$(secs "$t0" "$t1")
[ "$(wc -l < "$dir/cli.jsonl")" -eq "$n" ]

arrow=$(taskset -c 0 "$py" - "$dir/book" <<'PY'
import sys, time
import pyarrow.parquet as pq
import verdict
book = pq.read_table(sys.argv[1])
rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
out = []
for fmt in ("arrow", "json"):
    t = time.perf_counter()
    r = rb.evaluate_arrow(book, keep=["invoice_id"], format=fmt, threads=1)
    out.append(time.perf_counter() - t)
    assert r.num_rows == book.num_rows and r.column("error").null_count == r.num_rows
print(*(f"{s:.2f}" for s in out))
PY
)
read -r arrow_typed arrow_json <<< "$arrow"

job() {  # the job on the cluster; its lines shown, its seconds (end to end, the write) in $dir/times-$1
  local what=$1 log="$dir/job-$1.log" t0 t1
  t0=$(now)
  bash examples/spark/local-cluster.sh "$dir/env" --book "$dir/book" --rulebooks "$root/rulebooks" \
    --old nl/history/withdrawal-2022.toml --new nl/withdrawal.toml --out "$dir/out-$what" --write "$what" \
    > "$log" 2>&1 || { cat "$log"; exit 1; }
  t1=$(now)
  grep -E "^(reevaluate.py|  rule|local-cluster.sh: (master|job))" "$log" || true
  echo "$(secs "$t0" "$t1") $(grep -oE 'in [0-9.]+ s on the cluster' "$log" | head -n 1 | grep -oE '[0-9.]+')" > "$dir/times-$what"
}
job verdicts
job changes
read -r spark_verdicts_all spark_verdicts_stage < "$dir/times-verdicts"
read -r spark_changes_all spark_changes_stage < "$dir/times-changes"
echo "machine after: $(uptime)"

"$py" - "$n" "$cli_all" "$cli_one" "$arrow_typed" "$arrow_json" "$spark_verdicts_all" "$spark_verdicts_stage" \
  "$spark_changes_all" "$spark_changes_stage" <<'PY'
import sys
n = int(sys.argv[1])
cli_all, cli_one, typed, js, sv_all, sv_stage, sc_all, sc_stage = map(float, sys.argv[2:])
r = lambda s: n / s
print(f"spark bench: {n:,} invoices (rows/s; ratio to eval --batch in the same run)")
print(f"  per core   eval --batch {r(cli_one):>9,.0f} | evaluate_arrow typed {r(typed):>9,.0f} ({cli_one / typed:.2f})"
      f" | evaluate_arrow format=json {r(js):>9,.0f} ({cli_one / js:.2f})   target >= 0.90")
print(f"  machine    eval --batch {r(cli_all):>9,.0f} | Spark --write verdicts {r(sv_all):>9,.0f} ({cli_all / sv_all:.2f}) "
      f"end to end, {r(sv_stage):>9,.0f} ({cli_all / sv_stage:.2f}) in the job's write   target >= 0.50")
print(f"  diff       Spark --write changes {r(sc_all):>9,.0f} end to end, {r(sc_stage):>9,.0f} in the job's write "
      "(two versions per invoice, and the diff)")
PY
