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

test("tomlValidation: the rulebook schema for rulebooks, the calendar schema for calendars", () => {
  const [rulebook, calendar] = manifest.contributes.tomlValidation;
  assert.equal(rulebook.url, "./schemas/rulebook.schema.json");
  assert.equal(calendar.url, "./schemas/calendar.schema.json");
  const copy = fs.readFileSync(path.join(ROOT, "scripts", "copy-schema.js"), "utf8");
  assert.ok(copy.includes('["rulebook.schema.json", "calendar.schema.json"]'), "copy-schema.js bundles both");
  for (const v of [rulebook, calendar]) {
    assert.ok(!/\(\?<?[=!]/.test(v.regexMatch), `${v.regexMatch}: no look-around (taplo uses Rust's regex)`);
  }
  const uri = (p) => "file:///home/u/verdict/" + p;
  const isRulebook = (p) => new RegExp(rulebook.regexMatch).test(uri(p));
  const isCalendar = (p) => new RegExp(calendar.regexMatch).test(uri(p));
  const shipped = files(path.join(REPO, "rulebooks")).map((p) => path.relative(REPO, p)).filter((p) => p.endsWith(".toml"));
  const calendars = shipped.filter((p) => p.startsWith("rulebooks/calendars/"));
  assert.ok(calendars.length >= 2 && shipped.length - calendars.length >= 10, `found ${shipped.length} files`);
  for (const p of shipped) {
    const cal = calendars.includes(p);
    assert.equal(isRulebook(p), !cal, `${p}: rulebook schema`);
    assert.equal(isCalendar(p), cal, `${p}: calendar schema`);
  }
  for (const p of ["rulebooks/calendar/x.toml", "rulebooks/calendarsx/x.toml", "rulebooks/x.toml", "rulebooks/de/sub/x.toml"]) {
    assert.ok(isRulebook(p), `${p} is a rulebook`);
  }
  for (const p of ["examples/nl/dress-and-trousers.toml", "Cargo.toml", "tests/cases/errors/rulebook-unknown-name.toml"]) {
    assert.ok(!isRulebook(p) && !isCalendar(p), `${p} gets no schema`);
  }
  const { SCHEMA_ASSOCIATIONS } = loadExtensionWithoutVscode();
  assert.deepEqual(SCHEMA_ASSOCIATIONS, [
    { regex: rulebook.regexMatch, file: "schemas/rulebook.schema.json" },
    { regex: calendar.regexMatch, file: "schemas/calendar.schema.json" },
  ], "the associateSchema command writes the same associations");
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
