#!/usr/bin/env bash
# Load benchmark of `verdict serve` (issue 11), with wrk on loopback, each run
# bounded by DURATION (default 5s), 16 connections on 2 wrk threads:
#   floor     GET /health/live of the same server: routing, the middleware
#             (metrics, timeout, catch-panic) and a small JSON body, no decision
#   evaluate  POST /v1/evaluate/nl.withdrawal, examples/nl/dress-and-trousers.toml
#   batch     POST /v1/evaluate-batch/nl.withdrawal, a JSON array of 1,000
#             request objects (the single-item scenarios of benches/batch.sh)
#   eval      `verdict eval rulebooks/nl/withdrawal.toml --batch` on the same
#             1,000 scenarios repeated BATCH_REPEAT times (lines/s), same run
#   logged    evaluate again on a second server started with --decision-log
# and prints a summary: requests/s, p50/p99, evaluate/floor and batch/eval,
# and the CPU time a request costs the server (from /proc) and wrk (GNU
# time), whose ratios vary less with other load on the machine.
# Usage: DURATION=10s benches/serve.sh   (BENCHMARKS.md records the figures)
#        VERDICT=path/to/verdict benches/serve.sh   (another binary, not built)
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${DURATION:-5s}
conns=${CONNECTIONS:-16}
threads=${WRK_THREADS:-2}
repeat=${BATCH_REPEAT:-300}
bin=${VERDICT:-target/release/verdict}
if [ -z "${VERDICT:-}" ]; then cargo build --release --quiet --locked; fi
if ! command -v wrk > /dev/null; then
  apt-get install -y wrk > /dev/null
fi
dir=$(mktemp -d)
server=
cleanup() {
  if [ -n "$server" ]; then kill "$server" 2> /dev/null || true; wait "$server" 2> /dev/null || true; fi
  rm -rf "$dir"
}
trap cleanup EXIT

# the bodies: one example as a request object; 1,000 generated scenarios as a
# JSON array of request objects and as JSON lines for --batch
python3 benches/serve-bodies.py "$dir" "$repeat"

# starts `verdict serve rulebooks/ ARGS` on a free port; sets $server, $base
start() {
  "$bin" serve rulebooks/ --addr 127.0.0.1:0 --no-watch "$@" > "$dir/stdout" 2> "$dir/stderr" &
  server=$!
  for _ in $(seq 200); do
    if grep -q '^listening on ' "$dir/stdout"; then break; fi
    sleep 0.05
  done
  base=$(sed -n 's/^listening on //p' "$dir/stdout")
  [ -n "$base" ] || { echo "serve.sh: the server did not start:"; cat "$dir/stderr"; exit 1; }
  curl -sf "$base/health/ready" > /dev/null || { echo "serve.sh: $base/health/ready is not 200"; exit 1; }
}
stop() {
  kill "$server"
  wait "$server" || true
  server=
}
# the server's CPU time so far (user + system), in clock ticks
cpu() { awk '{print $14 + $15}' "/proc/$server/stat"; }
# load NAME PATH [BODY_FILE]: one bounded wrk run, its RESULT line and the
# server's CPU time during it (CPU NAME SECONDS) appended to results
load() {
  local before
  before=$(cpu)
  NAME=$1 BODY_FILE=${3:-} /usr/bin/time -f "%U %S" -o "$dir/wrk-time" wrk -t "$threads" -c "$conns" \
    -d "$duration" --timeout 10s -s benches/serve-wrk.lua "$base$2" | grep '^RESULT' | tee -a "$dir/results"
  echo "CPU $1 $(( $(cpu) - before )) $(getconf CLK_TCK) $(cat "$dir/wrk-time")" >> "$dir/results"
}
# the answers are checked once before they are timed
check() {
  curl -sf -H 'Content-Type: application/json' --data-binary "@$dir/$2" "$base$1" > "$dir/answer.json"
  python3 - "$dir/answer.json" "$3" <<'PY'
import sys, json
a = json.load(open(sys.argv[1]))
n = int(sys.argv[2])
items = a if isinstance(a, list) else [a]
bad = [x for x in items if "conclusions" not in x]
assert len(items) == n and not bad, f"{len(items)} answers for {n}, {len(bad)} without conclusions: {bad[:1]}"
PY
}

echo "machine: $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg); wrk -t$threads -c$conns -d$duration"
start
check /v1/evaluate/nl.withdrawal evaluate.json 1
check /v1/evaluate-batch/nl.withdrawal batch.json 1000
load floor /health/live
load evaluate /v1/evaluate/nl.withdrawal "$dir/evaluate.json"
load batch /v1/evaluate-batch/nl.withdrawal "$dir/batch.json"
# eval --batch in the same run, while the server is idle
lines=$((1000 * repeat))
/usr/bin/time -f "%e %U %S" -o "$dir/time" \
  "$bin" eval rulebooks/nl/withdrawal.toml --batch "$dir/lines.jsonl" > "$dir/out.jsonl"
