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
echo "== nvim: $(nvim --version | head -n 1) with $bin lsp"

passed=0
failed=0

# run_case NAME FILE BAD GOOD: FILE (under $work) has the unknown name BAD where GOOD is declared.
run_case() {
  local name="$1" file="$2" bad="$3" good="$4" dir base check_out check_status place line col status=0
  dir="$(dirname "$file")"
  base="$(basename "$file")"
  echo "-- nvim: $name"
  # Where `verdict check` puts the error: the LSP diagnostic must start at the same place.
  set +e
  check_out="$(cd "$dir" && NO_COLOR=1 "$bin" check "$base" 2>&1)"
  check_status=$?
  set -e
  place="$(printf '%s\n' "$check_out" | grep -oE "$base:[0-9]+:[0-9]+: unknown name \`$bad\`" | head -n 1)" || true
  if [ "$check_status" -ne 1 ] || [ -z "$place" ]; then
    echo "nvim: $name: \`verdict check\` should exit 1 with unknown name \`$bad\` at a line and column; exit $check_status:" >&2
    echo "$check_out" >&2
    failed=$((failed + 1))
    return
  fi
  line="$(echo "$place" | cut -d: -f2)"
  col="$(echo "$place" | cut -d: -f3)"
  echo "nvim: verdict check puts \`$bad\` at $line:$col"

  VERDICT_BIN="$bin" RULEBOOK="$file" BAD_NAME="$bad" GOOD_NAME="$good" \
    EXPECT_LINE="$line" EXPECT_COL="$col" \
    timeout 120 nvim --headless --clean -n -i NONE \
    -c "luafile tests/editors/nvim_lsp.lua" </dev/null || status=$?
  if [ "$status" -ne 0 ]; then
    echo "nvim: $name: the Neovim LSP test failed (exit $status)" >&2
    failed=$((failed + 1))
    return
  fi
  # The file Neovim wrote back checks clean: the fix is a real one.
  if ! (cd "$dir" && NO_COLOR=1 "$bin" check "$base" >/dev/null 2>&1); then
    echo "nvim: $name: the file Neovim saved after the completion does not check clean:" >&2
    (cd "$dir" && NO_COLOR=1 "$bin" check "$base") >&2 || true
    failed=$((failed + 1))
    return
  fi
  passed=$((passed + 1))
}

# 1. The error case of the golden tests: `order.placed_no` for `order.placed_on`.
mkdir -p "$work/case"
cp tests/cases/errors/rulebook-unknown-name.toml "$work/case/rulebook.toml"
run_case "tests/cases/errors/rulebook-unknown-name.toml" "$work/case/rulebook.toml" order.placed_no order.placed_on

# 2. A shipped rulebook (with its calendar, history and example scenarios beside it) with
#    one condition misspelt, as an author would: `contract.knid` for `contract.kind`.
cp -r rulebooks examples "$work/"
target_line="when = 'contract.kind is goods and count(items) > 1'"
if ! grep -qxF "$target_line" "$work/rulebooks/nl/withdrawal.toml"; then
  echo "nvim: rulebooks/nl/withdrawal.toml no longer has the line \`$target_line\`: pick another to misspell" >&2
  exit 1
fi
sed -i "0,/^when = 'contract.kind is goods and count(items) > 1'\$/s//when = 'contract.knid is goods and count(items) > 1'/" \
  "$work/rulebooks/nl/withdrawal.toml"
run_case "rulebooks/nl/withdrawal.toml with a misspelt fact" "$work/rulebooks/nl/withdrawal.toml" contract.knid contract.kind

echo "nvim: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
