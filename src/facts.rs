//! Facts: a scenario (TOML or JSON tree) validated against a rulebook's fact
//! schema. Unknown facts, wrong types, values outside an enumeration and
//! missing required facts are located errors.

use crate::check::ir::{FactId, ListId};
use crate::check::types::{Symbols, Type};
use crate::check::{FactDef, Program};
use crate::diagnostic::{did_you_mean, suggest, Diagnostic, Diagnostics};
use crate::eval::{Event, Value};
use crate::input::{Node, NodeKind, Table};
use crate::source::Span;
use crate::time::{FIRST_YEAR, LAST_YEAR};
use chrono::Datelike;
use rust_decimal::Decimal;
use std::sync::Arc;

/// One element of a list of records: a value per field.
pub type Record = Vec<Option<Value>>;

/// The facts of one scenario, by slot.
#[derive(Clone, Debug, Default)]
pub struct Facts {
    /// By fact id; `None` when an optional fact is absent (and for lists of records).
    pub values: Vec<Option<Value>>,
    /// Whether the value came from the rulebook's `default`.
    pub defaulted: Vec<bool>,
    /// By list id.
    pub lists: Vec<Vec<Record>>,
    /// Where each fact was written (for located errors of `[[checks]]`).
    pub spans: Vec<Option<Span>>,
    /// By list id, per element: the element's span and each field's.
    pub record_spans: Vec<Vec<(Span, Vec<Option<Span>>)>>,
}

/// Converts a scenario or rulebook value to a value of type `ty`.
pub fn value_from_node(node: &Node, ty: &Type, symbols: &Symbols) -> Result<Value, Diagnostic> {
    let wrong = |what: &str, hint: &str| {
        Diagnostic::new("facts::wrong-type", format!("expected {what}, found {}", node.kind_name()), node.span)
            .label(format!("should be {what}"))
            .help(hint.to_string())
    };
    Ok(match ty {
        Type::Bool => Value::Bool(node.as_bool()?),
        Type::Int => Value::Int(node.as_int()?),
        Type::Date => {
            let d = node.as_date()?;
            if !(FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
                return Err(Diagnostic::new(
                    "facts::date-range",
                    format!("the date {d} is outside {FIRST_YEAR}–{LAST_YEAR}"),
                    node.span,
                )
                .label("out of range")
                .help(format!(
                    "verdict computes periods and holidays for {FIRST_YEAR} to {LAST_YEAR}; check the year"
                )));
            }
            Value::Date(d)
        }
        Type::Text => Value::Text(Arc::from(node.as_str()?)),
        Type::Decimal => Value::Decimal(decimal(node, false)?),
        Type::Money => Value::Money(decimal(node, true)?),
        Type::Enum(e) => {
            let text = node.as_str().map_err(|_| {
                wrong("one of the listed values", &format!("write one of: {}", symbols.value_names(*e).join(", ")))
            })?;
            Value::Enum(symbols.member(*e, text).ok_or_else(|| {
                Diagnostic::new("facts::not-in-enum", format!("`{text}` is not an allowed value"), node.span)
                    .label("not allowed")
                    .help(suggest(text, &symbols.value_names(*e), "value"))
            })?)
        }
        Type::List(inner) => {
            let items = node
                .as_array()
                .map_err(|_| wrong("a list", "write a list in brackets, e.g. [2026-03-04, 2026-03-09]"))?;
            if items.len() > MAX_LIST {
                return Err(too_long(node.span));
            }
            Value::List(items.iter().map(|n| value_from_node(n, inner, symbols)).collect::<Result<Vec<_>, _>>()?.into())
        }
        Type::Interval => {
            let t =
                node.as_table().map_err(|_| wrong("an interval", "write { from = 2026-03-01, to = 2026-03-14 }"))?;
            let get = |k: &str| {
                t.get(k).ok_or_else(|| {
                    Diagnostic::new("facts::interval", format!("an interval needs `{k}`"), node.span)
                        .label(format!("`{k}` is missing"))
                        .help("write { from = 2026-03-01, to = 2026-03-14 }")
                })
            };
            let (from, to) = (
                value_from_node(get("from")?, &Type::Date, symbols)?,
                value_from_node(get("to")?, &Type::Date, symbols)?,
            );
            match (from, to) {
                (Value::Date(a), Value::Date(b)) if b >= a => Value::Interval(a, b),
                (Value::Date(a), Value::Date(b)) => {
                    return Err(Diagnostic::new(
                        "facts::interval",
                        format!("the interval ends on {b}, before it starts on {a}"),
                        node.span,
                    )
                    .label("ends before it starts")
                    .help("swap the dates, or correct the one that is wrong"))
                }
                _ => unreachable!("dates were read as dates"),
            }
        }
        Type::Timeline => {
            let items = node.as_array().map_err(|_| {
                wrong(
                    "a timeline",
                    "write a list of { date = 2026-03-02, event = \"…\" } or { from = …, to = …, event = \"…\" }",
                )
            })?;
            let mut events = Vec::new();
            for item in items {
                let t = item.as_table()?;
                let label = t.get("event").ok_or_else(|| {
                    Diagnostic::new("facts::timeline", "a timeline event needs `event`", item.span)
                        .label("no `event`")
                        .help("write { date = 2026-03-02, event = \"Invoice sent\" }")
                })?;
                let label: std::sync::Arc<str> = label.as_str()?.into();
                let event = match (t.get("date"), t.get("from"), t.get("to")) {
                    (Some(d), None, None) => Event { label, from: d.as_date()?, to: None },
                    (None, Some(_), Some(_)) => match value_from_node(item, &Type::Interval, symbols)? {
                        Value::Interval(a, b) => Event { label, from: a, to: Some(b) },
                        _ => unreachable!("an interval was read"),
                    },
                    _ => {
                        return Err(Diagnostic::new(
                            "facts::timeline",
                            "a timeline event needs `date`, or `from` and `to`",
                            item.span,
                        )
                        .label("no day given")
                        .help("write { date = 2026-03-02, event = \"…\" } or { from = …, to = …, event = \"…\" }"))
                    }
                };
                events.push(event);
            }
            Value::Timeline(events.into())
        }
        Type::Duration | Type::Records(_) | Type::Error => {
            return Err(wrong("a value this rulebook can read", "durations are written in rules, not given as facts"))
        }
    })
}

