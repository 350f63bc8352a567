//! Labels: how an enumeration value (`goods`) or a timeline event (`"Order
//! placed"`) reads in each language. They are written next to the
//! declaration (`labels.goods = { en = "goods", nl = "goederen" }`) and
//! checked here against its type: a value of its enumeration, an event its
//! rules write. A value has one label in the whole rulebook, so a value
//! shared by two enumerations is labelled once (or the same way twice).

use super::ir::{ConcId, Ir, Op};
use super::Program;
use crate::diagnostic::{did_you_mean, Diagnostic, Diagnostics};
use crate::rulebook::{Declarations, LabelDecl};
use crate::text::Text;
use crate::value::{Sym, Type};
use std::sync::Arc;

/// The labels of a rulebook's enumeration values and timeline events.
#[derive(Clone, Debug, Default)]
pub struct Labels {
    /// By enumeration value, in the order written.
    pub values: Vec<(Sym, Text)>,
    /// By timeline conclusion and event, as its rules write the event.
    pub events: Vec<(ConcId, Arc<str>, Text)>,
}

impl Labels {
    /// The label of enumeration value `s`, if the rulebook gives one.
    pub fn value(&self, s: Sym) -> Option<&Text> {
        self.values.iter().find(|(v, _)| *v == s).map(|(_, t)| t)
    }

    /// The label of event `event` of timeline conclusion `c`, if given.
    pub fn event(&self, c: ConcId, event: &str) -> Option<&Text> {
        self.events.iter().find(|(k, e, _)| *k == c && &**e == event).map(|(_, _, t)| t)
    }

    /// Whether the rulebook labels nothing.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty() && self.events.is_empty()
    }
}

/// The events written in timeline rules of conclusion `c`, in rule order.
pub fn events_of(prog: &Program, c: ConcId) -> Vec<Arc<str>> {
    let mut out: Vec<Arc<str>> = Vec::new();
    fn walk(ir: &Ir, out: &mut Vec<Arc<str>>) {
        if let Op::Timeline(events) = &ir.op {
            for (label, _) in events {
                if !out.contains(label) {
                    out.push(label.clone());
                }
            }
        }
        ir.each_child(&mut |x| walk(x, out));
    }
    for r in prog.rules.iter().filter(|r| r.conclusion == c) {
        walk(&r.value, &mut out);
    }
    out
}

/// Reads every declaration's `labels` into `prog.labels`, reporting a label
/// on a type that has no values to label, an unknown value or event, and one
/// value labelled two ways.
pub(super) fn check_labels(prog: &mut Program, decls: &Declarations, errors: &mut Diagnostics) {
    let mut labels = Labels::default();
    let mut each = |name: &str, ty: &Type, conc: Option<ConcId>, given: &[LabelDecl], prog: &Program| {
        let enumeration = match ty {
            Type::Enum(e) => Some(*e),
            Type::List(inner) => match **inner {
                Type::Enum(e) => Some(e),
                _ => None,
            },
            _ => None,
        };
        for l in given {
            match (ty, conc, enumeration) {
                (Type::Error, _, _) => {}
                (_, _, Some(e)) => {
                    let Some(sym) = prog.symbols.member(e, &l.value) else {
                        let values = prog.symbols.value_names(e);
                        let near = did_you_mean(&l.value, values.iter().copied())
                            .map_or(String::new(), |n| format!("did you mean `{n}`? "));
                        errors.push(
                            Diagnostic::new(
                                "check::label-unknown",
                                format!("`{}` is not a value of `{name}`", l.value),
                                l.span,
                            )
                            .label("not one of its values")
                            .help(format!("{near}label one of {}", values.join(", "))),
                        );
                        continue;
                    };
                    match labels.values.iter().find(|(s, _)| *s == sym) {
                        Some((_, first)) if *first != l.text => errors.push(
                            Diagnostic::new(
                                "check::label-conflict",
                                format!("the value `{}` is labelled twice, differently", l.value),
                                l.span,
                            )
                            .label("second label")
                            .also(first.span, "first label")
                            .help("a value has one label in the whole rulebook: keep one, or make them the same"),
                        ),
                        Some(_) => {}
                        None => labels.values.push((sym, l.text.clone())),
                    }
                }
                (Type::Timeline, Some(c), _) => {
                    let events = events_of(prog, c);
                    if !events.iter().any(|e| **e == *l.value) {
                        let near = did_you_mean(&l.value, events.iter().map(|e| &**e))
                            .map_or(String::new(), |n| format!("did you mean \"{n}\"? "));
                        errors.push(
                            Diagnostic::new(
                                "check::label-unknown",
                                format!("no rule of `{name}` writes the event \"{}\"", l.value),
                                l.span,
                            )
                            .label("not an event of this timeline")
                            .help(format!("{near}label an event as its `timeline(…)` writes it, in quotes")),
                        );
                        continue;
                    }
                    labels.events.push((c, Arc::from(l.value.as_str()), l.text.clone()));
                }
                _ => {
                    errors.push(
                        Diagnostic::new(
                            "check::label-type",
                            format!("`{name}` is {}: it has no values to label", prog.symbols.type_name(ty)),
                            l.span,
                        )
                        .label("labels need `one of …` or a timeline")
                        .help("labels name the values of an enumeration (`one of a, b`) or the events of a timeline conclusion; remove `labels` here"),
                    );
                    break;
                }
            }
        }
    };
    for (o, d) in prog.options.iter().zip(&decls.options) {
        each(&o.name, &o.ty, None, &d.labels, prog);
    }
    for d in &decls.facts {
        let Some(id) = prog.names.facts.get(&d.name) else { continue };
        let f = &prog.facts[*id as usize];
        each(&f.name, &f.ty, None, &d.labels, prog);
        if let Some(list) = f.records {
            for (field, fd) in prog.lists[list as usize].fields.iter().zip(&d.fields) {
                each(&format!("{}.{}", f.name, field.name), &field.ty, None, &fd.labels, prog);
            }
        }
    }
    for (i, (c, d)) in prog.conclusions.iter().zip(&decls.conclusions).enumerate() {
        each(&c.name, &c.ty, Some(i as ConcId), &d.labels, prog);
    }
    prog.labels = labels;
}
