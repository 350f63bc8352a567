#!/usr/bin/env bash
# Batch throughput and memory: N single-item withdrawal scenarios as JSON lines
# through `verdict eval rulebooks/nl/withdrawal.toml --batch`, on all cores.
# Prints lines per second and the peak resident memory (GNU time), for
# N=1,000,000 and N=10,000,000 by default (BATCH_SIZES to change).
# Usage: benches/batch.sh   (BENCHMARKS.md records the figures)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet --locked
sizes=${BATCH_SIZES:-"1000000 10000000"}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
for n in $sizes; do
  python3 - "$n" > "$dir/in.jsonl" <<'PY'
import sys, datetime
n = int(sys.argv[1])
natures = ["standard", "perishable", "custom_made", "hygiene_sealed", "sealed_media"]
base = datetime.date(2026, 6, 20)
out = sys.stdout
for i in range(n):
    received = base + datetime.timedelta(days=i % 180)
    sent = received + datetime.timedelta(days=i % 20)
    concluded = received - datetime.timedelta(days=2)
    out.write('{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "%s"}, '
              '"items": [{"name": "item", "received_on": "%s", "nature": "%s", "seal_broken": %s}], '
              '"withdrawal": {"sent_on": "%s"}, "refund": {"paid": "%d.%02d", "standard_delivery": "4.95"}}\n'
              % (concluded, received, natures[i % 5], "true" if i % 2 else "false", sent, 10 + i % 500, i % 100))
PY
  /usr/bin/time -f "%e %M" -o "$dir/time" target/release/verdict eval rulebooks/nl/withdrawal.toml \
    --batch "$dir/in.jsonl" > "$dir/out.jsonl"
  read -r secs rss_kb < "$dir/time"
  lines=$(wc -l < "$dir/out.jsonl")
  errors=$(grep -c '"error"' "$dir/out.jsonl" || true)
  [ "$lines" -eq "$n" ] || { echo "batch: $lines lines out for $n in"; exit 1; }
  python3 -c "print(f'batch: {$n:>10,} lines in {$secs:6.1f} s = {$n/$secs:>9,.0f} lines/s on $(nproc) cores; peak RSS {$rss_kb/1024:.1f} MiB; error records: $errors')"
done
