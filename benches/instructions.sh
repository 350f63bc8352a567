#!/usr/bin/env bash
# Instruction counts (valgrind --tool=callgrind; repeatable on a loaded machine) of
# `verdict eval rulebooks/nl/withdrawal.toml --batch` on two generated inputs:
# 2,000 single-item lines (some of them wrong) and 500 twenty-item lines.
# Usage: benches/instructions.sh [VERDICT_BINARY]   (default: a fresh release build)
# BENCHMARKS.md records the figures; compare binaries by passing each in turn.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-}
if [ -z "$bin" ]; then
  cargo build --release --quiet --locked
  bin=target/release/verdict
fi
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
python3 - "$dir" <<'PY'
import datetime, json, sys
d = sys.argv[1]
natures = ["standard", "perishable", "custom_made", "hygiene_sealed", "sealed_media", "bogus"]
base = datetime.date(2026, 1, 20)
with open(f"{d}/single.jsonl", "w") as out:
    for i in range(2000):
        received = base + datetime.timedelta(days=i % 400)
        sent = received + datetime.timedelta(days=i % 20)
        concluded = received - datetime.timedelta(days=2)
        if i % 997 == 0:
            out.write('{"contract": {"kind": "goods", "channel": "distance"\n'); continue
        out.write(json.dumps({"contract": {"kind": "goods", "channel": "distance", "concluded_on": str(concluded)},
                              "items": [{"name": "item", "received_on": str(received), "nature": natures[i % 6],
                                         "seal_broken": i % 2 == 1}],
                              "withdrawal": {"sent_on": str(sent)},
                              "refund": {"paid": "%d.%02d" % (10 + i % 500, i % 100), "standard_delivery": "4.95"}}) + "\n")
with open(f"{d}/twenty.jsonl", "w") as out:
    for i in range(500):
        items = [{"name": f"i{j}", "received_on": f"2026-07-{4 + j % 5:02d}", "nature": natures[(i + j) % 5],
                  "seal_broken": j % 2 == 0} for j in range(20)]
        out.write(json.dumps({"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-07-02"},
                              "items": items, "withdrawal": {"sent_on": "2026-07-15"},
                              "refund": {"paid": "489.90", "standard_delivery": "5.00"}}) + "\n")
PY
for input in single twenty; do
  # exit 1 is expected for `single`: some of its lines are wrong on purpose
  status=0
  valgrind --tool=callgrind --callgrind-out-file="$dir/cg" "$bin" eval rulebooks/nl/withdrawal.toml \
    --batch "$dir/$input.jsonl" > /dev/null 2> "$dir/log" || status=$?
  [ "$status" -le 1 ] || { cat "$dir/log"; exit "$status"; }
  echo "$input: $(grep -o 'Collected : [0-9]*' "$dir/log" | grep -o '[0-9]*') instructions"
done
