//! The package's exceptions: a rulebook that does not load or check
//! (`RulebookError`) and a scenario, option or batch that does not fit the
//! rulebook (`ScenarioError`). Each message carries, per problem, its place
//! (file:line:column, and the field path when known), the text there and the
//! hint; `.diagnostics` holds the same as dicts.

use pyo3::create_exception;
use pyo3::exceptions::PyValueError;
use pyo3::prelude::*;
use pyo3::types::PyDict;
use verdict::input::Node;
use verdict::{Diagnostic, SourceMap};

create_exception!(verdict, VerdictError, PyValueError, "Base class of verdict's errors (a ValueError).");
create_exception!(
    verdict,
    RulebookError,
    VerdictError,
    "A rulebook that cannot be read or does not check; the message has file:line:column and a hint per problem."
);
create_exception!(
    verdict,
    ScenarioError,
    VerdictError,
    "A scenario, option or batch that does not fit the rulebook; the message has the place and a hint per problem."
);

/// Longest snippet of offending text quoted in a message.
const MAX_SNIPPET: usize = 80;

/// One problem as one message paragraph: `place: message`, the text there,
/// and the hint. `field` is the path of the field it is in, when known.
pub fn render(d: &Diagnostic, sources: &SourceMap, field: Option<&str>) -> String {
    let data = d.data(sources);
    let mut place = format!("{}:{}:{}", data.file, data.line, data.column);
    if let Some(f) = field {
        place.push_str(&format!(" (field `{f}`)"));
    }
    let mut out = format!("{place}: {}", data.message);
    let text = data.text.lines().next().unwrap_or("").trim();
    if !text.is_empty() {
        let cut: String = text.chars().take(MAX_SNIPPET).collect();
        let more = if cut.len() < text.len() { " …" } else { "" };
        out.push_str(&format!("\n  | {cut}{more}"));
    }
    if let Some(h) = &data.help {
        out.push_str(&format!("\n  hint: {h}"));
    }
    out
}

/// The exception for `ds`, each located in `sources` (and by field path in
/// `root`, the scenario tree, when given), with `.diagnostics` set.
pub fn raise(py: Python<'_>, kind: Kind, ds: &[Diagnostic], sources: &SourceMap, root: Option<&Node>) -> PyErr {
    let mut parts = Vec::new();
    let list = pyo3::types::PyList::empty(py);
    for d in ds {
        let field = root.and_then(|r| r.path_at(d.span()));
        parts.push(render(d, sources, field.as_deref()));
        let data = d.data(sources);
        let dict = PyDict::new(py);
        let _ = dict.set_item("code", data.code);
        let _ = dict.set_item("message", &data.message);
        let _ = dict.set_item("file", &data.file);
        let _ = dict.set_item("line", data.line);
        let _ = dict.set_item("column", data.column);
        let _ = dict.set_item("field", field);
        let _ = dict.set_item("text", &data.text);
        let _ = dict.set_item("help", &data.help);
        let _ = list.append(dict);
    }
    let message = parts.join("\n");
    let err = match kind {
        Kind::Rulebook => RulebookError::new_err(message),
        Kind::Scenario => ScenarioError::new_err(message),
    };
    let _ = err.value(py).setattr("diagnostics", list);
    err
}

/// Which exception.
#[derive(Clone, Copy)]
pub enum Kind {
    /// `RulebookError`.
    Rulebook,
    /// `ScenarioError`.
    Scenario,
}

/// The one-line form used in a batch's `error` column: each problem as
/// `field: message (hint)` (or `line L, column C` without a field), joined by `; `.
pub fn one_line(ds: &[Diagnostic], sources: &SourceMap, root: Option<&Node>) -> String {
    ds.iter()
        .map(|d| {
            let data = d.data(sources);
            let place = match root.and_then(|r| r.path_at(d.span())) {
                Some(f) => format!("field `{f}`"),
                None => format!("{}:{}:{}", data.file, data.line, data.column),
            };
            let help = data.help.map(|h| format!(" ({h})")).unwrap_or_default();
            format!("{place}: {}{help}", data.message)
        })
        .collect::<Vec<_>>()
        .join("; ")
}
