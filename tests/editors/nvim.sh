#!/usr/bin/env bash
# A real editor against `verdict lsp`: headless Neovim (Debian's package) with its built-in
# LSP client opens a broken rulebook, gets the diagnostic where `verdict check` puts it,
# completes the misspelt fact name and sees the diagnostic clear (tests/editors/nvim_lsp.lua).
#
#   bash tests/editors/nvim.sh            # VERDICT_BIN defaults to target/debug/verdict
#
# Exits non-zero with a message on any failure.
set -euo pipefail
cd "$(dirname "$0")/../.."

if ! command -v nvim >/dev/null 2>&1; then
  echo "== nvim: installing Debian's neovim"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi

bin="${VERDICT_BIN:-target/debug/verdict}"
if [ ! -x "$bin" ]; then
  echo "nvim: no verdict binary at $bin (build it, or set VERDICT_BIN)" >&2
  exit 1
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# The broken rulebook: `order.placed_no` where `order.placed_on` is declared.
case_file=tests/cases/errors/rulebook-unknown-name.toml
cp "$case_file" "$work/rulebook.toml"
bad=order.placed_no
good=order.placed_on

# Where `verdict check` puts the error: the LSP diagnostic must start at the same place.
set +e
check_out="$(cd "$work" && NO_COLOR=1 "$bin" check rulebook.toml 2>&1)"
check_status=$?
set -e
if [ "$check_status" -ne 1 ]; then
  echo "nvim: \`verdict check\` of $case_file should exit 1 (one problem), exited $check_status:" >&2
  echo "$check_out" >&2
  exit 1
fi
place="$(printf '%s\n' "$check_out" | grep -oE "rulebook\.toml:[0-9]+:[0-9]+: unknown name \`$bad\`" | head -n 1)" || true
if [ -z "$place" ]; then
  echo "nvim: \`verdict check\` did not report unknown name \`$bad\` with a line and column:" >&2
  echo "$check_out" >&2
  exit 1
fi
line="$(echo "$place" | cut -d: -f2)"
col="$(echo "$place" | cut -d: -f3)"
echo "== nvim: verdict check puts \`$bad\` at $line:$col; $(nvim --version | head -n 1) with $bin lsp"

status=0
VERDICT_BIN="$bin" RULEBOOK="$work/rulebook.toml" BAD_NAME="$bad" GOOD_NAME="$good" \
  EXPECT_LINE="$line" EXPECT_COL="$col" \
  timeout 120 nvim --headless --clean -n -i NONE \
  -c "luafile tests/editors/nvim_lsp.lua" </dev/null || status=$?
if [ "$status" -ne 0 ]; then
  echo "nvim: the Neovim LSP test failed (exit $status)" >&2
  exit "$status"
fi

# The file Neovim wrote back checks clean: the fix is a real one.
if ! (cd "$work" && NO_COLOR=1 "$bin" check rulebook.toml >/dev/null 2>&1); then
  echo "nvim: the rulebook Neovim saved after the completion does not check clean:" >&2
  (cd "$work" && NO_COLOR=1 "$bin" check rulebook.toml) >&2 || true
  exit 1
fi
echo "nvim: 1 passed, 0 failed"
