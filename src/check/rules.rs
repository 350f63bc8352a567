//! Each rule checked against its conclusion: its condition and value typed,
//! its citation checked against `[sources]`, every conclusion decided by
//! some rule; and the `[[checks]]` on scenarios.

use super::expr::ExprChecker;
use super::ir::{Ir, RuleId, Slot};
use super::{name_hint, Named, Program, RuleDef};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rulebook::{Cite, Declarations};
use crate::source::Span;
use crate::value::Type;
use std::collections::HashMap;

/// The rules as typed, by declaration index (`None` for one that cannot be
/// used, already reported), and where each rule id is declared.
pub(super) struct Typed<'d> {
    pub rules: Vec<Option<RuleDef>>,
    pub ids: HashMap<&'d str, (RuleId, Span)>,
}

/// Types every rule and checks its citation.
pub(super) fn typed_rules<'d>(
    prog: &mut Program,
    decls: &'d Declarations,
    names: &HashMap<String, Named>,
    errors: &mut Diagnostics,
) -> Typed<'d> {
    let mut ids: HashMap<&str, (RuleId, Span)> = HashMap::new();
    let mut checked: Vec<Option<RuleDef>> = Vec::new();
    let source_keys: Vec<&str> = prog.sources.iter().map(|s| s.key.as_str()).collect();
    for r in &decls.rules {
        let rid = checked.len() as RuleId;
        if let Some((_, first)) = ids.get(r.id.as_str()) {
            errors.push(
                Diagnostic::new("check::duplicate-rule", format!("rule id `{}` is used twice", r.id), r.id_span)
                    .label("second rule with this id")
                    .also(*first, "first used here")
                    .help("give every rule its own id"),
            );
        }
        ids.entry(&r.id).or_insert((rid, r.id_span));
        let (cname, cspan) = &r.concludes;
        let Some(conc) = prog.conclusion_id(cname) else {
            let cands: Vec<&str> = prog.conclusions.iter().map(|c| c.name.as_str()).collect();
            let is_fact = prog.facts.iter().any(|f| f.name == *cname);
            let help = if is_fact {
                format!(
                    "`{cname}` is a fact: a scenario gives it and no rule can conclude it; declare a conclusion under [conclusions.…] and conclude that ({})",
                    name_hint(cname, &cands)
                )
            } else {
                name_hint(cname, &cands)
            };
            errors.push(
                Diagnostic::new(
                    "check::unknown-conclusion",
                    format!("rule `{}` concludes `{cname}`, which is not declared", r.id),
                    *cspan,
                )
                .label(if is_fact { "a fact, not a conclusion" } else { "unknown conclusion" })
                .help(help),
            );
            checked.push(None);
            continue;
        };
        let cdef = &prog.conclusions[conc as usize];
        let ty = cdef.ty.clone();
        let mut ec =
            ExprChecker { prog, names, scope: cdef.per_item, calendar_selected: decls.calendar.is_some(), errors };
        let when = r.when.as_ref().map(|w| {
            let x = ec.check(w, Some(&Type::Bool));
            if !ec.prog.symbols.fits(&x.ty, &Type::Bool) {
                let t = ec.prog.symbols.type_name(&x.ty);
                ec.errors.push(
                    Diagnostic::new(
                        "check::type",
                        format!("a `when` condition must be true or false, this is {t}"),
                        x.span,
                    )
                    .label(format!("this is {t}"))
                    .help("compare it with something, e.g. `x is given` or `x > 0`"),
                );
            }
            x
        });
        let value = match &r.value {
            Some(v) => ec.check(v, Some(&ty)),
            None => {
                Ir { op: super::ir::Op::Const(crate::value::Value::Bool(false)), ty: Type::Error, span: r.value_span }
            }
        };
        if !prog.symbols.fits(&value.ty, &ty) {
            let (want, got) = (prog.symbols.type_name(&ty), prog.symbols.type_name(&value.ty));
            errors.push(
                Diagnostic::new("check::type", format!("`{cname}` is {want}, but this value is {got}"), value.span)
                    .label(format!("this is {got}"))
                    .also(prog.conclusions[conc as usize].span, format!("declared as {want} here"))
                    .help("change the value, or the conclusion's type"),
            );
        }
        let cite = match &r.cite {
            None => {
                errors.push(
                    Diagnostic::new(
                        "check::missing-cite",
                        format!("rule `{}` decides `{cname}` without citing a source", r.id),
                        r.id_span,
                    )
                    .label("no `cite`")
                    .help("add cite = \"…\" with the article and paragraph, e.g. cite = \"CRD art. 9(2)(b)\""),
                );
                String::new()
            }
            Some(cite) => {
                check_cite(cite, &source_keys, errors);
                cite.text.clone()
            }
        };
        let mut reads = Vec::new();
        if let Some(w) = &when {
            w.slots(&mut reads);
        }
        value.slots(&mut reads);
        let deep = when.as_ref().map_or(0, Ir::depth).max(value.depth()) > 64;
        prog.conclusions[conc as usize].rules.push(rid);
        checked.push(Some(RuleDef {
            id: r.id.clone(),
            span: r.id_span,
            conclusion: conc,
            when,
            value,
            because: r.because.clone(),
            cite,
            defeaters: Vec::new(),
            defeats: Vec::new(),
            local: 0,
            defeaters_mask: Vec::new(),
            defeats_mask: Vec::new(),
            deep,
            reads,
        }));
    }
    for c in &prog.conclusions {
        if c.rules.is_empty() {
            errors.push(
                Diagnostic::new("check::no-rules", format!("no rule concludes `{}`", c.name), c.span)
                    .label("declared but never decided")
                    .help(format!("add a [[rules]] entry with concludes = \"{}\", or remove the declaration", c.name)),
            );
        }
    }
    Typed { rules: checked, ids }
}