/// Amounts (and decimals) in a scenario stay below this, so sums, rates and
/// tiers computed from them keep every cent within the 28 digits of a decimal.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Longest list accepted in a scenario.
pub const MAX_LIST: usize = 10_000;

fn too_long(span: Span) -> Diagnostic {
    Diagnostic::new("facts::too-long", format!("the list has more than {MAX_LIST} elements"), span)
        .label("too long")
        .help("split the scenario; one scenario is one purchase")
}

fn decimal(node: &Node, money: bool) -> Result<Decimal, Diagnostic> {
    let what = if money { "an amount" } else { "a decimal number" };
    let text = match &node.kind {
        NodeKind::Str(s) => s.clone(),
        NodeKind::Float(s) => s.clone(),
        NodeKind::Int(i) => i.to_string(),
        _ => {
            return Err(Diagnostic::new(
                "facts::wrong-type",
                format!("expected {what}, found {}", node.kind_name()),
                node.span,
            )
            .label(format!("should be {what}"))
            .help(if money {
                "write an amount as a string, e.g. \"94.90\""
            } else {
                "write a decimal as a string, e.g. \"0.15\""
            }))
        }
    };
    let valid = !text.is_empty()
        && text
            .trim_start_matches('-')
            .split_once('.')
            .map_or(text.trim_start_matches('-'), |(a, _)| a)
            .chars()
            .all(|c| c.is_ascii_digit())
        && text.matches('.').count() <= 1;
    let d = Decimal::from_str_exact(&text).ok().filter(|_| valid).ok_or_else(|| {
        Diagnostic::new("facts::bad-number", format!("`{text}` is not {what}"), node.span).label("not a number").help(
            if money {
                "write digits with a decimal point, e.g. \"94.90\""
            } else {
                "write digits with a decimal point, e.g. \"0.15\""
            },
        )
    })?;
    if money {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(Diagnostic::new(
                "facts::negative-amount",
                format!("the amount `{text}` is negative"),
                node.span,
            )
            .label("negative amount")
            .help("amounts in a scenario are what was paid or charged: write them as positive numbers"));
        }
        if d.abs() >= Decimal::from(MAX_AMOUNT) {
            return Err(Diagnostic::new("facts::amount-range", format!("the amount `{text}` is too large"), node.span)
                .label("out of range")
                .help(format!("amounts must stay below {MAX_AMOUNT} so that every sum and rate stays exact")));
        }
        if d.scale() > 2 {
            return Err(Diagnostic::new(
                "facts::cents",
                format!("the amount `{text}` has more than two decimals"),
                node.span,
            )
            .label("fractions of a cent")
            .help("write amounts in euro and cents, e.g. \"94.90\""));
        }
    }
    Ok(d)
}

