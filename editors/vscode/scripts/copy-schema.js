// `vscode:prepublish` (run by `vsce package`): bundles the repository's file schemas
// (schemas/rulebook.schema.json, schemas/calendar.schema.json) into schemas/ of the
// extension, the files its `tomlValidation` contributions and the `verdict.associateSchema`
// command point at. VERDICT_SCHEMA_DIR names another folder holding both (for a test
// before the schemas exist).
"use strict";

const fs = require("node:fs");
const path = require("node:path");

const from = process.env.VERDICT_SCHEMA_DIR || path.join(__dirname, "..", "..", "..", "schemas");
const to = path.join(__dirname, "..", "schemas");

fs.mkdirSync(to, { recursive: true });
for (const name of ["rulebook.schema.json", "calendar.schema.json"]) {
  const source = path.join(from, name);
  if (!fs.existsSync(source)) {
    console.error(`copy-schema: ${source} does not exist; the extension bundles the file schemas, so write them first`);
    process.exit(1);
  }
  JSON.parse(fs.readFileSync(source, "utf8")); // a broken schema fails the package, not the user's editor
  fs.copyFileSync(source, path.join(to, name));
  console.log(`copy-schema: ${source} -> schemas/${name}`);
}
