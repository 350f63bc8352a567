#!/usr/bin/env bash
# Regenerates docs/images/editing-neovim.png, the screenshot in docs/EDITING.md: a real
# Neovim (Debian's 0.7) in xterm under Xvfb, with `verdict lsp` attached to a copy of
# rulebooks/nl/withdrawal.toml in which one fact name is misspelt (`contract.knid`). It shows
# the diagnostic on that line and the hover float over a correctly spelt `contract.kind` a few
# lines below (tests/editors/screenshot.lua waits for both, then the window is captured).
#
# A docs tool, not part of CI: it needs an X server and changes a file under docs/.
#
#   bash tests/editors/screenshot.sh          # VERDICT_BIN defaults to target/debug/verdict
#   OUT=/tmp/shot.png bash tests/editors/screenshot.sh
#
# Needs Debian's neovim, xvfb, xterm, fonts-dejavu-core and imagemagick (installed with apt-get
# when missing).
set -euo pipefail
cd "$(dirname "$0")/../.."

need=()
command -v nvim >/dev/null 2>&1 || need+=(neovim)
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
command -v xterm >/dev/null 2>&1 || need+=(xterm)
command -v import >/dev/null 2>&1 || need+=(imagemagick)
[ -e /usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf ] || need+=(fonts-dejavu-core)
if [ "${#need[@]}" -gt 0 ]; then
  echo "== screenshot: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi

bin="${VERDICT_BIN:-target/debug/verdict}"
if [ ! -x "$bin" ]; then
  echo "screenshot: no verdict binary at $bin (build it, or set VERDICT_BIN)" >&2
  exit 1
fi
bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
out="${OUT:-docs/images/editing-neovim.png}"
display="${SCREENSHOT_DISPLAY:-:99}"

work="$(mktemp -d)"
xvfb_pid=""
xterm_pid=""
cleanup() {
  [ -n "$xterm_pid" ] && kill "$xterm_pid" 2>/dev/null || true
  [ -n "$xvfb_pid" ] && kill "$xvfb_pid" 2>/dev/null || true
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The rulebook with its calendar and history beside it, one condition misspelt.
cp -r rulebooks examples "$work/"
file="$work/rulebooks/nl/withdrawal.toml"
bad_text="when = 'contract.kind is goods and count(items) > 1'"
hover_text="when = 'contract.kind is regular_delivery'"
bad_line="$(grep -nxF "$bad_text" "$file" | head -n 1 | cut -d: -f1)"
hover_line="$(grep -nxF "$hover_text" "$file" | head -n 1 | cut -d: -f1)"
if [ -z "$bad_line" ] || [ -z "$hover_line" ]; then
  echo "screenshot: rulebooks/nl/withdrawal.toml no longer has the lines \`$bad_text\` and \`$hover_text\`" >&2
  exit 1
fi
sed -i "${bad_line}s/contract\.kind/contract.knid/" "$file"

Xvfb "$display" -screen 0 1600x1000x24 -nolisten tcp >"$work/xvfb.log" 2>&1 &
xvfb_pid=$!
for _ in $(seq 50); do
  [ -e "/tmp/.X11-unix/X${display#:}" ] && break
  sleep 0.1
done

marker="$work/ready"
config="$PWD/tests/editors/screenshot.lua"
# From $work, so that the status line shows rulebooks/nl/withdrawal.toml. The hover line is in
# the upper half of the window, so that the float opens below it and leaves the bad line free.
(
  cd "$work"
  DISPLAY="$display" VERDICT_BIN="$bin" MARKER="$marker" \
    BAD_LINE="$bad_line" HOVER_LINE="$hover_line" HOVER_COL=14 TOP_LINE=$((bad_line - 6)) \
    exec xterm -fa 'DejaVu Sans Mono' -fs 12 -geometry 150x40+0+0 -bg '#333333' -fg '#eeeeee' \
    -bw 0 -xrm 'XTerm*internalBorder: 6' \
    -e nvim -n -i NONE -u "$config" rulebooks/nl/withdrawal.toml
) &
xterm_pid=$!

for _ in $(seq 400); do
  [ -s "$marker" ] && break
  sleep 0.1
done
if [ ! -s "$marker" ]; then
  echo "screenshot: Neovim did not show the diagnostic and the hover within 40 s" >&2
  exit 1
fi
read -r status window <"$marker"
if [ "$status" != ok ]; then
  echo "screenshot: $(cat "$marker")" >&2
  exit 1
fi
sleep 0.5
mkdir -p "$(dirname "$out")"
if [ -n "$window" ]; then
  DISPLAY="$display" import -window "$window" "$work/shot.png"
else
  DISPLAY="$display" import -window root "$work/shot.png"
fi
convert "$work/shot.png" -strip "$out"
echo "screenshot: wrote $out ($(wc -c <"$out") bytes)"