impl Facts {
    /// Validates a scenario tree against the program's fact schema.
    pub fn from_node(prog: &Program, root: &Node) -> Result<Facts, Diagnostics> {
        let mut loader = Loader {
            prog,
            facts: Facts {
                values: vec![None; prog.facts.len()],
                defaulted: vec![false; prog.facts.len()],
                lists: vec![Vec::new(); prog.lists.len()],
                spans: vec![None; prog.facts.len()],
                record_spans: vec![Vec::new(); prog.lists.len()],
            },
            groups: Vec::new(),
            misspelt: Vec::new(),
            errors: Diagnostics::default(),
        };
        match root.as_table() {
            Ok(t) => loader.table(t, &mut String::new()),
            Err(e) => {
                // nothing else can be said about a scenario that is not a table
                return Err(e
                    .help("a scenario is a table of facts (a JSON object), e.g. contract.kind = \"goods\"")
                    .into());
            }
        }
        let facts = loader.finish(root.span)?;
        crate::eval::check_scenario(prog, &facts, root.span).finish(facts)
    }
}

struct Loader<'p> {
    prog: &'p Program,
    /// A fact is given when its span is set.
    facts: Facts,
    /// Group tables seen, to point at when a fact in them is missing.
    groups: Vec<(&'p str, Span)>,
    /// Facts an unknown key probably meant (reported there, not again as missing).
    misspelt: Vec<String>,
    errors: Diagnostics,
}

impl<'p> Loader<'p> {
    /// The entries of a table whose dotted name is `path` (empty at the top);
    /// `path` is extended with each key in turn and given back as it came.
    fn table(&mut self, t: &Table, path: &mut String) {
        let prefix_len = path.len();
        for (key, node) in &t.entries {
            path.truncate(prefix_len);
            if prefix_len > 0 {
                path.push('.');
            }
            path.push_str(&key.name);
            let full = path.as_str();
            let prog: &'p Program = self.prog;
            if let Some(&id) = prog.names.facts.get(full) {
                self.fact(id, node);
            } else if let Some(group) = prog.names.groups.get(full) {
                match node.as_table() {
                    Ok(inner) => {
                        self.groups.push((group, key.span));
                        self.table(inner, path);
                    }
                    Err(e) => self.errors.push(
                        e.help(format!("`{full}` groups facts: give it as a table (a JSON object) of its facts")),
                    ),
                }
            } else {
                let full = full.to_string();
                let prefix = &path[..prefix_len];
                let level: Vec<&str> = self.level_names(prefix);
                if let Some(meant) = did_you_mean(&key.name, level.iter().copied()) {
                    let meant = if prefix.is_empty() { meant.to_string() } else { format!("{prefix}.{meant}") };
                    self.misspelt.push(meant);
                }
                self.errors.push(
                    Diagnostic::new("facts::unknown", format!("unknown fact `{full}`"), key.span)
                        .label("this rulebook has no such fact")
                        .help(suggest(&key.name, &level, "fact")),
                );
            }
        }
        path.truncate(prefix_len);
    }

