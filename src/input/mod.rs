//! A spanned data tree read from TOML or JSON, and typed accessors that report
//! located errors. Rulebooks, calendars and scenarios are all read through it.

mod json;
mod toml;

pub use json::parse_json;
pub(crate) use json::MAX_DEPTH;
pub use toml::parse_toml;

use crate::diagnostic::{suggest, Diagnostic, Diagnostics};
use crate::source::Span;
use chrono::NaiveDate;

/// A value with the place it was written.
#[derive(Clone, Debug)]
pub struct Node {
    /// What was written.
    pub kind: NodeKind,
    /// Where it was written.
    pub span: Span,
}

/// The kinds of value TOML and JSON give.
#[derive(Clone, Debug)]
pub enum NodeKind {
    /// A string, decoded.
    Str(String),
    /// An integer (of any TOML radix, `_` separators dropped).
    Int(i64),
    /// A float, kept as written so it can be read as an exact decimal.
    Float(String),
    /// `true` or `false`.
    Bool(bool),
    /// A TOML local date (a date in a string stays a `Str`; [`Node::as_date`] reads both).
    Date(NaiveDate),
    /// A TOML date-time or time: never valid here, kept to say so.
    OtherDateTime(String),
    /// A list.
    Array(Vec<Node>),
    /// A table (a JSON object).
    Table(Table),
}

/// Key/value pairs in source order.
#[derive(Clone, Debug, Default)]
pub struct Table {
    /// Every key with its value, in source order.
    pub entries: Vec<(Key, Node)>,
}

/// A table key and where it was written.
#[derive(Clone, Debug)]
pub struct Key {
    /// The key, unquoted.
    pub name: String,
    /// Where the key was written.
    pub span: Span,
}

