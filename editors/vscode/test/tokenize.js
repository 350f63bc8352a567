// Tokenises TOML text the way VS Code does: vscode-textmate with the Oniguruma WASM,
// a TOML base grammar and this extension's injection grammar injected into it.
//
// The base grammar is the TOML grammar of the `tm-grammars` npm package (MIT; its toml
// grammar is textmate/toml.tmbundle's, the one Shiki uses). It is a devDependency for this
// test only and is not shipped in the .vsix: in VS Code the base grammar is the editor's
// own TOML grammar or Even Better TOML's.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const vsctm = require("vscode-textmate");
const oniguruma = require("vscode-oniguruma");

const INJECTION = path.join(__dirname, "..", "syntaxes", "verdict-rules.injection.tmLanguage.json");
const TOML = require.resolve("tm-grammars/grammars/toml.json");
const INJECTION_SCOPE = "verdict.rule-strings.injection";

async function loadGrammar() {
  const wasm = fs.readFileSync(require.resolve("vscode-oniguruma/release/onig.wasm"));
  await oniguruma.loadWASM(wasm.buffer.slice(wasm.byteOffset, wasm.byteOffset + wasm.byteLength));
  const registry = new vsctm.Registry({
    onigLib: Promise.resolve({
      createOnigScanner: (patterns) => new oniguruma.OnigScanner(patterns),
      createOnigString: (s) => new oniguruma.OnigString(s),
    }),
    loadGrammar: async (scopeName) => {
      const file = { "source.toml": TOML, [INJECTION_SCOPE]: INJECTION }[scopeName];
      if (!file) return null;
      return vsctm.parseRawGrammar(fs.readFileSync(file, "utf8"), file);
    },
    getInjections: (scopeName) => (scopeName === "source.toml" ? [INJECTION_SCOPE] : undefined),
  });
  return registry.loadGrammar("source.toml");
}

/**
 * Tokenises every line of `text`; returns per line `{ text, tokens: [{ text, start, scopes }] }`.
 * The rule stack is carried from line to line, as an editor does, so multi-line strings work.
 */
function tokenizeText(grammar, text) {
  let stack = vsctm.INITIAL;
  return text.split(/\r?\n/).map((line) => {
    const result = grammar.tokenizeLine(line, stack);
    stack = result.ruleStack;
    const tokens = result.tokens.map((t) => ({
      text: line.slice(t.startIndex, t.endIndex),
      start: t.startIndex,
      scopes: t.scopes,
    }));
    return { text: line, tokens };
  });
}

module.exports = { loadGrammar, tokenizeText };