read -r secs user sys < "$dir/time"
[ "$(wc -l < "$dir/out.jsonl")" -eq "$lines" ] || { echo "serve.sh: eval --batch wrote the wrong number of lines"; exit 1; }
! grep -q '"error"' "$dir/out.jsonl" || { echo "serve.sh: eval --batch gave error records"; exit 1; }
echo "EVAL $lines $secs $user $sys" | tee -a "$dir/results"
stop
start --decision-log "$dir/decisions.jsonl"
load logged /v1/evaluate/nl.withdrawal "$dir/evaluate.json"
stop
logged_lines=$(wc -l < "$dir/decisions.jsonl")
echo "LOG $logged_lines $(stat -c %s "$dir/decisions.jsonl")" | tee -a "$dir/results"

python3 - "$dir/results" <<'PY'
import sys
r, cpu, client, ev, log = {}, {}, {}, None, None
for line in open(sys.argv[1]):
    f = line.split()
    if f[0] == "RESULT":
        r[f[1]] = dict(requests=int(f[2]), secs=float(f[3]), rps=float(f[4]), p50=int(f[5]), p99=int(f[6]),
                       non2xx=int(f[7]), errors=int(f[8]))
    elif f[0] == "CPU":
        cpu[f[1]] = int(f[2]) / int(f[3])
        client[f[1]] = float(f[4]) + float(f[5])
    elif f[0] == "EVAL":
        ev = int(f[1]) / float(f[2])
        ev_cpu = (float(f[3]) + float(f[4])) / int(f[1])
    elif f[0] == "LOG":
        log = (int(f[1]), int(f[2]))
per = {"floor": 0, "evaluate": 1, "logged": 1, "batch": 1000}
print(f"\n{'run':<9} {'requests/s':>11} {'decisions/s':>12} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'errors':>7} {'CPU/request: server':>20} {'wrk':>7}")
for name in ["floor", "evaluate", "batch", "logged"]:
    x = r[name]
    print(f"{name:<9} {x['rps']:>11,.0f} {x['rps'] * per[name]:>12,.0f} {x['p50'] / 1e3:>8.2f} {x['p99'] / 1e3:>8.2f} "
          f"{x['non2xx']:>8} {x['errors']:>7} {cpu[name] / x['requests'] * 1e6:>17,.1f} µs {client[name] / x['requests'] * 1e6:>4,.1f} µs")
print(f"{'eval':<9} {'':>11} {ev:>12,.0f}   (verdict eval --batch, lines/s; CPU {ev_cpu * 1e6:.1f} µs a line)")
f, e, b, l = r["floor"], r["evaluate"], r["batch"], r["logged"]
print(f"\nevaluate / floor       {e['rps'] / f['rps']:.2f}  (target >= 0.50)   evaluate p99 {e['p99'] / 1e3:.2f} ms (target < 5)")
# throughput bound by CPU is inversely proportional to the CPU a request
# costs (server and wrk together): a ratio that varies less with the load
# other processes put on the machine than requests/s do
fc = (cpu["floor"] + client["floor"]) / f["requests"]
ec = (cpu["evaluate"] + client["evaluate"]) / e["requests"]
bc = cpu["batch"] / b["requests"] / 1000
print(f"  by CPU a request (server + wrk): {fc * 1e6:.1f} µs / {ec * 1e6:.1f} µs = {fc / ec:.2f}")
print(f"batch / eval --batch   {b['rps'] * 1000 / ev:.2f}  (target >= 0.70)   CPU a decision {bc * 1e6:.1f} µs, eval --batch {ev_cpu * 1e6:.1f} µs a line = {ev_cpu / bc:.2f}")
print(f"logged / evaluate      {l['rps'] / e['rps']:.2f}  ({log[0]:,} lines logged for {l['requests']:,} requests, {log[1] / max(log[0], 1):,.0f} bytes a line)")
print("SUMMARY " + " ".join(f"{k}={v:.4g}" for k, v in [
    ("floor_rps", f["rps"]), ("evaluate_rps", e["rps"]), ("evaluate_p50_ms", e["p50"] / 1e3),
    ("evaluate_p99_ms", e["p99"] / 1e3), ("batch_dps", b["rps"] * 1000), ("batch_p99_ms", b["p99"] / 1e3),
    ("eval_lps", ev), ("eval_ratio", e["rps"] / f["rps"]), ("batch_ratio", b["rps"] * 1000 / ev),
    ("logged_ratio", l["rps"] / e["rps"]), ("floor_cpu_us", cpu["floor"] / f["requests"] * 1e6),
    ("evaluate_cpu_us", cpu["evaluate"] / e["requests"] * 1e6),
    ("floor_wrk_cpu_us", client["floor"] / f["requests"] * 1e6),
    ("evaluate_wrk_cpu_us", client["evaluate"] / e["requests"] * 1e6),
    ("batch_cpu_us_per_decision", bc * 1e6), ("eval_cpu_us_per_line", ev_cpu * 1e6),
    ("eval_ratio_by_cpu", fc / ec), ("batch_ratio_by_cpu", ev_cpu / bc)]))
bad = sum(x["non2xx"] + x["errors"] for x in r.values())
sys.exit(1 if bad else 0)
PY
