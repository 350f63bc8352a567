//! `verdict lsp`: the language server for rulebooks, calendars and
//! scenario files, over stdin/stdout (docs/EDITING.md). It logs to stderr
//! only. Each request is answered from the library's public API: the
//! checks of `verdict check` / `verdict eval` for diagnostics, the name
//! index ([`verdict::index`]) for hover, navigation, completion and tokens,
//! the test runner and evaluator for the code lenses.

mod analyze;
mod complete;
mod explain;
mod hover;
mod lens;
mod navigate;
mod position;
mod server;
mod tokens;

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;
use tower_lsp_server::ls_types::Uri;
use verdict::index::RulebookIndex;
use verdict::source::SourceId;

#[derive(clap::Args, Debug)]
pub struct LspArgs {
    /// Speak over standard input and output (the default and only transport;
    /// accepted because editor clients pass it).
    #[arg(long)]
    stdio: bool,
}

/// Runs the server until the client says `exit`; the exit status is 0.
pub fn run(_args: LspArgs) -> u8 {
    let runtime = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("error: cannot start the language server: {e}");
            return crate::cli::BAD_INPUT;
        }
    };
    runtime.block_on(server::serve());
    crate::cli::OK
}

/// One open file: its text as the editor has it, and the last index of its
/// names that could be built (kept while the TOML does not parse).
#[derive(Clone)]
pub struct Open {
    pub text: Arc<str>,
    pub index: Option<Arc<RulebookIndex>>,
}

/// The files open in the editor, by normalized absolute path.
#[derive(Default)]
pub struct Workspace {
    open: HashMap<PathBuf, Open>,
}

/// The source id the index of an open file uses for its spans.
pub const OWN: SourceId = SourceId(0);

impl Workspace {
    /// The editor's text of `path`, when it is open.
    pub fn buffer(&self, path: &Path) -> Option<Arc<str>> {
        self.open.get(&normalize(path)).map(|o| o.text.clone())
    }

    /// The open file at `path`.
    pub fn get(&self, path: &Path) -> Option<&Open> {
        self.open.get(&normalize(path))
    }

    /// The editor's text of `path`, or the file on disk.
    pub fn text(&self, path: &Path) -> Option<Arc<str>> {
        self.buffer(path).or_else(|| std::fs::read_to_string(path).ok().map(Arc::from))
    }

    /// Records a new text for `path` and indexes it if it is a rulebook.
    pub fn update(&mut self, path: &Path, text: String) {
        let key = normalize(path);
        let previous = self.open.get(&key).and_then(|o| o.index.clone());
        let index = match analyze::kind(path, &text) {
            analyze::Kind::Rulebook => RulebookIndex::of_rulebook(OWN, &text).map(Arc::new).or(previous),
            _ => None,
        };
        self.open.insert(key, Open { text: Arc::from(text), index });
    }

    pub fn close(&mut self, path: &Path) {
        self.open.remove(&normalize(path));
    }

    /// The index of the rulebook at `path`: its open buffer's, or built from disk.
    pub fn rulebook_index(&self, path: &Path) -> Option<Arc<RulebookIndex>> {
        if let Some(open) = self.get(path) {
            return open.index.clone();
        }
        let text = std::fs::read_to_string(path).ok()?;
        RulebookIndex::of_rulebook(OWN, &text).map(Arc::new)
    }

    /// Every open file's path.
    pub fn paths(&self) -> Vec<PathBuf> {
        self.open.keys().cloned().collect()
    }
}

/// An open file with what the requests about it need.
pub struct Doc {
    pub path: PathBuf,
    pub text: Arc<str>,
    pub kind: analyze::Kind,
    /// The names of the rulebook (a scenario: of the rulebook it names).
    pub index: Option<Arc<RulebookIndex>>,
    /// The rulebook's path and text, when the index is another file's (a scenario's rulebook).
    pub rulebook: Option<(PathBuf, Arc<str>)>,
}

impl Workspace {
    /// The open file `uri` names, with its kind and index.
    pub fn document(&self, uri: &Uri) -> Option<Doc> {
        let path = path_of(uri)?;
        let open = self.get(&path)?;
        let kind = analyze::kind(&path, &open.text);
        let (index, rulebook) = match &kind {
            analyze::Kind::Scenario { rulebook, .. } => {
                let rb = normalize(rulebook);
                (self.rulebook_index(&rb), self.text(&rb).map(|t| (rb, t)))
            }
            _ => (open.index.clone(), None),
        };
        Some(Doc { path, text: open.text.clone(), kind, index, rulebook })
    }
}

/// The file path of a `file:` URI, normalized.
pub fn path_of(uri: &Uri) -> Option<PathBuf> {
    uri.to_file_path().map(|p| normalize(&p))
}

/// `a/b/../c` → `a/c`, without touching the file system.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in analyze::absolute(path).components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}
