#!/usr/bin/env bash
# The two Python environments of the Spark job, in ENV_DIR:
#   ENV_DIR/driver/              a venv for spark-submit's driver: pyspark, pyarrow, pandas,
#                                venv-pack (requirements.txt) and the verdict wheel
#   ENV_DIR/verdict-env.tar.gz   the executors' venv (executor-requirements.txt and the wheel),
#                                packed by venv-pack, for `spark-submit --archives …#environment`
# Usage: examples/spark/make-env.sh ENV_DIR [WHEEL]
#   WHEEL: default the one verdict-*.whl in $CARGO_TARGET_DIR/wheels (bindings/python/ci.sh or
#   `cd bindings/python && maturin build --release` leaves it there). Needs python3 (3.11+).
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
[ $# -ge 1 ] || { echo "usage: $0 ENV_DIR [WHEEL]" >&2; exit 2; }
env_dir=$1
wheels="${CARGO_TARGET_DIR:-$root/target}/wheels"
wheel=${2:-$(ls "$wheels"/verdict-*.whl 2>/dev/null | head -n 1 || true)}
if [ -z "$wheel" ] || [ ! -f "$wheel" ]; then
  echo "make-env.sh: error: no verdict wheel${2:+ at $2}" >&2
  echo "  hint: build it with \`cd bindings/python && maturin build --release\` (it lands in $wheels) or pass its path" >&2
  exit 1
fi
pip_install() { "$1/bin/pip" install --quiet --disable-pip-version-check "${@:2}"; }
rm -rf "$env_dir/driver" "$env_dir/executor" "$env_dir/verdict-env.tar.gz"
mkdir -p "$env_dir"
python3 -m venv "$env_dir/driver"
python3 -m venv "$env_dir/executor"
pip_install "$env_dir/driver" -r "$here/requirements.txt" &
pip_install "$env_dir/executor" -r "$here/executor-requirements.txt" &
wait -n
wait -n
pip_install "$env_dir/driver" --no-deps "$wheel"
pip_install "$env_dir/executor" --no-deps "$wheel"
# venv-pack keeps the venv's link to its base interpreter: every worker needs
# the same python3 at the same path (on a cluster of one image it has it)
"$env_dir/driver/bin/venv-pack" -q -p "$env_dir/executor" -o "$env_dir/verdict-env.tar.gz"
rm -rf "$env_dir/executor"
echo "make-env.sh: $env_dir/driver and $env_dir/verdict-env.tar.gz ($(du -h "$env_dir/verdict-env.tar.gz" | cut -f1)) with $(basename "$wheel")"
