#!/usr/bin/env bash
# The Python package in CI: a fresh virtual environment with the pinned
# tools (requirements-ci.txt), the wheel built by maturin, pip-installed,
# then pytest. Run from anywhere; needs python3 (3.11+) with venv and pip.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target}"
venv="$CARGO_TARGET_DIR/python-ci-venv"
start=$SECONDS

rm -rf "$venv" "$CARGO_TARGET_DIR/wheels"
python3 -m venv "$venv"
"$venv/bin/pip" install --quiet --disable-pip-version-check -r "$here/requirements-ci.txt"

# the wheel, and the CLI the tests compare it with
(cd "$here" && "$venv/bin/maturin" build --locked --quiet --interpreter "$venv/bin/python")
(cd "$root" && cargo build --locked --quiet --bin verdict)
wheel=$(ls "$CARGO_TARGET_DIR"/wheels/verdict-*.whl)
"$venv/bin/pip" install --quiet --disable-pip-version-check "$wheel"

# the installed wheel, not the source tree: pytest runs from the tests folder
cd "$here/tests"
VERDICT_BIN="$CARGO_TARGET_DIR/debug/verdict" "$venv/bin/python" -m pytest -q -p no:cacheprovider .
echo "bindings/python/ci.sh: $((SECONDS - start)) s"
