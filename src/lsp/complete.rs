//! Completion: dotted names by prefix, enumeration values after `is ` and
//! `is one of (`, functions and units in rule strings; rule ids in
//! `overrides`, cite keys, conclusions in `concludes`; fact, conclusion and
//! option names as keys of `[[tests]]` and scenario files.

use super::analyze::Kind;
use super::position::Lines;
use super::{Doc, Workspace};
use tower_lsp_server::ls_types::{CompletionItem, CompletionItemKind, CompletionTextEdit, Position, TextEdit, Uri};
use verdict::index::{DefKind, Occurs, RulebookIndex};

/// The units a duration is written in.
pub const UNITS: &[&str] = &["days", "working days", "weeks", "months", "years"];

pub fn complete(ws: &Workspace, uri: &Uri, at: Position) -> Vec<CompletionItem> {
    let Some(doc) = ws.document(uri) else { return Vec::new() };
    let Some(index) = doc.index.clone() else { return Vec::new() };
    let lines = Lines::new(&doc.text);
    let offset = lines.offset(at);
    let word_start = word_start(&doc.text, offset);
    // a quoted candidate ("withdrawal.deadline") replaces the opening quote too
    let quote_start = if doc.text[..word_start].ends_with('"') { word_start - 1 } else { word_start };
    let edit = |label: String, kind, detail: Option<String>| {
        let start = if label.starts_with('"') { quote_start } else { word_start };
        let typed = &doc.text[start..offset];
        label.starts_with(typed).then(|| CompletionItem {
            label: label.clone(),
            kind: Some(kind),
            detail,
            text_edit: Some(CompletionTextEdit::Edit(TextEdit { range: lines.range(start, offset), new_text: label })),
            ..Default::default()
        })
    };
    let mut out: Vec<CompletionItem> = candidates(&doc, &index, offset, word_start)
        .into_iter()
        .filter_map(|(label, kind, detail)| edit(label, kind, detail))
        .collect();
    out.dedup_by(|a, b| a.label == b.label);
    out
}

type Candidate = (String, CompletionItemKind, Option<String>);

fn candidates(doc: &Doc, index: &RulebookIndex, offset: usize, word_start: usize) -> Vec<Candidate> {
    let text = &*doc.text;
    let line_start = text[..word_start].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..word_start].trim_start();
    if doc.kind == Kind::Rulebook {
        let o = offset as u32;
        if let Some(rule) = index.rule_texts.iter().find(|s| s.start <= o && o <= s.end) {
            // the index may be of the last text that parsed: its spans are checked
            return in_rule(index, text.get(rule.start as usize..word_start).unwrap_or(""));
        }
        let of = |kind, what: CompletionItemKind| -> Vec<Candidate> {
            index.of_kind(kind).map(|d| (d.name.clone(), what, d.doc.clone().or_else(|| d.because.clone()))).collect()
        };
        if line.starts_with("overrides") || in_open_overrides(&text[..word_start]) {
            return of(DefKind::Rule, CompletionItemKind::REFERENCE);
        }
        if line.starts_with("cite") {
            return of(DefKind::Source, CompletionItemKind::REFERENCE);
        }
        if line.starts_with("concludes") {
            return of(DefKind::Conclusion, CompletionItemKind::FIELD);
        }
    }
    if line.contains('=') {
        return Vec::new();
    }
    let header = header_before(text, line_start);
    let quoted = |kind, what| -> Vec<Candidate> {
        index.of_kind(kind).map(|d| (format!("\"{}\"", d.name), what, d.ty.clone())).collect()
    };
    match (&doc.kind, header.as_deref()) {
        (Kind::Rulebook, Some("tests.expect")) => quoted(DefKind::Conclusion, CompletionItemKind::FIELD),
        (Kind::Rulebook, Some("tests.set")) => quoted(DefKind::Option, CompletionItemKind::VALUE),
        (Kind::Rulebook, Some(h)) if h == "tests.facts" || h.starts_with("tests.facts.") => {
            fact_keys(index, h.strip_prefix("tests.facts").unwrap_or("").trim_start_matches('.'))
        }
        (Kind::Scenario { .. }, h) => fact_keys(index, h.unwrap_or("")),
        _ => Vec::new(),
    }
}

