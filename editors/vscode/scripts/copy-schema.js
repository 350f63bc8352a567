// `vscode:prepublish` (run by `vsce package`): bundles the rulebook schema of the repository
// (schemas/rulebook.schema.json) as schemas/rulebook.schema.json of the extension, the file
// its `tomlValidation` contribution and the `verdict.associateSchema` command point at.
// VERDICT_RULEBOOK_SCHEMA names another file (for a test before the schema exists).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const source = process.env.VERDICT_RULEBOOK_SCHEMA || path.join(__dirname, "..", "..", "..", "schemas", "rulebook.schema.json");
const target = path.join(__dirname, "..", "schemas", "rulebook.schema.json");

if (!fs.existsSync(source)) {
  console.error(`copy-schema: ${source} does not exist; the extension bundles the rulebook schema, so build it first`);
  process.exit(1);
}
JSON.parse(fs.readFileSync(source, "utf8")); // a broken schema fails the package, not the user's editor
fs.mkdirSync(path.dirname(target), { recursive: true });
fs.copyFileSync(source, target);
console.log(`copy-schema: ${path.relative(process.cwd(), source)} -> ${path.relative(process.cwd(), target)}`);
