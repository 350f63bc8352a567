# The playground's CI steps, for .ci/run to `source` from the repository root
# after `cargo build` (or `cargo test`, which builds target/debug/verdict with
# the default features, `serve` among them). Under .ci/run's `set -euo
# pipefail` a failing step stops the run. See playground/README.md.

echo "== playground: Debian's chromium, the npm packages from the lockfile"
if [ ! -x "${CHROMIUM:-/usr/bin/chromium}" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd playground && npm ci --no-audit --no-fund --loglevel=error)

echo "== playground: the committed assets are what the sources build"
if ! (cd playground && npm run -s check); then
  echo "src/serve/assets/ differs from a fresh build: run (cd playground && npm run build) and commit it" >&2
  exit 1
fi

echo "== playground: the browser test"
[ -x "${VERDICT_BIN:-target/debug/verdict}" ] || cargo build --locked
bash tests/browser/run.sh
