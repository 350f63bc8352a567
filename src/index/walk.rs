//! The uses of names in a rulebook's declarations: rule-language
//! expressions (resolved the way `check` resolves them), `overrides`,
//! `concludes`, cite keys and file paths.

use super::{content, string_at, DefKind, FileKind, Occurs, RulebookIndex, Target};
use crate::input::{Node, NodeKind};
use crate::rulebook::{Cite, Declarations};
use crate::source::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind};

/// Adds every use of a name in `decls` to `index`.
pub(super) fn uses(index: &mut RulebookIndex, decls: &Declarations, text: &str) {
    if let Some((path, span)) = &decls.calendar {
        index.push(content(text, *span).unwrap_or(*span), path, Occurs::File(FileKind::Calendar));
    }
    for (path, span) in &decls.meta.other_versions {
        index.push(content(text, *span).unwrap_or(*span), path, Occurs::File(FileKind::Version));
    }
    if let Some(before) = &decls.meta.before {
        cite_keys(index, &before.cite);
    }
    for t in &decls.tests {
        if let Some((path, span)) = &t.scenario {
            index.push(content(text, *span).unwrap_or(*span), path, Occurs::File(FileKind::Scenario));
        }
    }
    for table in &decls.tables {
        if let Some(c) = &table.cite {
            cite_keys(index, c);
        }
    }
    for r in &decls.rules {
        let (concludes, span) = &r.concludes;
        index.push(content(text, *span).unwrap_or(*span), concludes, Occurs::Concludes);
        for (id, span) in &r.overrides {
            index.push(content(text, *span).unwrap_or(*span), id, Occurs::Override);
        }
        if let Some(c) = &r.cite {
            cite_keys(index, c);
        }
        let owner = Some(Target { kind: DefKind::Conclusion, name: concludes.clone() });
        let element = element_of(index, concludes);
        let mut w = Walker { index, element };
        if let Some(e) = &r.when {
            w.expr(e, None);
        }
        if let Some(e) = &r.value {
            w.expr(e, owner.as_ref());
        }
    }
    for c in &decls.checks {
        let element = c.each.as_ref().and_then(|(list, _)| element_of(index, &format!("{list}.x")));
        if let Some(e) = &c.require {
            Walker { index, element }.expr(e, None);
        }
    }
}

fn cite_keys(index: &mut RulebookIndex, cite: &Cite) {
    for (word, span) in &cite.parts {
        if !word.is_empty() {
            index.push(*span, word, Occurs::CiteKey);
        }
    }
}

/// For a per-item conclusion `items.x`: the list and its element (`items`, `item`).
fn element_of(index: &RulebookIndex, conclusion: &str) -> Option<(String, String)> {
    index
        .elements
        .iter()
        .find(|(list, _)| conclusion.strip_prefix(list.as_str()).is_some_and(|r| r.starts_with('.')))
        .cloned()
}

struct Walker<'a> {
    index: &'a mut RulebookIndex,
    /// The list whose elements the rule is about, and what one is called.
    element: Option<(String, String)>,
}

