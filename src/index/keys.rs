//! TOML keys that name declarations: the facts, expectations and option
//! values of `[[tests]]`, and the facts of a scenario file.

use super::{content, string_at, DefKind, Occurrence, Occurs, RulebookIndex, Target, TestEntry};
use crate::input::{Node, NodeKind};
use crate::source::Span;

/// Adds the keys of every `[[tests]]` entry and the entries themselves.
pub(super) fn test_keys(index: &mut RulebookIndex, root: &Node, text: &str) {
    let Some(NodeKind::Array(tests)) = root.as_table().ok().and_then(|t| t.get("tests")).map(|n| &n.kind) else {
        return;
    };
    let headers = headers(text, root.span);
    for (i, test) in tests.iter().enumerate() {
        let Ok(t) = test.as_table() else { continue };
        if let Some((name_span, name)) = t.get("name").and_then(|n| string_at(n, text)) {
            let header = (headers.len() == tests.len()).then(|| headers[i]);
            index.tests.push(TestEntry { name, name_span, header });
        }
        let mut found = Vec::new();
        if let Some(facts) = t.get("facts") {
            fact_keys(index, facts, "", text, &mut found);
        }
        for (key, kind) in [("expect", DefKind::Conclusion), ("set", DefKind::Option)] {
            if let Some(node) = t.get(key) {
                named_keys(index, node, "", kind, text, &mut found);
            }
        }
        index.occurrences.extend(found);
    }
}

/// The keys of a scenario file (`tree`, parsed from `text`) that name a
/// fact or a field of a list of records of the rulebook `index` describes.
pub fn scenario_keys(index: &RulebookIndex, tree: &Node, text: &str) -> Vec<Occurrence> {
    let mut out = Vec::new();
    fact_keys(index, tree, "", text, &mut out);
    out.sort_by_key(|o| o.span.start);
    out
}

fn key_occurrence(span: Span, text: &str, kind: DefKind, name: String) -> Occurrence {
    let span = content(text, span).unwrap_or(span);
    let written = text.get(span.range()).unwrap_or("").to_string();
    Occurrence { span, text: written, occurs: Occurs::Key(Target { kind, name }) }
}

fn fact_keys(index: &RulebookIndex, node: &Node, prefix: &str, text: &str, out: &mut Vec<Occurrence>) {
    let Ok(table) = node.as_table() else { return };
    for (k, v) in &table.entries {
        let name = if prefix.is_empty() { k.name.clone() } else { format!("{prefix}.{}", k.name) };
        let declared = index.definition(&Target { kind: DefKind::Fact, name: name.clone() }).is_some();
        if declared {
            out.push(key_occurrence(k.span, text, DefKind::Fact, name.clone()));
            if let NodeKind::Array(elements) = &v.kind {
                for el in elements.iter().filter_map(|e| e.as_table().ok()) {
                    for (fk, _) in &el.entries {
                        let field = format!("{name}.{}", fk.name);
                        if index.definition(&Target { kind: DefKind::Field, name: field.clone() }).is_some() {
                            out.push(key_occurrence(fk.span, text, DefKind::Field, field));
                        }
                    }
                }
            }
        } else if matches!(v.kind, NodeKind::Table(_)) {
            fact_keys(index, v, &name, text, out);
        }
    }
}

fn named_keys(index: &RulebookIndex, node: &Node, prefix: &str, kind: DefKind, text: &str, out: &mut Vec<Occurrence>) {
    let Ok(table) = node.as_table() else { return };
    for (k, v) in &table.entries {
        let name = if prefix.is_empty() { k.name.clone() } else { format!("{prefix}.{}", k.name) };
        if index.definition(&Target { kind, name: name.clone() }).is_some() {
            out.push(key_occurrence(k.span, text, kind, name));
        } else if matches!(v.kind, NodeKind::Table(_)) {
            named_keys(index, v, &name, kind, text, out);
        }
    }
}

/// Where each `[[tests]]` header line is, in file order.
fn headers(text: &str, whole: Span) -> Vec<Span> {
    let mut out = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        if line.trim() == "[[tests]]" {
            let start = offset + (line.len() - line.trim_start().len());
            out.push(Span::new(whole.src, start, start + "[[tests]]".len()));
        }
        offset += line.len();
    }
    out
}
