#!/usr/bin/env bash
# Instructions per request of `verdict serve`, counted by callgrind, which
# does not vary with the load of a shared machine (benches/serve.sh measures
# time). One client on one keep-alive connection sends, after a warm-up,
# 1,000 GET /health/live (the floor), 1,000 POST /v1/evaluate/nl.withdrawal
# and 10 POST /v1/evaluate-batch/nl.withdrawal of 1,000 scenarios (bodies of
# benches/serve-bodies.py); the counters are zeroed after the warm-up and
# dumped after each series. User-space instructions only (not the kernel's).
# Beside them: `verdict eval --batch` on the same 1,000 scenarios, per line
# (its run minus a run on an empty file, which is the load).
# Usage: benches/serve-instructions.sh [BINARY]   (default target/release/verdict)
set -euo pipefail
cd "$(dirname "$0")/.."
bin=${1:-target/release/verdict}
if [ $# -eq 0 ]; then cargo build --release --quiet --locked; fi
dir=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT
python3 benches/serve-bodies.py "$dir" 1
cat > "$dir/client.py" <<'PY'
import http.client, sys
port, path, body, n = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
data = open(body, "rb").read() if body != "-" else None
c = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
for _ in range(n):
    if data is None:
        c.request("GET", path)
    else:
        c.request("POST", path, data, {"Content-Type": "application/json"})
    r = c.getresponse()
    b = r.read()
    assert r.status == 200, (r.status, b[:300])
PY
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
valgrind --tool=callgrind --callgrind-out-file="$dir/cg.out" "$bin" serve rulebooks/ --addr "127.0.0.1:$port" \
  --no-watch > "$dir/stdout" 2> "$dir/stderr" &
server=$!
for _ in $(seq 600); do
  if grep -q '^listening on ' "$dir/stdout"; then break; fi
  sleep 0.1
done
grep -q '^listening on ' "$dir/stdout" || { echo "serve-instructions.sh: the server did not start"; exit 1; }
series() { python3 "$dir/client.py" "$port" "$1" "$2" "$3"; }
series /health/live - 20
series /v1/evaluate/nl.withdrawal "$dir/evaluate.json" 20
series /v1/evaluate-batch/nl.withdrawal "$dir/batch.json" 2
callgrind_control -z "$server" > /dev/null
series /health/live - 1000
callgrind_control -d "$server" > /dev/null
series /v1/evaluate/nl.withdrawal "$dir/evaluate.json" 1000
callgrind_control -d "$server" > /dev/null
series /v1/evaluate-batch/nl.withdrawal "$dir/batch.json" 10
callgrind_control -d "$server" > /dev/null
kill "$server"
wait "$server" || true
server=
total() { grep -h '^summary:' "$1" | head -1 | cut -d' ' -f2; }
floor=$(total "$dir/cg.out.1")
evaluate=$(total "$dir/cg.out.2")
batch=$(total "$dir/cg.out.3")
: > "$dir/empty.jsonl"
python3 -c "import json, sys; [print(json.dumps(x['scenario'])) for x in json.load(open(sys.argv[1]))]" \
  "$dir/batch.json" > "$dir/batch.jsonl"
python3 -c "import json, sys; print(json.dumps(json.load(open(sys.argv[1]))['scenario']))" \
  "$dir/evaluate.json" > "$dir/one.jsonl"
for i in $(seq 999); do head -1 "$dir/one.jsonl"; done >> "$dir/one.jsonl"
for f in empty batch one; do
  valgrind --tool=callgrind --callgrind-out-file="$dir/eval-$f.out" "$bin" eval rulebooks/nl/withdrawal.toml \
    --batch "$dir/$f.jsonl" > /dev/null 2> /dev/null
done
load=$(total "$dir/eval-empty.out")
eval_batch=$(total "$dir/eval-batch.out")
eval_one=$(total "$dir/eval-one.out")
python3 - "$floor" "$evaluate" "$batch" "$load" "$eval_batch" "$eval_one" <<'PY'
import sys
floor, evaluate, batch, load, eval_batch, eval_one = map(int, sys.argv[1:])
print(f"floor     GET /health/live          {floor / 1000:>9,.0f} instructions a request")
print(f"evaluate  dress-and-trousers        {evaluate / 1000:>9,.0f} instructions a request"
      f"   (eval --batch, the same scenario: {(eval_one - load) / 1000:,.0f} a line)")
print(f"batch     1,000 single-item         {batch / 10000:>9,.0f} instructions a decision"
      f"  (eval --batch, the same scenarios: {(eval_batch - load) / 1000:,.0f} a line)")
print(f"SUMMARY floor={floor / 1000:.0f} evaluate={evaluate / 1000:.0f} batch_per_decision={batch / 10000:.0f} "
      f"eval_line_batch={(eval_batch - load) / 1000:.0f} eval_line_evaluate={(eval_one - load) / 1000:.0f}")
PY
