//! `verdict fmt`: the canonical layout of rulebook, calendar and scenario
//! files.
//!
//! The TOML is edited in place with `toml_edit`, so every comment, every key
//! and the order of tables stay as written; only blank lines and trailing
//! spaces around them are made regular (one blank line before a table, none
//! doubled, one newline at the end). In a rulebook the rule-language strings
//! (`when`, `value`, `require`, the `type` of a declaration and a letter's `when`) get the
//! canonical spacing of [`expr::layout`]: expressions in TOML literal strings
//! (`'…'`, or `'''…'''` over several lines), types in `"…"`.
//!
//! Formatting never changes meaning: each string is parsed before and after
//! and the two trees must be equal, or the string is left as it was. A file
//! that does not parse is an error with the located diagnostics of
//! `verdict check`, and nothing is returned to write.
//!
//! ```
//! let mut sources = verdict::SourceMap::new();
//! let text = "[rulebook]\nid = \"x\"\n\n\n\n[[rules]]\nid = \"r\"\nwhen = \"a   and(b)\"   # why\n";
//! let out = verdict::format::format_rulebook(&mut sources, "x.toml", text).unwrap();
//! assert_eq!(out, "[rulebook]\nid = \"x\"\n\n[[rules]]\nid = \"r\"\nwhen = 'a and (b)'   # why\n");
//! ```

pub mod expr;
mod layout;

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{parse_toml, Node, NodeKind};
use crate::source::{SourceId, SourceMap, Span};
use crate::syntax::{parse_expr, parse_type, StringMap};

/// Formats a rulebook file: its TOML layout and its rule-language strings.
/// `name` is how diagnostics name the file. A file that does not parse (TOML,
/// an expression or a type) gives every such diagnostic, located in the file.
pub fn format_rulebook(sources: &mut SourceMap, name: &str, text: &str) -> Result<String, Diagnostics> {
    format_toml(sources, name, text, true)
}

/// Formats any verdict file: a rulebook (a file with a `[rulebook]` table) as
/// [`format_rulebook`] does, a calendar or a scenario by its TOML layout only.
pub fn format_file(sources: &mut SourceMap, name: &str, text: &str) -> Result<String, Diagnostics> {
    format_toml(sources, name, text, false)
}

fn format_toml(sources: &mut SourceMap, name: &str, text: &str, rulebook: bool) -> Result<String, Diagnostics> {
    let src = sources.add(name, text);
    let root = parse_toml(src, text)?;
    let mut doc: toml_edit::DocumentMut = text.parse().map_err(|e: toml_edit::TomlError| {
        let range = e.span().unwrap_or(0..0);
        Diagnostic::new("input::toml", format!("invalid TOML: {}", e.message()), Span::new(src, range.start, range.end))
            .label("here")
            .help("fix the TOML syntax; strings need quotes, tables are written [name], lists [a, b]")
    })?;
    let is_rulebook = rulebook || root.as_table().is_ok_and(|t| t.get("rulebook").is_some());
    if is_rulebook {
        let mut strings = Vec::new();
        rule_strings(&root, &mut strings);
        let mut errors = Diagnostics::default();
        let mut edits = Vec::new();
        for s in strings {
            match reformat(src, text, &s) {
                Ok(Some(content)) => edits.push((s.path, s.kind, content)),
                Ok(None) => {}
                Err(e) => errors.push(e),
            }
        }
        errors.finish(())?;
        for (path, kind, content) in edits {
            layout::replace_string(doc.as_item_mut(), &path, &quoted(&content, kind));
        }
    }
    layout::regular_blank_lines(&mut doc);
    // the document starts with the whitespace before its first line
    let mut out = doc.to_string().trim_start().to_string();
    if !out.ends_with('\n') {
        out.push('\n');
    }
    Ok(out)
}

/// What language a string is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Expr,
    Type,
}

/// One step of the way from the document's root to a value.
#[derive(Clone, Debug)]
pub(crate) enum Step {
    Key(String),
    Index(usize),
}

/// A rule-language string found in a rulebook.
struct RuleString<'a> {
    path: Vec<Step>,
    kind: Kind,
    node: &'a Node,
}