/// In a rule string, with `before` the text from the string's start to the word being typed.
fn in_rule(index: &RulebookIndex, before: &str) -> Vec<Candidate> {
    if let Some(subject) = enum_subject(before) {
        if let Occurs::Name(Some(t)) = index.resolve(subject) {
            if let Some(d) = index.definition(&t) {
                let of = format!("a value of `{}`", d.name);
                return d
                    .values
                    .iter()
                    .map(|v| (v.clone(), CompletionItemKind::ENUM_MEMBER, Some(of.clone())))
                    .collect();
            }
        }
    }
    let last = before.trim_end().rsplit(|c: char| c.is_whitespace() || c == '(').next().unwrap_or("");
    if before.ends_with(' ') && !last.is_empty() && last.chars().all(|c| c.is_ascii_digit()) {
        return UNITS.iter().map(|u| (u.to_string(), CompletionItemKind::UNIT, None)).collect();
    }
    let mut out: Vec<Candidate> = Vec::new();
    for d in &index.definitions {
        let kind = match d.kind {
            DefKind::Fact | DefKind::Field => CompletionItemKind::FIELD,
            DefKind::Conclusion => CompletionItemKind::PROPERTY,
            DefKind::Option => CompletionItemKind::VARIABLE,
            DefKind::Table => CompletionItemKind::CONSTANT,
            _ => continue,
        };
        out.push((d.name.clone(), kind, d.ty.clone()));
        // in rules for one element, its fields and per-item conclusions are `item.…`
        for (list, element) in &index.elements {
            if let Some(rest) = d.name.strip_prefix(list.as_str()).and_then(|r| r.strip_prefix('.')) {
                out.push((format!("{element}.{rest}"), kind, d.ty.clone()));
            }
        }
    }
    for b in verdict::builtins::BUILTINS {
        out.push((b.name.to_string(), CompletionItemKind::FUNCTION, Some(b.doc.to_string())));
    }
    out
}

/// The name an enumeration value is being written for: `NAME is ` / `NAME is not `
/// / `NAME is one of (a, `.
fn enum_subject(before: &str) -> Option<&str> {
    let mut b = before.trim_end();
    if let Some(open) = b.rfind("one of (") {
        if !b[open..].contains(')') {
            b = b[..open].trim_end();
        }
    }
    if !before.ends_with([' ', '(', ',']) && !before.is_empty() {
        return None;
    }
    let b = b.strip_suffix(" not").unwrap_or(b).trim_end();
    let b = b.strip_suffix("is")?.trim_end();
    let start = b.rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).map_or(0, |i| i + 1);
    (start < b.len()).then(|| &b[start..])
}

/// Whether the text before the cursor is inside an `overrides = [` list not yet closed.
fn in_open_overrides(before: &str) -> bool {
    let Some(at) = before.rfind("overrides") else { return false };
    let rest = &before[at..];
    rest.contains('[') && !rest.contains(']') && !rest.contains("\n[")
}

/// The keys that name facts under the table `prefix` (`contract`, `items` for a list's fields).
fn fact_keys(index: &RulebookIndex, prefix: &str) -> Vec<Candidate> {
    let is_list = index.elements.iter().any(|(list, _)| list == prefix);
    let wanted = if is_list { DefKind::Field } else { DefKind::Fact };
    index
        .of_kind(wanted)
        .filter_map(|d| {
            let rest =
                if prefix.is_empty() { Some(d.name.as_str()) } else { d.name.strip_prefix(prefix)?.strip_prefix('.') };
            Some((rest?.to_string(), CompletionItemKind::FIELD, d.ty.clone()))
        })
        .collect()
}

/// The table header (`tests.facts.contract`, `items`) of the lines before `line_start`.
fn header_before(text: &str, line_start: usize) -> Option<String> {
    let line = text[..line_start].lines().rev().find(|l| l.trim_start().starts_with('['))?;
    Some(line.trim().trim_start_matches('[').split(']').next().unwrap_or("").trim().to_string())
}

/// Where the dotted name that ends at `offset` starts.
fn word_start(text: &str, offset: usize) -> usize {
    text[..offset].rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')).map_or(0, |i| i + 1)
}

#[cfg(test)]
mod tests {
    use super::enum_subject;

    #[test]
    fn finds_the_name_an_enumeration_value_is_for() {
        assert_eq!(enum_subject("contract.kind is "), Some("contract.kind"));
        assert_eq!(enum_subject("item.nature is not "), Some("item.nature"));
        assert_eq!(enum_subject("a and contract.kind is one of (goods, "), Some("contract.kind"));
        assert_eq!(enum_subject("contract.kind is one of ("), Some("contract.kind"));
        assert_eq!(enum_subject("contract.kind + "), None);
    }
}
