// The extension's manifest agrees with its files and with the repository's layout.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { minimatch } = require("minimatch");

const ROOT = path.join(__dirname, "..");
const REPO = path.join(ROOT, "..", "..");
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8"));

function files(dir) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : [p];
  });
}

test("the grammar contribution names the injection grammar and injects it into TOML", () => {
  const [g] = manifest.contributes.grammars;
  const grammar = JSON.parse(fs.readFileSync(path.join(ROOT, g.path), "utf8"));
  assert.equal(grammar.scopeName, g.scopeName);
  assert.deepEqual(g.injectTo, ["source.toml"]);
  assert.match(grammar.injectionSelector, /^L:source\.toml/);
});

test("the toml language id exists without a TOML extension, and the client serves only it", () => {
  const [lang] = manifest.contributes.languages;
  assert.equal(lang.id, "toml");
  assert.deepEqual(lang.extensions, [".toml"]);
  assert.ok(!("configuration" in lang) && !manifest.contributes.grammars.some((g) => g.language), "no TOML grammar of our own");
  assert.ok(manifest.activationEvents.includes("onLanguage:toml"));
});

test("verdict.files matches the shipped rulebooks, calendars and examples, and no other TOML file", () => {
  const globs = manifest.contributes.configuration.properties["verdict.files"].default;
  const served = (p) => globs.some((g) => minimatch("/home/u/verdict/" + p, g, { dot: true }));
  const toml = files(REPO)
    .map((p) => path.relative(REPO, p))
    .filter((p) => p.endsWith(".toml") && !/^(target|node_modules|\.git)\//.test(p) && !p.includes("node_modules"));
  const rulebooks = toml.filter((p) => p.startsWith("rulebooks/") || p.startsWith("examples/"));
  assert.ok(rulebooks.length > 20, `found ${rulebooks.length} rulebook and example files`);
  for (const p of rulebooks) assert.ok(served(p), `${p} is served`);
  for (const p of ["Cargo.toml", "rustfmt.toml", "fuzz/Cargo.toml"]) assert.ok(!served(p), `${p} is not served`);
});

test("tomlValidation associates the bundled schema with rulebook files only", () => {
  const [v] = manifest.contributes.tomlValidation;
  assert.equal(v.url, "./schemas/rulebook.schema.json");
  const copy = fs.readFileSync(path.join(ROOT, "scripts", "copy-schema.js"), "utf8");
  assert.ok(copy.includes('"schemas", "rulebook.schema.json"'), "copy-schema.js writes the file the url names");
  const re = new RegExp(v.regexMatch);
  assert.ok(re.test("file:///home/u/verdict/rulebooks/nl/withdrawal.toml"));
  assert.ok(re.test("file:///home/u/verdict/rulebooks/be/history/withdrawal-2014.toml"));
  assert.ok(!re.test("file:///home/u/verdict/examples/nl/dress-and-trousers.toml"));
  assert.ok(!re.test("file:///home/u/verdict/Cargo.toml"));
  const { RULEBOOK_URI_REGEX } = loadExtensionWithoutVscode();
  assert.equal(RULEBOOK_URI_REGEX, v.regexMatch, "the associateSchema command writes the same association");
});

/** extension.js with a stand-in for the `vscode` module (only its exports are read here). */
function loadExtensionWithoutVscode() {
  const Module = require("node:module");
  const original = Module._load;
  Module._load = function (request, ...rest) {
    if (request === "vscode") return {};
    if (request === "vscode-languageclient/node") return { LanguageClient: class {}, TransportKind: { stdio: 0 } };
    return original.call(this, request, ...rest);
  };
  try {
    return require(path.join(ROOT, "extension.js"));
  } finally {
    Module._load = original;
  }
}

test("the client's document selector is the verdict.files globs, for TOML files on disk", () => {
  const { documentSelector } = loadExtensionWithoutVscode();
  const selector = documentSelector({ get: (key, dflt) => (key === "files" ? ["**/rulebooks/**/*.toml"] : dflt) });
  assert.deepEqual(selector, [{ scheme: "file", language: "toml", pattern: "**/rulebooks/**/*.toml" }]);
});
