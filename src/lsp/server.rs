//! The protocol side: capabilities, the open files, and each request
//! handed to the module that answers it.

use super::{analyze, complete, hover, lens, navigate, path_of, tokens, Workspace};
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use tower_lsp_server::jsonrpc::Result;
use tower_lsp_server::ls_types::*;
use tower_lsp_server::{Client, LanguageServer, LspService, Server};

/// Serves one client over stdin/stdout until it exits.
pub async fn serve() {
    let (service, socket) = LspService::new(|client| Backend {
        client,
        ws: Mutex::new(Workspace::default()),
        runs: Mutex::new(HashMap::new()),
    });
    Server::new(tokio::io::stdin(), tokio::io::stdout(), socket).serve(service).await;
}

struct Backend {
    client: Client,
    ws: Mutex<Workspace>,
    /// The results of the last "▶ run" per file, shown as Information diagnostics until the file changes.
    runs: Mutex<HashMap<PathBuf, Vec<Diagnostic>>>,
}

impl Backend {
    fn workspace(&self) -> std::sync::MutexGuard<'_, Workspace> {
        self.ws.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Publishes the diagnostics of `path` and of the open scenarios whose
    /// rulebook it is (a change to a rulebook changes theirs), each with
    /// the results of its last run.
    async fn publish(&self, path: &Path) {
        let batches: Vec<(Uri, Vec<Diagnostic>)> = {
            let ws = self.workspace();
            let runs = self.runs.lock().unwrap_or_else(|e| e.into_inner());
            let names_rulebook = |p: &PathBuf| {
                ws.buffer(p).is_some_and(|text| match analyze::kind(p, &text) {
                    analyze::Kind::Scenario { rulebook, .. } => super::normalize(&rulebook) == path,
                    _ => false,
                })
            };
            ws.paths()
                .into_iter()
                .filter(|p| p == path || names_rulebook(p))
                .filter_map(|p| {
                    let text = ws.buffer(&p)?;
                    let mut ds = analyze::diagnostics(&ws, &p, &text);
                    ds.extend(runs.get(&p).cloned().unwrap_or_default());
                    Some((Uri::from_file_path(&p)?, ds))
                })
                .collect()
        };
        for (uri, ds) in batches {
            self.client.publish_diagnostics(uri, ds, None).await;
        }
    }

    /// Records a new text; the file's path, when the URI names a file.
    fn changed(&self, uri: &Uri, text: String) -> Option<PathBuf> {
        let path = path_of(uri)?;
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).remove(&path);
        self.workspace().update(&path, text);
        Some(path)
    }
}

fn capabilities() -> ServerCapabilities {
    ServerCapabilities {
        text_document_sync: Some(TextDocumentSyncCapability::Kind(TextDocumentSyncKind::FULL)),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some([".", " ", "(", "\"", "["].map(String::from).to_vec()),
            ..Default::default()
        }),
        definition_provider: Some(OneOf::Left(true)),
        references_provider: Some(OneOf::Left(true)),
        rename_provider: Some(OneOf::Left(true)),
        document_symbol_provider: Some(OneOf::Left(true)),
        semantic_tokens_provider: Some(SemanticTokensServerCapabilities::SemanticTokensOptions(
            SemanticTokensOptions {
                legend: tokens::legend(),
                full: Some(SemanticTokensFullOptions::Bool(true)),
                range: None,
                ..Default::default()
            },
        )),
        code_lens_provider: Some(CodeLensOptions { resolve_provider: Some(false) }),
        document_formatting_provider: Some(OneOf::Left(true)),
        execute_command_provider: Some(ExecuteCommandOptions {
            commands: [
                lens::RUN_TEST,
                lens::RUN_SCENARIO,
                super::explain::EXPLAIN_TEST,
                super::explain::EXPLAIN_SCENARIO,
            ]
            .map(String::from)
            .to_vec(),
            ..Default::default()
        }),
        ..Default::default()
    }
}

impl LanguageServer for Backend {
    async fn initialize(&self, _: InitializeParams) -> Result<InitializeResult> {
        Ok(InitializeResult {
            capabilities: capabilities(),
            server_info: Some(ServerInfo { name: "verdict".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }),
            ..Default::default()
        })
    }

    async fn initialized(&self, _: InitializedParams) {
        eprintln!("verdict lsp: ready");
    }

    async fn shutdown(&self) -> Result<()> {
        Ok(())
    }

    async fn did_open(&self, p: DidOpenTextDocumentParams) {
        if let Some(path) = self.changed(&p.text_document.uri, p.text_document.text) {
            self.publish(&path).await;
        }
    }