impl Node {
    /// The path of the deepest key or list element whose key or value holds
    /// the place `span` starts at: `contract.kind`, `items[1].name`; `None`
    /// when the place is in no field (the outer braces, another file). A
    /// service uses it to name the field of a request a diagnostic is in.
    ///
    /// ```
    /// use verdict::input::parse_json;
    /// use verdict::source::{SourceId, Span};
    /// let text = r#"{"contract": {"kind": "good"}, "items": [{"name": "a"}, {"name": 3}]}"#;
    /// let root = parse_json(SourceId(0), text).unwrap();
    /// let at = |needle: &str| Span::new(SourceId(0), text.find(needle).unwrap(), text.find(needle).unwrap() + 1);
    /// assert_eq!(root.path_at(at("\"good")).as_deref(), Some("contract.kind"));
    /// assert_eq!(root.path_at(at("3}")).as_deref(), Some("items[1].name"));
    /// assert_eq!(root.path_at(Span::new(SourceId(0), 0, 1)), None);
    /// ```
    pub fn path_at(&self, span: Span) -> Option<String> {
        let holds = |s: Span| s.src == span.src && s.start <= span.start && (span.start < s.end || s.start == s.end);
        let mut path = String::new();
        let mut node = self;
        'down: loop {
            match &node.kind {
                NodeKind::Table(t) => {
                    for (k, v) in &t.entries {
                        if holds(k.span) || holds(v.span) {
                            if !path.is_empty() {
                                path.push('.');
                            }
                            path.push_str(&k.name);
                            node = v;
                            continue 'down;
                        }
                    }
                }
                NodeKind::Array(items) => {
                    if let Some((i, v)) = items.iter().enumerate().find(|(_, v)| holds(v.span)) {
                        path.push_str(&format!("[{i}]"));
                        node = v;
                        continue 'down;
                    }
                }
                _ => {}
            }
            break;
        }
        (!path.is_empty()).then_some(path)
    }

    /// What kind of value this is, for messages.
    pub fn kind_name(&self) -> &'static str {
        match self.kind {
            NodeKind::Str(_) => "a string",
            NodeKind::Int(_) => "an integer",
            NodeKind::Float(_) => "a decimal number",
            NodeKind::Bool(_) => "a boolean",
            NodeKind::Date(_) => "a date",
            NodeKind::OtherDateTime(_) => "a date-time",
            NodeKind::Array(_) => "a list",
            NodeKind::Table(_) => "a table",
        }
    }

    fn expected(&self, what: &str, hint: &str) -> Diagnostic {
        Diagnostic::new("input::wrong-type", format!("expected {what}, found {}", self.kind_name()), self.span)
            .label(format!("this should be {what}"))
            .help(hint.to_string())
    }

    /// The string, or an error that a string was expected here.
    pub fn as_str(&self) -> Result<&str, Diagnostic> {
        match &self.kind {
            NodeKind::Str(s) => Ok(s),
            _ => Err(self.expected("a string", &self.quoted_hint())),
        }
    }

    /// "write it in quotes" with the value as it would be quoted, for a
    /// number, truth value or date given where text is expected.
    fn quoted_hint(&self) -> String {
        let as_text = match &self.kind {
            NodeKind::Int(i) => i.to_string(),
            NodeKind::Float(f) => f.clone(),
            NodeKind::Bool(b) => b.to_string(),
            NodeKind::Date(d) => d.format("%Y-%m-%d").to_string(),
            NodeKind::Array(a) => {
                return match a.as_slice() {
                    [Node { kind: NodeKind::Str(s), .. }] => {
                        format!("this field takes one text, not a list: write \"{s}\" without the brackets")
                    }
                    _ => "this field takes one text, not a list: write it in quotes without brackets (several citations are joined with `;` in one text)".to_string(),
                }
            }
            _ => return "write text in quotes".to_string(),
        };
        format!("write it in quotes, as text: \"{as_text}\"")
    }

    /// The boolean, or an error that `true` or `false` was expected here.
    pub fn as_bool(&self) -> Result<bool, Diagnostic> {
        match self.kind {
            NodeKind::Bool(b) => Ok(b),
            _ => Err(self.expected("true or false", "write `true` or `false` without quotes")),
        }
    }

    /// The integer, or an error that a whole number was expected here.
    pub fn as_int(&self) -> Result<i64, Diagnostic> {
        match self.kind {
            NodeKind::Int(i) => Ok(i),
            _ => Err(self.expected("a whole number", "write a whole number without quotes, e.g. `14`")),
        }
    }

    /// The date, from a TOML date or a strict `YYYY-MM-DD` string, or an error here.
    pub fn as_date(&self) -> Result<NaiveDate, Diagnostic> {
        match &self.kind {
            NodeKind::Date(d) => Ok(*d),
            NodeKind::Str(s) => parse_date(s).ok_or_else(|| {
                Diagnostic::new("input::bad-date", format!("`{s}` is not a valid date"), self.span)
                    .label("not a calendar date")
                    .help("write a date as YYYY-MM-DD, e.g. 2026-03-02, and check the day exists in that month")
            }),
            NodeKind::OtherDateTime(s) => Err(Diagnostic::new(
                "input::bad-date",
                format!("`{s}` has a time or time zone; a date is expected"),
                self.span,
            )
            .label("only the day is used")
            .help("write just the day, e.g. 2026-03-02")),
            _ => Err(self.expected("a date", "write a date as YYYY-MM-DD, e.g. 2026-03-02")),
        }
    }

    /// The elements, or an error that a list was expected here.
    pub fn as_array(&self) -> Result<&[Node], Diagnostic> {
        match &self.kind {
            NodeKind::Array(a) => Ok(a),
            _ => Err(self.expected("a list", "write a list in brackets, e.g. [\"a\", \"b\"]")),
        }
    }

    /// The table, or an error that a table was expected here.
    pub fn as_table(&self) -> Result<&Table, Diagnostic> {
        match &self.kind {
            NodeKind::Table(t) => Ok(t),
            _ => Err(self.expected("a table", "write a table, e.g. `[section]` or `{ key = value }`")),
        }
    }

    /// Lays `other` over this tree: tables merge key by key, anything else is replaced.
    pub fn overlay(&mut self, other: &Node) {
        match (&mut self.kind, &other.kind) {
            (NodeKind::Table(mine), NodeKind::Table(theirs)) => {
                for (k, v) in &theirs.entries {
                    match mine.entries.iter_mut().find(|(mk, _)| mk.name == k.name) {
                        Some((_, existing)) => existing.overlay(v),
                        None => mine.entries.push((k.clone(), v.clone())),
                    }
                }
            }
            _ => *self = other.clone(),
        }
    }

    /// A string, or a list of strings, as a list.
    pub fn as_str_list(&self) -> Result<Vec<(&str, Span)>, Diagnostic> {
        match &self.kind {
            NodeKind::Str(s) => Ok(vec![(s.as_str(), self.span)]),
            NodeKind::Array(items) => items.iter().map(|n| Ok((n.as_str()?, n.span))).collect(),
            _ => Err(self.expected("a string or a list of strings", "e.g. \"a\" or [\"a\", \"b\"]")),
        }
    }
}

