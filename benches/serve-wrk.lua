-- wrk script of benches/serve.sh. Environment: BODY_FILE (the POST body;
-- unset for a GET), NAME (the label of the result line).
-- done() prints one machine-readable line:
--   RESULT name requests duration_s requests_per_s p50_us p99_us non_2xx socket_errors
local body_file = os.getenv("BODY_FILE")
if body_file and body_file ~= "" then
  local f = assert(io.open(body_file, "rb"))
  wrk.method = "POST"
  wrk.body = f:read("*a")
  f:close()
  wrk.headers["Content-Type"] = "application/json"
end

function done(summary, latency, requests)
  local e = summary.errors
  local secs = summary.duration / 1e6
  io.write(string.format("RESULT %s %d %.3f %.1f %d %d %d %d\n",
    os.getenv("NAME") or "run", summary.requests, secs, summary.requests / secs,
    latency:percentile(50), latency:percentile(99),
    e.status, e.connect + e.read + e.write + e.timeout))
end
