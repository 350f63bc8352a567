//! Diagnostics as data: what went wrong, where, and what to do about it.
//! The library returns these; the binary renders them.

pub mod codes;

use crate::source::{SourceMap, Span};

/// A labelled place in a source file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Label {
    /// Where.
    pub span: Span,
    /// What is said there (may be empty for the main place).
    pub message: String,
}

/// How bad a problem is.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// The rulebook (or scenario, or request) cannot be used as it is.
    #[default]
    Error,
    /// It still means something, probably not what its author meant (a
    /// lint); `verdict check --deny-warnings` treats it as an error.
    Warning,
}

impl Severity {
    /// Whether this is [`Severity::Error`].
    pub fn is_error(&self) -> bool {
        *self == Severity::Error
    }
}

/// A [`Diagnostic`] as plain, serializable data ([`Diagnostic::data`]).
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct DiagnosticData {
    /// Stable code, e.g. `facts::unknown`.
    pub code: &'static str,
    /// What is wrong.
    pub message: String,
    /// The name of the file (or request part) the problem is in.
    pub file: String,
    /// Line of the main place, from 1.
    pub line: usize,
    /// Column of the main place, in characters, from 1.
    pub column: usize,
    /// The path of the field the main place is in (`scenario.contract.kind`), when known.
    pub field: Option<String>,
    /// The text at the main place.
    pub text: String,
    /// What the main place is labelled with, if anything.
    pub label: Option<String>,
    /// What to do about it.
    pub help: Option<String>,
    /// `warning` for a lint; left out for an error.
    #[serde(skip_serializing_if = "Severity::is_error")]
    pub severity: Severity,
}

/// One problem found in a rulebook, calendar, scenario or command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Diagnostic {
    /// Stable code, e.g. `check::unknown-name`.
    pub code: &'static str,
    /// Lower-case message saying what is wrong.
    pub message: String,
    /// The main place, then others (the second rule of a conflict, …).
    pub labels: Vec<Label>,
    /// What to do about it.
    pub help: Option<String>,
    /// An error, or a warning (a lint).
    pub severity: Severity,
}

impl Diagnostic {
    /// A problem `code` with `message`, at `span`.
    pub fn new(code: &'static str, message: impl Into<String>, span: Span) -> Diagnostic {
        let labels = vec![Label { span, message: String::new() }];
        Diagnostic { code, message: message.into(), labels, help: None, severity: Severity::Error }
    }

    /// Makes it a warning: the rulebook still means something, probably not what was meant.
    pub fn warning(mut self) -> Diagnostic {
        self.severity = Severity::Warning;
        self
    }

    /// Sets the label text of the main place.
    pub fn label(mut self, text: impl Into<String>) -> Diagnostic {
        if let Some(first) = self.labels.first_mut() {
            first.message = text.into();
        }
        self
    }

    /// Adds another labelled place.
    pub fn also(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.labels.push(Label { span, message: text.into() });
        self
    }

    /// Sets what to do about it.
    pub fn help(mut self, text: impl Into<String>) -> Diagnostic {
        self.help = Some(text.into());
        self
    }

    /// The main place.
    pub fn span(&self) -> Span {
        self.labels[0].span
    }

    /// The diagnostic as plain data, located by line and column (in
    /// characters, from 1) in its file, with the text it points at: what a
    /// service sends to its clients. `field` is left `None`; a caller that
    /// knows the tree the span is in sets it (see `input::Node::path_at`).
    ///
    /// ```
    /// use verdict::{Diagnostic, SourceMap};
    /// use verdict::source::Span;
    /// let mut sources = SourceMap::new();
    /// let id = sources.add("body", "{\n  \"kind\": \"good\"}");
    /// let d = Diagnostic::new("facts::enum", "`good` is not an allowed value", Span::new(id, 12, 18))
    ///     .label("not allowed")
    ///     .help("did you mean `goods`?");
    /// let data = d.data(&sources);
    /// assert_eq!((data.line, data.column, data.text.as_str()), (2, 11, "\"good\""));
    /// assert_eq!(data.label.as_deref(), Some("not allowed"));
    /// ```
    pub fn data(&self, sources: &SourceMap) -> DiagnosticData {
        let span = self.span();
        let (line, column) = sources.line_col(span.src, span.start as usize);
        let label = &self.labels[0].message;
        DiagnosticData {
            code: self.code,
            message: self.message.clone(),
            file: sources.get(span.src).name.clone(),
            line,
            column,
            field: None,
            text: sources.snippet(span).to_string(),
            label: (!label.is_empty()).then(|| label.clone()),
            help: self.help.clone(),
            severity: self.severity,
        }
    }

    /// One line, `file:line:col: message`, for logs and JSON.
    pub fn one_line(&self, sources: &SourceMap) -> String {
        format!("{}: {}", sources.location(self.span()), self.message)
    }
}

/// Several diagnostics, all found in one pass.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Diagnostics(pub Vec<Diagnostic>);

impl Diagnostics {
    /// Adds one.
    pub fn push(&mut self, d: Diagnostic) {
        self.0.push(d);
    }
    /// Whether nothing was reported.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    /// Adds all of `other`.
    pub fn extend(&mut self, other: Diagnostics) {
        self.0.extend(other.0);
    }
    /// `Ok(value)` when nothing was reported.
    pub fn finish<T>(self, value: T) -> Result<T, Diagnostics> {
        if self.0.is_empty() {
            Ok(value)
        } else {
            Err(self)
        }
    }
}

impl From<Diagnostic> for Diagnostics {
    fn from(d: Diagnostic) -> Diagnostics {
        Diagnostics(vec![d])
    }
}

/// "did you mean" for a misspelt name: the closest candidate, if close enough.
pub fn did_you_mean<'a>(wrong: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let limit = (wrong.chars().count() / 3).max(1) + usize::from(wrong.len() > 8);
    candidates
        .into_iter()
        .map(|c| (edit_distance(wrong, c), c))
        .filter(|(d, _)| *d <= limit)
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

/// A help text: "did you mean `x`?" or a list of what is allowed.
pub fn suggest(wrong: &str, candidates: &[&str], what: &str) -> String {
    match did_you_mean(wrong, candidates.iter().copied()) {
        Some(c) => format!("did you mean `{c}`?"),
        None if candidates.is_empty() => format!("no {what} is declared here"),
        None if candidates.len() <= 16 => format!("{what}s allowed here: {}", candidates.join(", ")),
        None => format!("there are {} {what}s; check the spelling", candidates.len()),
    }
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_names_only() {
        let names = ["contract.kind", "contract.channel", "items"];
        assert_eq!(did_you_mean("contract.knid", names), Some("contract.kind"));
        assert_eq!(did_you_mean("refund", names), None);
        assert_eq!(suggest("itms", &names, "name"), "did you mean `items`?");
    }
}
