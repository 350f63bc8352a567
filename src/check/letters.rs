//! The letters of a rulebook checked: each `when` a condition on the facts
//! and conclusions, each citation against `[sources]`, each placeholder a
//! fact or a conclusion that can be written in a letter.

use super::expr::ExprChecker;
use super::ir::{Ir, ListId, Slot};
use super::rules::check_cite;
use super::{Named, Program};
use crate::diagnostic::{suggest, Diagnostic, Diagnostics};
use crate::rulebook::{Declarations, LetterDecl, Piece};
use crate::source::Span;
use crate::text::Text;
use crate::value::Type;
use std::collections::HashMap;

/// A checked letter template.
#[derive(Clone, Debug)]
pub struct LetterDef {
    /// Its name (`withdrawal_form`).
    pub name: String,
    /// Where its key is written.
    pub span: Span,
    /// The title, for people.
    pub title: Text,
    /// The condition under which the letter applies (always when `None`).
    pub when: Option<Ir>,
    /// Per list, the condition on one element (`item.withdrawable`) that
    /// its elements must meet to be named by the letter's list placeholders
    /// (`{items.name}`); a list not here is named in full.
    pub select: Vec<(ListId, Ir)>,
    /// Its citation.
    pub cite: String,
    /// The body as written, per language (for lints and fallbacks).
    pub body: Text,
    /// The body per language (`""`: the rulebook's first language), in pieces.
    pub bodies: Vec<(String, Vec<LetterPiece>)>,
}

/// A piece of a checked letter body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum LetterPiece {
    /// Text as written.
    Text(String),
    /// A value filled in: the fact, option or conclusion read, where the
    /// placeholder is written, and its name.
    Value {
        /// What is read: `Fact`, `Option`, `Conclusion`, `ListField` or `ListConclusion`.
        slot: Slot,
        /// The name as written.
        name: String,
        /// Where the placeholder is written.
        span: Span,
    },
    /// A line the consumer fills in by hand, with its name.
    Blank(String),
    /// The letter's citation.
    Cite,
}

impl LetterDef {
    /// The body's pieces in `lang`, or the default body's and the language it
    /// is in when the body is not given in `lang`.
    pub fn pieces<'a>(&'a self, lang: &str, first: Option<&'a str>) -> (&'a [LetterPiece], Option<&'a str>) {
        let is = |l: &str, want: &str| l == want || (l.is_empty() && first == Some(want));
        if let Some((_, p)) = self.bodies.iter().find(|(l, _)| is(l, lang)) {
            return (p, None);
        }
        let default = first.and_then(|f| self.bodies.iter().find(|(l, _)| is(l, f))).or(self.bodies.first());
        match default {
            Some((l, p)) => (p, Some(if l.is_empty() { first.unwrap_or("") } else { l.as_str() })),
            None => (&[], None),
        }
    }
}

/// Checks every letter of `decls` against the checked program.
pub(super) fn letters(
    prog: &Program,
    decls: &Declarations,
    names: &HashMap<String, Named>,
    errors: &mut Diagnostics,
) -> Vec<LetterDef> {
    let keys: Vec<&str> = prog.sources.iter().map(|s| s.key.as_str()).collect();
    decls.letters.iter().map(|l| letter(prog, decls, names, &keys, l, errors)).collect()
}