/// Every rule-language string of a rulebook, where the rulebook reader looks for them.
fn rule_strings<'a>(root: &'a Node, out: &mut Vec<RuleString<'a>>) {
    let Ok(top) = root.as_table() else { return };
    for (list, keys) in [("rules", &["when", "value"][..]), ("checks", &["require"][..])] {
        if let Some(NodeKind::Array(items)) = top.get(list).map(|n| &n.kind) {
            for (i, item) in items.iter().enumerate() {
                for key in keys {
                    let path = vec![Step::Key(list.into()), Step::Index(i), Step::Key((*key).into())];
                    push_string(item, key, path, Kind::Expr, out);
                }
            }
        }
    }
    if let Some(NodeKind::Table(t)) = top.get("letters").map(|n| &n.kind) {
        for (k, letter) in &t.entries {
            push_string(letter, "when", vec![Step::Key("letters".into()), Step::Key(k.name.clone())], Kind::Expr, out);
        }
    }
    for group in ["options", "tables"] {
        if let Some(NodeKind::Table(t)) = top.get(group).map(|n| &n.kind) {
            for (k, decl) in &t.entries {
                push_string(decl, "type", vec![Step::Key(group.into()), Step::Key(k.name.clone())], Kind::Type, out);
            }
        }
    }
    for group in ["facts", "conclusions"] {
        if let Some(n) = top.get(group) {
            declarations(n, vec![Step::Key(group.into())], out);
        }
    }
}

/// The `type` strings of the declarations under a `[facts]` or `[conclusions]` group.
fn declarations<'a>(node: &'a Node, path: Vec<Step>, out: &mut Vec<RuleString<'a>>) {
    let NodeKind::Table(t) = &node.kind else { return };
    if t.get("type").is_some() {
        push_string(node, "type", path.clone(), Kind::Type, out);
        if let Some(fields) = t.get("fields") {
            let mut at = path;
            at.push(Step::Key("fields".into()));
            declarations(fields, at, out);
        }
        return;
    }
    for (k, child) in &t.entries {
        let mut at = path.clone();
        at.push(Step::Key(k.name.clone()));
        declarations(child, at, out);
    }
}

fn push_string<'a>(table: &'a Node, key: &str, mut path: Vec<Step>, kind: Kind, out: &mut Vec<RuleString<'a>>) {
    let NodeKind::Table(t) = &table.kind else { return };
    if let Some(node) = t.get(key).filter(|n| matches!(n.kind, NodeKind::Str(_))) {
        if !path.last().is_some_and(|s| matches!(s, Step::Key(k) if k == key)) {
            path.push(Step::Key(key.into()));
        }
        out.push(RuleString { path, kind, node });
    }
}

/// The canonical content of a rule-language string, `None` when it is
/// already canonical, or the located parse error.
fn reformat(src: SourceId, text: &str, s: &RuleString<'_>) -> Result<Option<String>, Diagnostic> {
    let NodeKind::Str(content) = &s.node.kind else { return Ok(None) };
    let raw = text.get(s.node.span.range()).unwrap_or("");
    let map = StringMap::for_toml_string(src, raw, s.node.span.start as usize, content);
    let here = StringMap::verbatim(src, 0);
    // parsed first: only a string that parses is laid out
    let (formatted, same) = match s.kind {
        Kind::Expr => {
            let before = parse_expr(content, &map)?;
            let formatted = expr::layout(content);
            let same = parse_expr(&formatted, &here).is_ok_and(|after| same_tree(&before, &after));
            (formatted, same)
        }
        Kind::Type => {
            let before = parse_type(content, &map)?;
            let formatted = expr::layout(content);
            let same = parse_type(&formatted, &here).is_ok_and(|after| after == before);
            (formatted, same)
        }
    };
    let unchanged = formatted == *content && raw == quoted(content, s.kind);
    Ok((same && !unchanged).then_some(formatted))
}

/// Whether two expressions are the same tree, wherever they were written.
pub fn same_tree(a: &crate::syntax::ast::Expr, b: &crate::syntax::ast::Expr) -> bool {
    without_spans(&format!("{a:?}")) == without_spans(&format!("{b:?}"))
}

/// A debug rendering with every `Span { … }` blanked.
pub(crate) fn without_spans(debug: &str) -> String {
    let mut out = String::with_capacity(debug.len());
    let mut rest = debug;
    while let Some(i) = rest.find("Span { src: ") {
        out.push_str(&rest[..i]);
        out.push_str("Span");
        rest = &rest[i..];
        rest = rest.find(" }").map_or("", |end| &rest[end + 2..]);
    }
    out.push_str(rest);
    out
}

/// A string's TOML form: an expression as a literal string (multi-line when
/// it has line breaks), a type as a basic string; a content that cannot be
/// written so gets TOML's own escaped form.
fn quoted(content: &str, kind: Kind) -> String {
    let plain = |c: char| c != '\\' && c != '"' && !c.is_control();
    match kind {
        Kind::Type if content.chars().all(plain) => format!("\"{content}\""),
        Kind::Expr if !content.contains(['\'', '\n']) && !content.chars().any(char::is_control) => {
            format!("'{content}'")
        }
        Kind::Expr
            if !content.contains("'''")
                && !content.ends_with('\'')
                && !content.chars().any(|c| c.is_control() && c != '\n') =>
        {
            format!("'''{content}'''")
        }
        _ => toml_edit::Value::from(content).to_string().trim().to_string(),
    }
}
