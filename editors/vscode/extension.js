// The verdict rulebooks extension: starts `verdict lsp` for the TOML files that are
// rulebooks, calendars or scenarios, and restarts it when its settings change.
// Highlighting of the rule-language strings is the injection grammar in syntaxes/;
// schema validation of the TOML structure is Even Better TOML's (see package.json).
"use strict";

const vscode = require("vscode");
const { LanguageClient, TransportKind } = require("vscode-languageclient/node");

/** @type {LanguageClient | undefined} */
let client;

/**
 * The schema associations of the manifest's `tomlValidation`: a regular expression of the
 * document URI (Rust regex syntax, no look-around: taplo reads it) and the bundled schema.
 */
const SCHEMA_ASSOCIATIONS = require("./package.json").contributes.tomlValidation.map((v) => ({
  regex: v.regexMatch,
  file: v.url.replace(/^\.\//, ""),
}));

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

/**
 * Writes the setting that makes Even Better TOML validate rulebooks and calendars with the
 * bundled schemas, by absolute URI (it does not resolve a relative `tomlValidation` url).
 */
async function associateSchema(context) {
  const toml = vscode.workspace.getConfiguration("evenBetterToml");
  const associations = { ...(toml.get("schema.associations") || {}) };
  for (const { regex, file } of SCHEMA_ASSOCIATIONS) {
    associations[regex] = vscode.Uri.joinPath(context.extensionUri, ...file.split("/")).toString();
  }
  const target = vscode.workspace.workspaceFolders
    ? vscode.ConfigurationTarget.Workspace
    : vscode.ConfigurationTarget.Global;
  await toml.update("schema.associations", associations, target);
  vscode.window.showInformationMessage("verdict: Even Better TOML now validates rulebooks and calendars with their schemas.");
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

module.exports = { activate, deactivate, documentSelector, SCHEMA_ASSOCIATIONS };
