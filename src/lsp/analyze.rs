//! What an open file is (rulebook, calendar, scenario) and its diagnostics:
//! exactly those of `verdict check` (a scenario: those of `verdict eval`
//! against its rulebook), read from the editor's buffers where a file is open.

use super::position::Lines;
use super::Workspace;
use std::path::{Path, PathBuf};
use tower_lsp_server::ls_types::{self as lsp, DiagnosticRelatedInformation, DiagnosticSeverity, Location, Uri};
use verdict::diagnostic::Diagnostic;
use verdict::load::parse_data;
use verdict::testing::check_tests;
use verdict::time::Calendar;
use verdict::{Diagnostics, Rulebook, ScenarioInput, SourceMap};

/// The comment that names a scenario's rulebook, on its first line.
pub const RULEBOOK_COMMENT: &str = "# rulebook:";

/// What kind of file a text is.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    Rulebook,
    Calendar,
    /// A scenario, with the rulebook its first line names (absolute) and
    /// where that path is written (byte range).
    Scenario {
        rulebook: PathBuf,
        at: (usize, usize),
    },
}

/// A scenario names its rulebook on its first line; a calendar has a
/// `[calendar]` table and no `[rulebook]`; anything else is a rulebook.
pub fn kind(path: &Path, text: &str) -> Kind {
    let first = text.lines().next().unwrap_or("");
    if let Some(rest) = first.strip_prefix(RULEBOOK_COMMENT) {
        let rel = rest.trim();
        let start = RULEBOOK_COMMENT.len() + (rest.len() - rest.trim_start().len());
        let dir = path.parent().unwrap_or(Path::new("."));
        return Kind::Scenario { rulebook: dir.join(rel), at: (start, start + rel.len()) };
    }
    let header = |name: &str| text.lines().any(|l| l.trim_start().starts_with(&format!("[{name}]")));
    if header("calendar") && !header("rulebook") {
        Kind::Calendar
    } else {
        Kind::Rulebook
    }
}

/// Loads a rulebook from the editor's buffer when it is open, else from disk.
pub fn load_rulebook(ws: &Workspace, sources: &mut SourceMap, path: &Path) -> Result<Rulebook, Diagnostics> {
    match ws.buffer(path) {
        Some(text) => Rulebook::from_str(sources, &path.display().to_string(), &text),
        None => Rulebook::load(sources, path),
    }
}

/// The diagnostics of one file whose text is `text`.
pub fn diagnostics(ws: &Workspace, path: &Path, text: &str) -> Vec<lsp::Diagnostic> {
    let name = path.display().to_string();
    let mut sources = SourceMap::new();
    let problems: Vec<Diagnostic> = match kind(path, text) {
        Kind::Rulebook => match Rulebook::from_str(&mut sources, &name, text) {
            Err(ds) => ds.0,
            // as `verdict check`: the tests' problems, else the lints (warnings)
            Ok(rb) => {
                let problems = check_tests(&rb, &mut sources);
                if problems.is_empty() {
                    rb.lints(&sources)
                } else {
                    problems
                }
            }
        },
        Kind::Calendar => {
            let id = sources.add(name.clone(), text);
            match parse_data(&sources, id).and_then(|root| Calendar::from_node(&root)) {
                Ok(_) => Vec::new(),
                Err(ds) => ds.0,
            }
        }
        Kind::Scenario { rulebook, at } => return scenario(ws, path, text, &rulebook, at),
    };
    let lines = Lines::new(text);
    problems
        .iter()
        .map(|d| {
            let fallback = naming_line(text, &sources.get(d.span().src).name).unwrap_or((0, 0));
            convert(d, &sources, &name, &lines, lines.range(fallback.0, fallback.1))
        })
        .collect()
}

/// Where a rulebook names another file (`calendar = "../calendars/nl.toml"`,
/// a test's `scenario`): the first string that ends with that file's name.
fn naming_line(text: &str, other: &str) -> Option<(usize, usize)> {
    let file = Path::new(other).file_name()?.to_str()?;
    let needle = format!("{file}\"");
    let end = text.find(&needle)? + file.len();
    let start = text[..end].rfind('"').map_or(end - file.len(), |i| i + 1);
    Some((start, end))
}

/// A scenario read and evaluated against its rulebook, as `verdict eval` does.
fn scenario(ws: &Workspace, path: &Path, text: &str, rulebook: &Path, at: (usize, usize)) -> Vec<lsp::Diagnostic> {
    let name = path.display().to_string();
    let lines = Lines::new(text);
    let comment = lines.range(at.0, at.1);
    let mut sources = SourceMap::new();
    let rb = match load_rulebook(ws, &mut sources, rulebook) {
        Ok(rb) => rb,
        Err(ds) => {
            let mut out: Vec<lsp::Diagnostic> =
                ds.0.iter().map(|d| convert(d, &sources, &name, &lines, comment)).collect();
            if let Some(first) = out.first_mut() {
                first.message = format!("the rulebook `{}` does not load: {}", rulebook.display(), first.message);
            }
            return out;
        }
    };
    let problems = match rb.scenario(&mut sources, ScenarioInput::Text { name: &name, text }) {
        Err(ds) => ds.0,
        Ok(s) => match s.evaluate(&s.version.default_options(), false) {
            Ok(_) => Vec::new(),
            Err(e) => vec![*e],
        },
    };
    problems.iter().map(|d| convert(d, &sources, &name, &lines, comment)).collect()
}

/// A library diagnostic as the protocol's: its main place when it is in
/// this file (else `fallback`, the message saying where), the other
/// places as related information, the help after the message.
pub fn convert(d: &Diagnostic, sources: &SourceMap, own: &str, lines: &Lines, fallback: lsp::Range) -> lsp::Diagnostic {
    let main = d.span();
    let in_own = sources.get(main.src).name == own;
    let range = if in_own { lines.range(main.start as usize, main.end as usize) } else { fallback };
    let mut message = if in_own { d.message.clone() } else { format!("{}: {}", sources.location(main), d.message) };
    let label = &d.labels[0].message;
    if !label.is_empty() {
        message.push_str(&format!(" ({label})"));
    }
    if let Some(help) = &d.help {
        message.push_str(&format!("\nhelp: {help}"));
    }
    let skip = usize::from(in_own);
    let related: Vec<DiagnosticRelatedInformation> = d.labels[skip..]
        .iter()
        .filter_map(|l| {
            let file = sources.get(l.span.src);
            let uri = Uri::from_file_path(absolute(Path::new(&file.name)))?;
            let there = Lines::new(&file.text);
            let text = if l.message.is_empty() { d.message.clone() } else { l.message.clone() };
            let location = Location { uri, range: there.range(l.span.start as usize, l.span.end as usize) };
            Some(DiagnosticRelatedInformation { location, message: text })
        })
        .collect();
    lsp::Diagnostic {
        range,
        severity: Some(match d.severity {
            verdict::diagnostic::Severity::Error => DiagnosticSeverity::ERROR,
            verdict::diagnostic::Severity::Warning => DiagnosticSeverity::WARNING,
        }),
        code: Some(lsp::NumberOrString::String(d.code.to_string())),
        source: Some("verdict".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// `path` made absolute against the working directory.
pub fn absolute(path: &Path) -> PathBuf {
    if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir().map(|d| d.join(path)).unwrap_or_else(|_| path.to_path_buf())
    }
}
