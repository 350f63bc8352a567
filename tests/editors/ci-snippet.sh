# The editor packages' CI steps, for .ci/run to `source` from the repository root after
# `cargo build` (or `cargo test`, which builds target/debug/verdict). Under .ci/run's
# `set -euo pipefail` a failing step stops the run. See editors/README.md.

echo "== editors: Debian's neovim, the extension's npm packages from the lockfile"
if ! command -v nvim >/dev/null 2>&1; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq neovim >/dev/null
fi
(cd editors/vscode && npm ci --no-audit --no-fund --loglevel=error)

echo "== editors: the VS Code extension's tests (injection grammar on the shipped rulebooks, manifest)"
(cd editors/vscode && npm test)

echo "== editors: the .vsix (vsce package; bundles schemas/rulebook.schema.json and calendar.schema.json)"
mkdir -p target/editors
(cd editors/vscode && npx --no-install vsce package --skip-license --allow-missing-repository \
  --out ../../target/editors/verdict-rulebooks.vsix)
vsix_files="$(python3 -m zipfile -l target/editors/verdict-rulebooks.vsix)"
for f in extension/extension.js extension/schemas/rulebook.schema.json extension/schemas/calendar.schema.json \
  extension/syntaxes/verdict-rules.injection.tmLanguage.json extension/node_modules/vscode-languageclient/node.js; do
  if ! grep -q "^$f " <<<"$vsix_files"; then
    echo "editors: $f is missing from target/editors/verdict-rulebooks.vsix" >&2
    exit 1
  fi
done
echo "editors: built target/editors/verdict-rulebooks.vsix"

echo "== editors: headless Neovim against verdict lsp"
[ -x "${VERDICT_BIN:-target/debug/verdict}" ] || cargo build --locked
bash tests/editors/nvim.sh