/// The `[[checks]]` on scenarios: conditions on facts only.
pub(super) fn checks(
    prog: &Program,
    decls: &Declarations,
    names: &HashMap<String, Named>,
    errors: &mut Diagnostics,
) -> Vec<super::CheckDef> {
    let mut out = Vec::new();
    for c in &decls.checks {
        let each = match &c.each {
            None => None,
            Some((list, span)) => match super::list_named(prog, names, list, "", *span) {
                Ok(id) => Some(id),
                Err(e) => {
                    errors.push(e);
                    continue;
                }
            },
        };
        let Some(require) = &c.require else { continue };
        let mut ec = ExprChecker { prog, names, scope: each, calendar_selected: decls.calendar.is_some(), errors };
        let ir = ec.check(require, Some(&Type::Bool));
        if !prog.symbols.fits(&ir.ty, &Type::Bool) {
            let t = prog.symbols.type_name(&ir.ty);
            errors.push(
                Diagnostic::new("check::type", format!("a check must be true or false, this is {t}"), ir.span)
                    .label(format!("this is {t}"))
                    .help("write a condition the facts must meet"),
            );
        }
        let mut slots = Vec::new();
        ir.slots(&mut slots);
        if let Some(s) =
            slots.iter().find(|s| matches!(s, Slot::Conclusion(_) | Slot::ItemConclusion(_) | Slot::ListConclusion(_)))
        {
            errors.push(
                Diagnostic::new(
                    "check::check-reads",
                    format!("check `{}` reads the conclusion `{}`", c.id, prog.slot_name(*s)),
                    ir.span,
                )
                .label("checks read facts only")
                .help("a check validates the scenario before anything is concluded; use facts and options"),
            );
        }
        out.push(super::CheckDef {
            id: c.id.clone(),
            each,
            require: ir,
            message: c.message.clone(),
            hint: c.hint.clone(),
        });
    }
    out
}

/// Every table cites where its values come from, starting with a source key.
pub(super) fn table_cites(prog: &Program, decls: &Declarations, errors: &mut Diagnostics) {
    let source_keys: Vec<&str> = prog.sources.iter().map(|s| s.key.as_str()).collect();
    for t in &decls.tables {
        match &t.cite {
            Some(cite) => check_cite(cite, &source_keys, errors),
            None => errors.push(
                Diagnostic::new(
                    "check::missing-cite",
                    format!("table `{}` does not cite where its values come from", t.name),
                    t.span,
                )
                .label("no `cite`")
                .help("add cite = \"…\" with the provision that sets the values, e.g. cite = \"BW art. 6:120 lid 2\""),
            ),
        }
    }
}

/// Each `;`-separated citation starts with a declared source key.
pub(super) fn check_cite(cite: &Cite, keys: &[&str], errors: &mut Diagnostics) {
    if cite.text.trim().is_empty() {
        errors.push(
            Diagnostic::new("check::missing-cite", "the citation is empty", cite.span)
                .label("empty")
                .help("cite the article and paragraph, e.g. \"CRD art. 9(2)(b)\""),
        );
        return;
    }
    for ((first, span), part) in cite.parts.iter().zip(cite.text.split(';')) {
        let first = first.as_str();
        if !keys.contains(&first) {
            let help = if keys.is_empty() {
                "declare the sources under [sources], e.g. CRD = { title = \"Directive 2011/83/EU\" }".to_string()
            } else {
                format!("{} (citations start with a key of [sources])", name_hint(first, keys))
            };
            errors.push(
                Diagnostic::new(
                    "check::unknown-source",
                    format!("the citation `{}` does not start with a declared source", part.trim()),
                    *span,
                )
                .label(format!("`{first}` is not in [sources]"))
                .help(help),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::fails_with;

    const FACTS: &str = r#"
[facts.order.total]
type = "money"
doc = "Total."

[conclusions.order.large]
type = "bool"
doc = "A large order."
"#;

    #[test]
    fn a_rule_without_a_citation_is_refused() {
        let body = format!(
            "{FACTS}\n[[rules]]\nid = \"large\"\nconcludes = \"order.large\"\nvalue = 'order.total > EUR 100.00'\n"
        );
        fails_with(&body, "check::missing-cite", "rule `large` decides `order.large` without citing a source");
    }

    #[test]
    fn a_citation_starts_with_a_declared_source() {
        let body = format!("{FACTS}\n[[rules]]\nid = \"large\"\nconcludes = \"order.large\"\nvalue = 'order.total > EUR 100.00'\ncite = \"CRD art. 9\"\n");
        fails_with(&body, "check::unknown-source", "the citation `CRD art. 9` does not start with a declared source");
    }

    #[test]
    fn a_value_has_the_conclusions_type() {
        let body = format!("{FACTS}\n[[rules]]\nid = \"large\"\nconcludes = \"order.large\"\nvalue = 'order.total'\ncite = \"LAW art. 1\"\n");
        fails_with(&body, "check::type", "`order.large` is bool, but this value is money");
    }

    #[test]
    fn a_condition_is_true_or_false() {
        let body = format!("{FACTS}\n[[rules]]\nid = \"large\"\nconcludes = \"order.large\"\nwhen = 'order.total'\nvalue = 'true'\ncite = \"LAW art. 1\"\n");
        fails_with(&body, "check::type", "a `when` condition must be true or false, this is money");
    }

    #[test]
    fn a_conclusion_no_rule_decides_is_refused() {
        fails_with(FACTS, "check::no-rules", "no rule concludes `order.large`");
    }
}
