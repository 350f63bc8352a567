// The verdict rulebooks extension: starts `verdict lsp` for the TOML files that are
// rulebooks, calendars or scenarios, and restarts it when its settings change.
// Highlighting of the rule-language strings is the injection grammar in syntaxes/;
// schema validation of the TOML structure is Even Better TOML's (see package.json).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

/** The regular expression (of a document's URI) that Even Better TOML associates with the schema. */
const RULEBOOK_URI_REGEX = "^.*/rulebooks/.*\\.toml$";

/** The documents `verdict lsp` serves: TOML files matching one of the `verdict.files` globs. */
function documentSelector(config) {
  const patterns = config.get("files", ["**/rulebooks/**/*.toml"]);
  return patterns.map((pattern) => ({ scheme: "file", language: "toml", pattern }));
}

async function start(context) {
  const config = vscode.workspace.getConfiguration("verdict");
  const command = config.get("path", "verdict") || "verdict";
  const serverOptions = {
    run: { command, args: ["lsp"], transport: TransportKind.stdio },
    debug: { command, args: ["lsp"], transport: TransportKind.stdio },
  };
  const clientOptions = {
    documentSelector: documentSelector(config),
    outputChannelName: "verdict",
  };
  client = new LanguageClient("verdict", "verdict lsp", serverOptions, clientOptions);
  try {
    await client.start();
  } catch (err) {
    client = undefined;
    const choice = await vscode.window.showErrorMessage(
      `verdict: could not start \`${command} lsp\` (${err && err.message ? err.message : err}). ` +
        "Install verdict or set `verdict.path` to its binary.",
      "Open settings",
    );
    if (choice === "Open settings") {
      vscode.commands.executeCommand("workbench.action.openSettings", "verdict.path");
    }
  }
}

async function stop() {
  if (client) {
    const c = client;
    client = undefined;
    await c.stop();
  }
}

/** Writes the workspace setting that makes Even Better TOML validate rulebooks with the bundled schema. */
async function associateSchema(context) {
  const schema = vscode.Uri.joinPath(context.extensionUri, "schemas", "rulebook.schema.json").toString();
  const toml = vscode.workspace.getConfiguration("evenBetterToml");
  const associations = { ...(toml.get("schema.associations") || {}) };
  associations[RULEBOOK_URI_REGEX] = schema;
  const target = vscode.workspace.workspaceFolders
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await toml.update("schema.associations", associations, target);
  vscode.window.showInformationMessage(`verdict: files matching ${RULEBOOK_URI_REGEX} now use ${schema}.`);
}

async function activate(context) {
  context.subscriptions.push(
    vscode.commands.registerCommand("verdict.restartServer", async () => {
      await stop();
      await start(context);
    }),
    vscode.commands.registerCommand("verdict.associateSchema", () => associateSchema(context)),
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration("verdict.path") || event.affectsConfiguration("verdict.files")) {
        await stop();
        await start(context);
      }
    }),
  );
  await start(context);
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate, documentSelector, RULEBOOK_URI_REGEX };