fn letter(
    prog: &Program,
    decls: &Declarations,
    names: &HashMap<String, Named>,
    keys: &[&str],
    l: &LetterDecl,
    errors: &mut Diagnostics,
) -> LetterDef {
    let calendar_selected = decls.calendar.is_some();
    let condition = |scope: Option<ListId>, e: &crate::syntax::ast::Expr, errors: &mut Diagnostics| {
        let mut ec = ExprChecker { prog, names, scope, calendar_selected, errors };
        let x = ec.check(e, Some(&Type::Bool));
        if !prog.symbols.fits(&x.ty, &Type::Bool) {
            let t = prog.symbols.type_name(&x.ty);
            let (what, example) = match scope {
                None => ("`when`", "`refund.deadline is before as_of`"),
                Some(_) => ("`select`", "`item.withdrawable`"),
            };
            errors.push(
                Diagnostic::new("check::type", format!("a letter's {what} must be true or false, this is {t}"), x.span)
                    .label(format!("this is {t}"))
                    .help(format!("compare it with something, e.g. {example}")),
            );
        }
        x
    };
    let when = l.when.as_ref().map(|w| condition(None, w, errors));
    let mut select = Vec::new();
    for (list, span, cond) in &l.select {
        let id = match super::list_named(prog, names, list, &format!("`select.{list}`: "), *span) {
            Ok(id) => id,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if let Some(cond) = cond {
            select.push((id, condition(Some(id), cond, errors)));
        }
    }
    let cite = match &l.cite {
        None => {
            errors.push(
                Diagnostic::new("check::missing-cite", format!("letter `{}` cites no source", l.name), l.span)
                    .label("no `cite`")
                    .help("add cite = \"…\" with the provisions the letter relies on, e.g. cite = \"CRD art. 11(1); Annex I(B)\""),
            );
            String::new()
        }
        Some(c) => {
            check_cite(c, keys, errors);
            c.text.clone()
        }
    };
    let bodies = l
        .bodies
        .iter()
        .map(|(lang, pieces)| (lang.clone(), pieces.iter().filter_map(|p| piece(prog, names, p, errors)).collect()))
        .collect();
    LetterDef {
        name: l.name.clone(),
        span: l.span,
        title: l.title.clone(),
        when,
        select,
        cite,
        body: l.body.clone(),
        bodies,
    }
}

fn piece(prog: &Program, names: &HashMap<String, Named>, p: &Piece, errors: &mut Diagnostics) -> Option<LetterPiece> {
    let (name, span) = match p {
        Piece::Text(t) => return Some(LetterPiece::Text(t.clone())),
        Piece::Blank(b) => return Some(LetterPiece::Blank(b.clone())),
        Piece::Cite => return Some(LetterPiece::Cite),
        Piece::Fill { name, span } => (name, *span),
    };
    let slot = match names.get(name) {
        Some(Named::Fact(f)) if prog.facts[*f as usize].records.is_none() => Slot::Fact(*f),
        Some(Named::Option(o)) => Slot::Option(*o),
        Some(Named::ListField(l, f)) => Slot::ListField(*l, *f),
        Some(Named::Conclusion(c)) => {
            let def = &prog.conclusions[*c as usize];
            if def.ty == Type::Timeline {
                errors.push(not_writable(name, span, "a timeline"));
                return None;
            }
            if def.per_item.is_some() {
                Slot::ListConclusion(*c)
            } else {
                Slot::Conclusion(*c)
            }
        }
        Some(Named::Fact(_)) => {
            errors.push(not_writable(name, span, "a list of records"));
            return None;
        }
        None => {
            let mut cands: Vec<&str> = names.keys().map(String::as_str).collect();
            cands.sort_unstable();
            errors.push(
                Diagnostic::new("check::unknown-placeholder", format!("the letter names `{name}`, which is not declared"), span)
                    .label("no such fact or conclusion")
                    .help(format!(
                        "{} (a placeholder names a fact or a conclusion; {{blank:NAME}} is a line the consumer fills in by hand)",
                        suggest(name, &cands, "fact or conclusion")
                    )),
            );
            return None;
        }
    };
    Some(LetterPiece::Value { slot, name: name.clone(), span })
}

fn not_writable(name: &str, span: Span, what: &str) -> Diagnostic {
    Diagnostic::new("check::placeholder-type", format!("`{name}` is {what} and cannot be written in a letter"), span)
        .label(what.to_string())
        .help("name one value: a field of the list (`items.name`), a date, an amount or a text")
}