    async fn did_change(&self, p: DidChangeTextDocumentParams) {
        // full sync: the last change holds the whole text
        if let Some(change) = p.content_changes.into_iter().last() {
            if let Some(path) = self.changed(&p.text_document.uri, change.text) {
                self.publish(&path).await;
            }
        }
    }

    async fn did_close(&self, p: DidCloseTextDocumentParams) {
        if let Some(path) = path_of(&p.text_document.uri) {
            self.workspace().close(&path);
            self.runs.lock().unwrap_or_else(|e| e.into_inner()).remove(&path);
        }
        self.client.publish_diagnostics(p.text_document.uri, Vec::new(), None).await;
    }

    async fn hover(&self, p: HoverParams) -> Result<Option<Hover>> {
        let at = p.text_document_position_params;
        Ok(hover::hover(&self.workspace(), &at.text_document.uri, at.position))
    }

    async fn completion(&self, p: CompletionParams) -> Result<Option<CompletionResponse>> {
        let at = p.text_document_position;
        let items = complete::complete(&self.workspace(), &at.text_document.uri, at.position);
        Ok(Some(CompletionResponse::Array(items)))
    }

    async fn goto_definition(&self, p: GotoDefinitionParams) -> Result<Option<GotoDefinitionResponse>> {
        let at = p.text_document_position_params;
        let found = navigate::definition(&self.workspace(), &at.text_document.uri, at.position);
        Ok(found.map(GotoDefinitionResponse::Scalar))
    }

    async fn references(&self, p: ReferenceParams) -> Result<Option<Vec<Location>>> {
        let at = p.text_document_position;
        let include = p.context.include_declaration;
        Ok(navigate::references(&self.workspace(), &at.text_document.uri, at.position, include))
    }

    async fn rename(&self, p: RenameParams) -> Result<Option<WorkspaceEdit>> {
        let at = p.text_document_position;
        navigate::rename(&self.workspace(), &at.text_document.uri, at.position, &p.new_name)
            .map_err(tower_lsp_server::jsonrpc::Error::invalid_params)
    }

    async fn document_symbol(&self, p: DocumentSymbolParams) -> Result<Option<DocumentSymbolResponse>> {
        Ok(tokens::symbols(&self.workspace(), &p.text_document.uri).map(DocumentSymbolResponse::Nested))
    }

    async fn semantic_tokens_full(&self, p: SemanticTokensParams) -> Result<Option<SemanticTokensResult>> {
        Ok(tokens::semantic(&self.workspace(), &p.text_document.uri).map(SemanticTokensResult::Tokens))
    }

    async fn formatting(&self, p: DocumentFormattingParams) -> Result<Option<Vec<TextEdit>>> {
        let Some(path) = path_of(&p.text_document.uri) else { return Ok(None) };
        let Some(text) = self.workspace().text(&path) else { return Ok(None) };
        Ok(format_edit(&path, &text))
    }

    async fn code_lens(&self, p: CodeLensParams) -> Result<Option<Vec<CodeLens>>> {
        Ok(Some(lens::lenses(&self.workspace(), &p.text_document.uri)))
    }

    async fn execute_command(&self, p: ExecuteCommandParams) -> Result<Option<LSPAny>> {
        let outcome = lens::execute(&self.workspace(), &p.command, &p.arguments)
            .map_err(tower_lsp_server::jsonrpc::Error::invalid_params)?;
        if let Some(file) = &outcome.show {
            // explain: open the explanation; the file's diagnostics stay as they are
            if let Ok(uri) = Uri::from_file_path(file).ok_or(()) {
                let show = ShowDocumentParams { uri, external: None, take_focus: Some(true), selection: None };
                let _ = self.client.show_document(show).await;
            }
            return Ok(Some(outcome.result));
        }
        self.runs.lock().unwrap_or_else(|e| e.into_inner()).insert(outcome.path.clone(), outcome.diagnostics.clone());
        self.publish(&outcome.path).await;
        Ok(Some(outcome.result))
    }
}

/// `verdict fmt` of an open file as one edit over the whole text: none when
/// it is already formatted, and none when it does not parse (its
/// diagnostics are already shown; nothing is changed).
fn format_edit(path: &Path, text: &str) -> Option<Vec<TextEdit>> {
    let mut sources = verdict::SourceMap::new();
    let formatted = verdict::format::format_file(&mut sources, &path.display().to_string(), text).ok()?;
    if formatted == text {
        return Some(Vec::new());
    }
    let lines = super::position::Lines::new(text);
    Some(vec![TextEdit { range: lines.range(0, text.len()), new_text: formatted }])
}