impl Walker<'_> {
    /// `owner`: the declaration whose enumeration values a bare name may be.
    fn expr(&mut self, e: &Expr, owner: Option<&Target>) {
        let span = e.span;
        match &e.kind {
            ExprKind::Bool(_) => self.index.push(span, "", Occurs::Keyword),
            ExprKind::Int(_) | ExprKind::Decimal(_) | ExprKind::Money { .. } | ExprKind::Duration(..) => {
                self.index.push(span, "", Occurs::Number)
            }
            ExprKind::Date(d) => self.index.push(span, "", Occurs::Date(*d)),
            ExprKind::Text(_) => self.index.push(span, "", Occurs::Text),
            ExprKind::Name(n) => {
                let occurs = self.resolve(n, owner);
                self.index.push(span, n, occurs);
            }
            ExprKind::Not(a) | ExprKind::Neg(a) => self.expr(a, None),
            ExprKind::Binary(op, a, b) => {
                let compares = matches!(op, BinOp::Eq | BinOp::Ne | BinOp::Otherwise);
                let (oa, ob) = if compares { (self.target_of(b), self.target_of(a)) } else { (None, None) };
                self.expr(a, oa.as_ref().or(owner.filter(|_| *op == BinOp::Otherwise)));
                self.expr(b, ob.as_ref().or(owner.filter(|_| *op == BinOp::Otherwise)));
            }
            ExprKind::OneOf { value, set, .. } => {
                let o = self.target_of(value);
                self.expr(value, None);
                for x in set {
                    self.expr(x, o.as_ref());
                }
            }
            ExprKind::Given { value, .. } => self.expr(value, None),
            ExprKind::If(c, a, b) => {
                self.expr(c, None);
                self.expr(a, owner);
                self.expr(b, owner);
            }
            ExprKind::Period { length, event, suspension, .. } => {
                self.expr(length, None);
                self.expr(event, None);
                for x in suspension.iter().flat_map(|s| &s.during) {
                    self.expr(x, None);
                }
            }
            ExprKind::Tiered { amount, tiers } => {
                self.expr(amount, None);
                for t in tiers {
                    self.expr(&t.rate, None);
                    if let Some(s) = &t.size {
                        self.expr(s, None);
                    }
                }
            }
            ExprKind::Lookup { table, table_span, on } => {
                let target = Target { kind: DefKind::Table, name: table.clone() };
                let known = self.index.definition(&target).is_some();
                self.index.push(*table_span, table, Occurs::Name(known.then_some(target)));
                self.expr(on, None);
            }
            ExprKind::Interest(i) => {
                for x in [&i.amount, &i.rate, &i.from, &i.to] {
                    self.expr(x, None);
                }
            }
            ExprKind::Timeline(entries) => {
                for (_, label_span, x) in entries {
                    self.index.push(*label_span, "", Occurs::Text);
                    self.expr(x, None);
                }
            }
            ExprKind::Next { from, .. } => self.expr(from, None),
            ExprKind::Call { func, func_span, args } => {
                self.index.push(*func_span, func, Occurs::Function);
                for a in args {
                    self.expr(a, None);
                }
            }
        }
    }

    /// The declaration a name expression names, for enumeration values compared with it.
    fn target_of(&self, e: &Expr) -> Option<Target> {
        match &e.kind {
            ExprKind::Name(n) => match self.resolve(n, None) {
                Occurs::Name(t) => t,
                _ => None,
            },
            _ => None,
        }
    }

    fn resolve(&self, n: &str, owner: Option<&Target>) -> Occurs {
        resolve(self.index, self.element.as_ref(), n, owner)
    }
}

/// A name as `check` resolves it: the current element's field or
/// conclusion, a fact, conclusion, option, a list's field, a table, or an
/// enumeration value (of `owner`'s type, or of the one declaration whose type has it).
pub(super) fn resolve(
    index: &RulebookIndex,
    element: Option<&(String, String)>,
    n: &str,
    owner: Option<&Target>,
) -> Occurs {
    let found = |kind, name: &str| {
        let t = Target { kind, name: name.to_string() };
        index.definition(&t).is_some().then_some(t)
    };
    if let Some((head, rest)) = n.split_once('.') {
        let list = element
            .filter(|(_, el)| el == head)
            .map(|(l, _)| l.clone())
            .or_else(|| index.elements.iter().find(|(_, el)| el == head).map(|(l, _)| l.clone()));
        if let Some(list) = list {
            let full = format!("{list}.{rest}");
            return Occurs::Name(found(DefKind::Field, &full).or_else(|| found(DefKind::Conclusion, &full)));
        }
    }
    for kind in [DefKind::Fact, DefKind::Conclusion, DefKind::Option, DefKind::Field, DefKind::Table] {
        if let Some(t) = found(kind, n) {
            return Occurs::Name(Some(t));
        }
    }
    if n.contains('.') {
        return Occurs::Name(None);
    }
    let owned = owner.filter(|o| index.definition(o).is_some_and(|d| d.values.iter().any(|v| v == n)));
    match owned.cloned().or_else(|| index.enum_owner(n)) {
        Some(o) => Occurs::EnumValue { owner: Some(o) },
        None => Occurs::Name(None),
    }
}

/// The content spans of the rule-language strings: each rule's `when` and
/// `value`, each check's `require`.
pub(super) fn rule_texts(root: &Node, text: &str) -> Vec<Span> {
    let mut out = Vec::new();
    let Ok(top) = root.as_table() else { return out };
    for (list, keys) in [("rules", &["when", "value"][..]), ("checks", &["require"][..])] {
        let Some(NodeKind::Array(items)) = top.get(list).map(|n| &n.kind) else { continue };
        for item in items {
            let Ok(t) = item.as_table() else { continue };
            for key in keys {
                if let Some((span, _)) = t.get(key).and_then(|n| string_at(n, text)) {
                    out.push(span);
                }
            }
        }
    }
    out.sort_by_key(|s| s.start);
    out
}