/// Parses `YYYY-MM-DD` strictly.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        let part = &s[r];
        part.bytes().all(|c| c.is_ascii_digit()).then(|| part.parse().ok())?
    };
    NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?)
}

impl Table {
    /// The value of `key`, if the table has it.
    pub fn get(&self, key: &str) -> Option<&Node> {
        self.entries.iter().find(|(k, _)| k.name == key).map(|(_, v)| v)
    }

    /// The key `key` as written (for its span), if the table has it.
    pub fn key(&self, key: &str) -> Option<&Key> {
        self.entries.iter().find(|(k, _)| k.name == key).map(|(k, _)| k)
    }
}

/// Reads the fields of one table, reporting unknown keys with did-you-mean.
pub struct Fields<'a> {
    table: &'a Table,
    span: Span,
    allowed: &'static [&'static str],
    what: &'static str,
}

impl<'a> Fields<'a> {
    /// `what` names the table in messages (e.g. "a rule").
    pub fn new(node: &'a Node, what: &'static str, allowed: &'static [&'static str]) -> Result<Fields<'a>, Diagnostic> {
        Ok(Fields { table: node.as_table()?, span: node.span, allowed, what })
    }

    /// Where the table was written.
    pub fn span(&self) -> Span {
        self.span
    }

    /// The value of `key` (one of the allowed keys), if given.
    pub fn opt(&self, key: &str) -> Option<&'a Node> {
        debug_assert!(self.allowed.contains(&key), "{key} not in allowed list");
        self.table.get(key)
    }

    /// The value of `key`, or an error at the table's start that it is missing.
    pub fn req(&self, key: &str) -> Result<&'a Node, Diagnostic> {
        self.opt(key).ok_or_else(|| {
            // point at where the table starts, not the whole table
            let at = Span { end: self.span.start, ..self.span };
            Diagnostic::new("input::missing-key", format!("{} needs `{key}`", self.what), at)
                .label(format!("`{key}` is missing here"))
                .help(format!("add `{key} = …` to this table"))
        })
    }

    /// The string value of `key`, with where it was written, if given; an error if it is not a string.
    pub fn opt_str(&self, key: &str) -> Result<Option<(&'a str, Span)>, Diagnostic> {
        self.opt(key).map(|n| Ok((n.as_str()?, n.span))).transpose()
    }

    /// The string value of `key`, with where it was written; an error if it is missing or not a string.
    pub fn req_str(&self, key: &str) -> Result<(&'a str, Span), Diagnostic> {
        let n = self.req(key)?;
        Ok((n.as_str()?, n.span))
    }

    /// Every key that is not allowed, as diagnostics.
    pub fn unknown_keys(&self) -> Diagnostics {
        let mut out = Diagnostics::default();
        for (k, _) in &self.table.entries {
            if !self.allowed.contains(&k.name.as_str()) {
                out.push(
                    Diagnostic::new("input::unknown-key", format!("unknown key `{}` in {}", k.name, self.what), k.span)
                        .label("not a known key")
                        .help(suggest(&k.name, self.allowed, "key")),
                );
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_strict() {
        assert_eq!(parse_date("2026-03-02"), NaiveDate::from_ymd_opt(2026, 3, 2));
        assert_eq!(parse_date("2026-02-30"), None);
        assert_eq!(parse_date("2026-3-02"), None);
        assert_eq!(parse_date("+026-03-02"), None);
    }

    #[test]
    fn a_number_for_text_is_shown_quoted() {
        let node = parse_toml(crate::source::SourceId(0), "version = 2026.1\n").unwrap();
        let e = node.as_table().unwrap().get("version").unwrap().as_str().unwrap_err();
        assert_eq!(e.help.as_deref(), Some("write it in quotes, as text: \"2026.1\""));
    }
}
