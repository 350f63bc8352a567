#!/usr/bin/env bash
# The playground's browser test: starts the real `verdict serve rulebooks/`
# on a free loopback port, runs tests/browser/playground.test.mjs with node's
# test runner against it (Debian's chromium through playwright-core), keeps a
# screenshot in target/browser/playground.png, and stops the server.
# Needs: a built binary ($VERDICT_BIN, default target/debug/verdict),
# `npm ci` done in playground/, and /usr/bin/chromium ($CHROMIUM to change).
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bin=${VERDICT_BIN:-target/debug/verdict}
out=target/browser
mkdir -p "$out"
if [ ! -x "$bin" ]; then
  echo "error: no verdict binary at $bin; run cargo build, or set VERDICT_BIN" >&2
  exit 1
fi
if [ ! -d playground/node_modules/playwright-core ]; then
  echo "error: playwright-core is not installed; run (cd playground && npm ci)" >&2
  exit 1
fi
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  echo "error: no chromium at ${CHROMIUM:-/usr/bin/chromium}; apt-get install -y chromium" >&2
  exit 1
fi
"$bin" serve rulebooks/ --addr 127.0.0.1:0 >"$out/serve.out" 2>"$out/serve.err" &
pid=$!
stop() {
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
trap stop EXIT
url=
for _ in $(seq 150); do
  url=$(grep -o -m1 'http://[^[:space:]]*' "$out/serve.out" || true)
  [ -n "$url" ] && break
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "error: verdict serve stopped before listening:" >&2
    cat "$out/serve.err" >&2
    exit 1
  fi
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "error: verdict serve printed no 'listening on' line in 15 s" >&2
  exit 1
fi
echo "browser test against $url"
status=0
VERDICT_URL=$url SCREENSHOT="$out/playground.png" timeout 120 node --test --test-reporter=spec tests/browser/playground.test.mjs || status=$?
[ -f "$out/playground.png" ] && echo "screenshot: $out/playground.png"
exit "$status"