    /// Names that may appear directly under `prefix`.
    fn level_names(&self, prefix: &str) -> Vec<&'p str> {
        let prog: &'p Program = self.prog;
        let mut out: Vec<&'p str> = Vec::new();
        for f in &prog.facts {
            let rest =
                if prefix.is_empty() { Some(f.name.as_str()) } else { f.name.strip_prefix(&format!("{prefix}.")) };
            if let Some(part) = rest.and_then(|r| r.split('.').next()) {
                if !out.contains(&part) {
                    out.push(part);
                }
            }
        }
        out
    }

    fn fact(&mut self, id: FactId, node: &Node) {
        let def = &self.prog.facts[id as usize];
        self.facts.spans[id as usize] = Some(node.span);
        if let Some(list) = def.records {
            self.records(list, def, node);
            return;
        }
        match value_from_node(node, &def.ty, &self.prog.symbols) {
            Ok(v) => self.facts.values[id as usize] = Some(v),
            Err(e) => self.errors.push(e),
        }
    }

    fn records(&mut self, list: ListId, def: &FactDef, node: &Node) {
        let items = match node.as_array() {
            Ok(items) => items,
            Err(e) => return self.errors.push(e.help(format!("write each element as a [[{}]] table", def.name))),
        };
        if items.len() > MAX_LIST {
            return self.errors.push(too_long(node.span));
        }
        let fields = &self.prog.lists[list as usize].fields;
        for item in items {
            let table = match item.as_table() {
                Ok(t) => t,
                Err(e) => {
                    self.errors.push(e.help(format!("each element of `{}` is a table of its fields", def.name)));
                    continue;
                }
            };
            let mut record: Record = vec![None; fields.len()];
            let mut written = vec![false; fields.len()];
            for (key, value) in &table.entries {
                match fields.iter().position(|f| f.name == key.name) {
                    Some(i) => {
                        written[i] = true;
                        match value_from_node(value, &fields[i].ty, &self.prog.symbols) {
                            Ok(v) => record[i] = Some(v),
                            Err(e) => self.errors.push(e),
                        }
                    }
                    None => {
                        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        self.errors.push(
                            Diagnostic::new(
                                "facts::unknown",
                                format!("unknown field `{}` in `{}`", key.name, def.name),
                                key.span,
                            )
                            .label("no such field")
                            .help(suggest(&key.name, &names, "field")),
                        );
                    }
                }
            }
            for (i, f) in fields.iter().enumerate() {
                if record[i].is_none() && !written[i] {
                    match &f.default {
                        Some(d) => record[i] = Some(d.clone()),
                        None if f.optional => {}
                        None => self.errors.push(
                            Diagnostic::new("facts::missing", format!("`{}` needs `{}`", def.name, f.name), item.span)
                                .label(format!("`{}` is missing in this element", f.name))
                                .help(format!(
                                    "add `{} = …`{}",
                                    f.name,
                                    f.doc.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
                                )),
                        ),
                    }
                }
            }
            let field_spans = fields.iter().map(|f| table.get(&f.name).map(|n| n.span)).collect();
            self.facts.record_spans[list as usize].push((item.span, field_spans));
            self.facts.lists[list as usize].push(record);
        }
    }

    fn finish(mut self, root: Span) -> Result<Facts, Diagnostics> {
        for (i, def) in self.prog.facts.iter().enumerate() {
            if self.facts.spans[i].is_some() || def.records.is_some() {
                continue;
            }
            if let Some(d) = &def.default {
                self.facts.values[i] = Some(d.clone());
                self.facts.defaulted[i] = true;
            } else if !def.optional && !self.misspelt.contains(&def.name) {
                let group = def.name.rsplit_once('.').map(|(g, _)| g);
                let at = group
                    .and_then(|g| self.groups.iter().find(|(n, _)| *n == g))
                    .map_or(Span::new(root.src, 0, 0), |(_, s)| *s);
                let (table, key) = def.name.rsplit_once('.').unwrap_or(("", &def.name));
                let place = if table.is_empty() { String::new() } else { format!(" to `{table}`") };
                self.errors.push(
                    Diagnostic::new(
                        "facts::missing",
                        format!("the scenario does not give `{}`, which this rulebook requires", def.name),
                        at,
                    )
                    .label("required fact missing")
                    .help(format!(
                        "add `{key} = …`{place}{}",
                        def.doc.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
                    )),
                );
            }
        }
        self.errors.finish(self.facts)
    }
}
