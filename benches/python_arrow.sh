#!/usr/bin/env bash
# evaluate_arrow (the Python package) against `verdict eval --batch`, in one
# run on the same scenarios: N single-item withdrawal scenarios (the
# generator of benches/batch.sh), as JSON lines for the CLI and as Arrow
# columns (structs, a list of structs, date32, decimal128) or one JSON
# column for evaluate_arrow. Per core (taskset -c 0, threads=1) and on all
# cores. The Arrow timings start with the batch in memory (read from
# Parquet beforehand, as a data team has it) and end with the typed output
# batch; the CLI's start at the JSON file and end with its JSON lines.
# Usage: benches/python_arrow.sh   (ARROW_N=200000 by default; release builds)
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"
n=${ARROW_N:-200000}
venv="$CARGO_TARGET_DIR/python-bench-venv"
cargo build --release --quiet --locked --bin verdict
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r bindings/python/requirements-ci.txt
rm -rf "$CARGO_TARGET_DIR/wheels"
(cd bindings/python && "$venv/bin/maturin" build --release --locked --quiet --interpreter "$venv/bin/python")
"$venv/bin/pip" install --quiet --disable-pip-version-check --force-reinstall --no-deps "$CARGO_TARGET_DIR"/wheels/verdict-*.whl
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
"$venv/bin/python" - "$n" "$dir" "$CARGO_TARGET_DIR/release/verdict" <<'PY'
import datetime, os, subprocess, sys, time
from decimal import Decimal
import pyarrow as pa
import verdict

n, dir, cli = int(sys.argv[1]), sys.argv[2], sys.argv[3]
natures = ["standard", "perishable", "custom_made", "hygiene_sealed", "sealed_media"]
base = datetime.date(2026, 6, 20)
contract, items, withdrawal, refund, lines = [], [], [], [], []
for i in range(n):
    received = base + datetime.timedelta(days=i % 180)
    sent = received + datetime.timedelta(days=i % 20)
    concluded = received - datetime.timedelta(days=2)
    paid = "%d.%02d" % (10 + i % 500, i % 100)
    contract.append({"kind": "goods", "channel": "distance", "concluded_on": concluded})
    items.append([{"name": "item", "received_on": received, "nature": natures[i % 5], "seal_broken": bool(i % 2)}])
    withdrawal.append({"sent_on": sent})
    refund.append({"paid": Decimal(paid), "standard_delivery": Decimal("4.95")})
    lines.append('{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "%s"}, '
                 '"items": [{"name": "item", "received_on": "%s", "nature": "%s", "seal_broken": %s}], '
                 '"withdrawal": {"sent_on": "%s"}, "refund": {"paid": "%s", "standard_delivery": "4.95"}}'
                 % (concluded, received, natures[i % 5], "true" if i % 2 else "false", sent, paid))
money = pa.decimal128(12, 2)
nested = pa.table({
    "contract": pa.array(contract, pa.struct([("kind", pa.string()), ("channel", pa.string()), ("concluded_on", pa.date32())])),
    "items": pa.array(items, pa.list_(pa.struct([("name", pa.string()), ("received_on", pa.date32()),
                                                  ("nature", pa.string()), ("seal_broken", pa.bool_())]))),
    "withdrawal": pa.array(withdrawal, pa.struct([("sent_on", pa.date32())])),
    "refund": pa.array(refund, pa.struct([("paid", money), ("standard_delivery", money)])),
})
json_col = pa.table({"scenario": pa.array(lines)})
path = os.path.join(dir, "in.jsonl")
with open(path, "w") as f:
    f.write("\n".join(lines) + "\n")
rb = verdict.Rulebook.load("rulebooks/nl/withdrawal.toml")
cores = os.cpu_count()

def cli_run(pin):
    cmd = (["taskset", "-c", "0"] if pin else []) + [cli, "eval", "rulebooks/nl/withdrawal.toml", "--batch", path]
    t = time.perf_counter()
    out = subprocess.run(cmd, stdout=subprocess.PIPE, check=True).stdout
    secs = time.perf_counter() - t
    assert out.count(b"\n") == n and b'"error"' not in out
    return n / secs

def arrow_run(table, threads, **kw):
    t = time.perf_counter()
    out = rb.evaluate_arrow(table, threads=threads, **kw)
    secs = time.perf_counter() - t
    assert out.num_rows == n and out.column("error").null_count == n, "every row gives verdicts"
    return n / secs

os.sched_setaffinity(0, {0})      # one core for the per-core figures
one = {"cli": cli_run(True), "nested": arrow_run(nested, 1), "json": arrow_run(json_col, 1, json_column="scenario")}
os.sched_setaffinity(0, set(range(cores)))
every = {"cli": cli_run(False), "nested": arrow_run(nested, cores), "json": arrow_run(json_col, cores, json_column="scenario")}
print(f"python_arrow: {n:,} withdrawal scenarios, rows/s (ratio to eval --batch in the same run)")
for label, r in [("1 core", one), (f"{cores} cores", every)]:
    print(f"  {label:8} eval --batch {r['cli']:>9,.0f} | evaluate_arrow structs {r['nested']:>9,.0f} ({r['nested']/r['cli']:.2f}) "
          f"| evaluate_arrow JSON column {r['json']:>9,.0f} ({r['json']/r['cli']:.2f})")
PY
