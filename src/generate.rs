//! Scenarios derived from two versions of a rulebook, for `verdict diff
//! --generate`: a typical base scenario, then variations of one fact at a
//! time (every enumeration value, both values of a flag, present and absent
//! optional facts, dates on and around each period's last day and each
//! holiday, amounts on and around each money constant and tier boundary),
//! then pairs of variations, up to a bound. A difference found is shrunk to
//! the fewest variations that still show it.

use crate::check::ir::Op;
use crate::check::{FactDef, Program};
use crate::diff::{compare, Change, Scenario};
use crate::eval::Step;
use crate::input::{Key, Node, NodeKind, Table};
use crate::source::Span;
use crate::time::shift;
use crate::value::Type;
use crate::value::Value;
use crate::Rulebook;
use chrono::{Datelike, NaiveDate};
use rust_decimal::Decimal;
use std::collections::BTreeMap;

/// A fact value in a generated scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Gen {
    /// Yes or no.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// An exact decimal number.
    Decimal(Decimal),
    /// An exact amount.
    Money(Decimal),
    /// A calendar day.
    Date(NaiveDate),
    /// A list of dates.
    Dates(Vec<NaiveDate>),
    /// Free text.
    Text(String),
    /// An enumeration value, by name.
    Enum(String),
}

/// One change to the base scenario.
#[derive(Clone, Debug, PartialEq)]
pub enum Edit {
    /// Sets a fact, by name.
    Set(String, Gen),
    /// Leaves a fact out, by name.
    Unset(String),
    /// A field of one element of a list of records.
    SetField(String, usize, String, Gen),
    /// Leaves a field of one element out: the list, the element (from 0), the field.
    UnsetField(String, usize, String),
    /// The number of elements of a list of records.
    Len(String, usize),
    /// Every date moved by this many days (relations between dates kept).
    ShiftAll(i64),
}

/// A generated scenario: the base plus edits.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Spec {
    /// Facts given once per scenario, by name.
    pub facts: BTreeMap<String, Gen>,
    /// Lists of records, by the list fact's name: one map of fields, by name, per element.
    pub lists: BTreeMap<String, Vec<BTreeMap<String, Gen>>>,
}

/// A difference found, with the smallest scenario that shows it.
pub struct Found {
    /// The fewest edits of the base that still show the difference.
    pub edits: Vec<Edit>,
    /// The base with those edits.
    pub spec: Spec,
    /// The difference, as that scenario shows it.
    pub change: Change,
}

/// The result of a generated comparison.
pub struct Generated {
    /// How many scenarios were compared, shrinking included.
    pub evaluated: usize,
    /// One per distinct difference (conclusion and responsible rule), in the order found.
    pub found: Vec<Found>,
}

/// The facts of both versions, by name (the new version's first).
fn schema<'a>(old: &'a Program, new: &'a Program) -> Vec<(&'a Program, &'a FactDef)> {
    let mut out: Vec<(&Program, &FactDef)> = new.facts.iter().map(|f| (new, f)).collect();
    for f in &old.facts {
        if !out.iter().any(|(_, g)| g.name == f.name) {
            out.push((old, f));
        }
    }
    out
}

fn typical(ty: &Type, prog: &Program, date: NaiveDate) -> Option<Gen> {
    Some(match ty {
        Type::Bool => Gen::Bool(false),
        Type::Int => Gen::Int(1),
        Type::Decimal => Gen::Decimal(Decimal::ONE),
        Type::Money => Gen::Money(Decimal::new(10000, 2)),
        Type::Date => Gen::Date(date),
        Type::Text => Gen::Text("x".into()),
        Type::Enum(e) => Gen::Enum(prog.symbols.value_names(*e).first()?.to_string()),
        Type::List(inner) if **inner == Type::Date => Gen::Dates(vec![date]),
        _ => return None,
    })
}

impl Spec {
    /// Applies edits in order.
    pub fn with(&self, edits: &[Edit]) -> Spec {
        let mut s = self.clone();
        for e in edits {
            match e {
                Edit::Set(k, v) => {
                    s.facts.insert(k.clone(), v.clone());
                }
                Edit::Unset(k) => {
                    s.facts.remove(k);
                }
                Edit::SetField(l, i, f, v) => {
                    if let Some(r) = s.lists.get_mut(l).and_then(|x| x.get_mut(*i)) {
                        r.insert(f.clone(), v.clone());
                    }
                }
                Edit::UnsetField(l, i, f) => {
                    if let Some(r) = s.lists.get_mut(l).and_then(|x| x.get_mut(*i)) {
                        r.remove(f);
                    }
                }
                Edit::Len(l, n) => {
                    if let Some(items) = s.lists.get_mut(l) {
                        let first = items.first().cloned().unwrap_or_default();
                        items.resize(*n, first);
                    }
                }
                Edit::ShiftAll(days) => {
                    let mv = |g: &mut Gen| match g {
                        Gen::Date(d) => *d = shift(*d, *days).unwrap_or(*d),
                        Gen::Dates(ds) => ds.iter_mut().for_each(|d| *d = shift(*d, *days).unwrap_or(*d)),
                        _ => {}
                    };
                    s.facts.values_mut().for_each(mv);
                    s.lists.values_mut().flatten().flat_map(|r| r.values_mut()).for_each(mv);
                }
            }
        }
        s
    }

    /// The scenario as a tree, as if read from its TOML file.
    pub fn node(&self) -> Node {
        fn leaf(g: &Gen) -> Node {
            let kind = match g {
                Gen::Bool(b) => NodeKind::Bool(*b),
                Gen::Int(i) => NodeKind::Int(*i),
                Gen::Decimal(d) | Gen::Money(d) => NodeKind::Str(d.to_string()),
                Gen::Date(d) => NodeKind::Date(*d),
                Gen::Dates(ds) => NodeKind::Array(ds.iter().map(|d| leaf(&Gen::Date(*d))).collect()),
                Gen::Text(t) | Gen::Enum(t) => NodeKind::Str(t.clone()),
            };
            Node { kind, span: Span::default() }
        }
        fn insert(t: &mut Table, path: &[&str], value: Node) {
            let key = |n: &str| Key { name: n.to_string(), span: Span::default() };
            if path.len() == 1 {
                t.entries.push((key(path[0]), value));
                return;
            }
            let pos = t.entries.iter().position(|(k, _)| k.name == path[0]);
            let i = pos.unwrap_or_else(|| {
                t.entries.push((key(path[0]), Node { kind: NodeKind::Table(Table::default()), span: Span::default() }));
                t.entries.len() - 1
            });
            if let NodeKind::Table(inner) = &mut t.entries[i].1.kind {
                insert(inner, &path[1..], value);
            }
        }
        let mut root = Table::default();
        for (k, v) in &self.facts {
            insert(&mut root, &k.split('.').collect::<Vec<_>>(), leaf(v));
        }
        for (k, items) in &self.lists {
            let records = items
                .iter()
                .map(|r| {
                    let mut t = Table::default();
                    for (f, v) in r {
                        insert(&mut t, &[f], leaf(v));
                    }
                    Node { kind: NodeKind::Table(t), span: Span::default() }
                })
                .collect();
            insert(
                &mut root,
                &k.split('.').collect::<Vec<_>>(),
                Node { kind: NodeKind::Array(records), span: Span::default() },
            );
        }
        Node { kind: NodeKind::Table(root), span: Span::default() }
    }

    /// The scenario as a TOML file.
    pub fn toml(&self) -> String {
        fn lit(g: &Gen) -> String {
            match g {
                Gen::Bool(b) => b.to_string(),
                Gen::Int(i) => i.to_string(),
                Gen::Decimal(d) | Gen::Money(d) => format!("\"{d}\""),
                Gen::Date(d) => d.to_string(),
                Gen::Dates(ds) => format!("[{}]", ds.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(", ")),
                Gen::Text(t) | Gen::Enum(t) => format!("{t:?}"),
            }
        }
        let mut groups: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (k, v) in &self.facts {
            let (g, key) = k.rsplit_once('.').unwrap_or(("", k));
            groups.entry(g.to_string()).or_default().push(format!("{key} = {}", lit(v)));
        }
        let mut out = String::new();
        if let Some(top) = groups.remove("") {
            top.iter().for_each(|l| out.push_str(&format!("{l}\n")));
            out.push('\n');
        }
        for (g, lines) in groups {
            out.push_str(&format!("[{g}]\n"));
            lines.iter().for_each(|l| out.push_str(&format!("{l}\n")));
            out.push('\n');
        }
        for (l, items) in &self.lists {
            for r in items {
                out.push_str(&format!("[[{l}]]\n"));
                r.iter().for_each(|(f, v)| out.push_str(&format!("{f} = {}\n", lit(v))));
                out.push('\n');
            }
        }
        out
    }
}

/// The typical scenario: every fact without a default has a typical value
/// (optional ones too: their absence is a variation), dates a few days apart
/// in declaration order from `anchor`, one element in each list.
pub fn base(old: &Program, new: &Program, anchor: NaiveDate) -> Spec {
    let mut spec = Spec::default();
    let mut day = 0;
    let mut next_date = || {
        let d = shift(anchor, day).unwrap_or(anchor);
        day += 2;
        d
    };
    for (prog, f) in schema(old, new) {
        if let Some(l) = f.records {
            let mut record = BTreeMap::new();
            for field in &prog.lists[l as usize].fields {
                if field.default.is_none() {
                    if let Some(v) = typical(&field.ty, prog, next_date()) {
                        record.insert(field.name.clone(), v);
                    }
                }
            }
            spec.lists.insert(f.name.clone(), vec![record]);
        } else if f.default.is_none() {
            if let Some(v) = typical(&f.ty, prog, next_date()) {
                spec.facts.insert(f.name.clone(), v);
            }
        }
    }
    spec
}

/// Numbers written in the rulebooks: durations in days, money amounts, dates,
/// and the cumulative boundaries of tiered schedules.
#[derive(Default)]
struct Constants {
    days: Vec<i64>,
    money: Vec<Decimal>,
    dates: Vec<NaiveDate>,
}

fn constants(progs: &[&Program]) -> Constants {
    fn walk(ir: &crate::check::ir::Ir, c: &mut Constants) {
        match &ir.op {
            Op::Const(Value::Duration(n, u)) => {
                use crate::time::Unit::*;
                let days = match u {
                    Days | WorkingDays => *n,
                    Weeks => n * 7,
                    Months => n * 30,
                    Years => n * 365,
                };
                c.days.push(days);
            }
            Op::Const(Value::Money(m)) => c.money.push(*m),
            Op::Const(Value::Date(d)) => c.dates.push(*d),
            Op::Tiered { tiers, .. } => {
                let mut total = Decimal::ZERO;
                for (_, size) in tiers {
                    if let Some(Op::Const(Value::Money(s) | Value::Decimal(s))) = size.as_ref().map(|s| &s.op) {
                        total += *s;
                        c.money.push(total);
                    }
                }
            }
            _ => {}
        }
        ir.each_child(&mut |ch| walk(ch, c));
    }
    let mut c = Constants::default();
    for p in progs {
        for r in &p.rules {
            if let Some(w) = &r.when {
                walk(w, &mut c);
            }
            walk(&r.value, &mut c);
        }
    }
    c.days.sort();
    c.days.dedup();
    c.money.sort();
    c.money.dedup();
    c.dates.sort();
    c.dates.dedup();
    c
}

/// Variations of one fact at a time.
fn single_edits(old: &Program, new: &Program, base: &Spec, anchor: NaiveDate) -> Vec<Vec<Edit>> {
    let consts = constants(&[old, new]);
    let mut out: Vec<Vec<Edit>> = Vec::new();
    let money_values = |out: &mut Vec<Vec<Edit>>, set: &dyn Fn(Gen) -> Edit| {
        let cent = Decimal::new(1, 2);
        for m in &consts.money {
            for v in [*m - cent, *m, *m + cent] {
                if v >= Decimal::ZERO {
                    out.push(vec![set(Gen::Money(v))]);
                }
            }
        }
    };
    let date_values = |out: &mut Vec<Vec<Edit>>, base_date: NaiveDate, set: &dyn Fn(Gen) -> Edit| {
        for d in &consts.days {
            for off in [d - 1, *d, d + 1] {
                if let Some(x) = shift(anchor, off) {
                    out.push(vec![set(Gen::Date(x))]);
                }
            }
        }
        for lit in &consts.dates {
            for off in [-1, 0, 1] {
                if let Some(x) = shift(*lit, off) {
                    out.push(vec![set(Gen::Date(x))]);
                }
            }
        }
        for off in [-1, 1, 3, 7] {
            if let Some(x) = shift(base_date, off) {
                out.push(vec![set(Gen::Date(x))]);
            }
        }
    };
    let vary = |prog: &Program,
                f: &FactDef,
                current: Option<&Gen>,
                set: &dyn Fn(Gen) -> Edit,
                unset: Edit,
                out: &mut Vec<Vec<Edit>>| {
        match &f.ty {
            Type::Bool => [true, false].iter().for_each(|b| out.push(vec![set(Gen::Bool(*b))])),
            Type::Enum(e) => {
                prog.symbols.value_names(*e).iter().for_each(|v| out.push(vec![set(Gen::Enum(v.to_string()))]))
            }
            Type::Money => money_values(out, set),
            Type::Int => [0, 1, 2, 3].iter().for_each(|i| out.push(vec![set(Gen::Int(*i))])),
            Type::Date => {
                let d = match current {
                    Some(Gen::Date(d)) => *d,
                    _ => anchor,
                };
                date_values(out, d, set)
            }
            Type::List(inner) if **inner == Type::Date => {
                out.push(vec![set(Gen::Dates(vec![anchor, shift(anchor, 5).unwrap_or(anchor)]))]);
            }
            _ => {}
        }
        if f.optional || f.default.is_some() {
            out.push(vec![unset]);
            if current.is_none() {
                if let Some(v) = typical(&f.ty, prog, shift(anchor, 4).unwrap_or(anchor)) {
                    out.push(vec![set(v)]);
                }
            }
        }
    };
    for (prog, f) in schema(old, new) {
        if let Some(l) = f.records {
            for n in [0, 2] {
                out.push(vec![Edit::Len(f.name.clone(), n)]);
            }
            for field in &prog.lists[l as usize].fields {
                let current = base.lists.get(&f.name).and_then(|r| r.first()).and_then(|r| r.get(&field.name));
                let (ln, fname) = (f.name.clone(), field.name.clone());
                let set = move |g: Gen| Edit::SetField(ln.clone(), 0, fname.clone(), g);
                let unset = Edit::UnsetField(f.name.clone(), 0, field.name.clone());
                vary(prog, field, current, &set, unset, &mut out);
            }
        } else {
            let name = f.name.clone();
            let set = move |g: Gen| Edit::Set(name.clone(), g);
            vary(prog, f, base.facts.get(&f.name), &set, Edit::Unset(f.name.clone()), &mut out);
        }
    }
    out.dedup();
    out
}

/// A day of every period computed for the base scenario by either version.
fn period_days(
    old: &Rulebook,
    new: &Rulebook,
    base: &Spec,
    day: fn(&crate::time::PeriodSteps) -> NaiveDate,
) -> Vec<NaiveDate> {
    let scenario = Scenario { name: String::new(), node: base.node(), set: Vec::new() };
    let mut days = Vec::new();
    for rb in [old, new] {
        if let crate::diff::Side::Evaluated { verdicts, .. } = crate::diff::evaluate(rb, &scenario) {
            for s in verdicts.trace.iter().flat_map(|e| e.steps.iter()) {
                if let Step::Period(p) = s {
                    days.push(day(p));
                }
            }
        }
    }
    days.sort();
    days.dedup();
    days
}

/// Moves of all dates that put a period's last day on each holiday and weekend
/// day near it, in either version's calendar.
fn boundary_edits(old: &Rulebook, new: &Rulebook, base: &Spec) -> Vec<Vec<Edit>> {
    let mut out = Vec::new();
    let lasts = period_days(old, new, base, |p| p.raw_last);
    let mut targets: Vec<NaiveDate> = Vec::new();
    for rb in [old, new] {
        if let Some(cal) = &rb.program.calendar {
            for last in &lasts {
                for year in [last.year(), last.year() + 1] {
                    for h in &cal.calendar.holidays {
                        if let Some(d) = h.date_in(year) {
                            targets.extend([d, shift(d, -1).unwrap_or(d)]);
                        }
                    }
                }
            }
        }
    }
    targets.sort();
    targets.dedup();
    for last in &lasts {
        for t in &targets {
            let delta = (*t - *last).num_days();
            if delta.abs() <= 400 && delta != 0 {
                out.push(vec![Edit::ShiftAll(delta)]);
            }
        }
        // a last day on a Saturday and on a Sunday
        let to_saturday = (5 - last.weekday().num_days_from_monday() as i64 + 7) % 7;
        out.push(vec![Edit::ShiftAll(to_saturday)]);
        out.push(vec![Edit::ShiftAll(to_saturday + 1)]);
    }
    out.dedup();
    out
}

/// Dates of other facts on, just before and just after each period's last day.
fn deadline_edits(old: &Rulebook, new: &Rulebook, base: &Spec) -> Vec<Vec<Edit>> {
    let lasts = period_days(old, new, base, |p| p.last);
    let mut out = Vec::new();
    let date_facts: Vec<String> = schema(&old.program, &new.program)
        .iter()
        .filter(|(_, f)| f.ty == Type::Date)
        .map(|(_, f)| f.name.clone())
        .collect();
    for name in &date_facts {
        for last in &lasts {
            for off in [-1, 0, 1] {
                if let Some(d) = shift(*last, off) {
                    out.push(vec![Edit::Set(name.clone(), Gen::Date(d))]);
                }
            }
        }
    }
    out
}

/// A difference identifies itself by the conclusion and the rule responsible.
fn key(c: &Change) -> (String, String) {
    (c.conclusion.clone(), c.responsible.clone())
}

/// Generates scenarios, compares both versions on each (at most `max_cases`),
/// and shrinks each distinct difference to the fewest edits that show it.
pub fn generate(old: &Rulebook, new: &Rulebook, anchor: NaiveDate, max_cases: usize) -> Generated {
    let base = base(&old.program, &new.program, anchor);
    let mut singles = vec![Vec::new()];
    singles.extend(single_edits(&old.program, &new.program, &base, anchor));
    singles.extend(deadline_edits(old, new, &base));
    singles.extend(boundary_edits(old, new, &base));
    let mut candidates: Vec<Vec<Edit>> = singles.clone();
    // pairs of single edits while the bound allows: choices (flags, enumeration
    // values, absent facts, list lengths) with each other first, as they are
    // few and decide which rules apply; then choices with dates and amounts
    let (choices, values): (Vec<&Vec<Edit>>, Vec<&Vec<Edit>>) =
        singles.iter().skip(1).partition(|e| e.iter().all(is_choice));
    type Side<'a> = &'a [&'a Vec<Edit>];
    let rounds: [(Side, Side); 3] = [(&choices, &choices), (&choices, &values), (&values, &values)];
    'pairs: for (left, right) in rounds {
        for (i, a) in left.iter().enumerate() {
            let same = std::ptr::eq(left, right);
            for b in right.iter().skip(if same { i + 1 } else { 0 }) {
                if candidates.len() >= max_cases {
                    break 'pairs;
                }
                if !conflicting(a, b) {
                    candidates.push(a.iter().chain(b.iter()).cloned().collect());
                }
            }
        }
    }
    candidates.truncate(max_cases);
    let run = |edits: &[Edit]| {
        let spec = base.with(edits);
        let scenario = Scenario { name: String::new(), node: spec.node(), set: Vec::new() };
        compare(old, new, scenario)
    };
    let mut found: Vec<Found> = Vec::new();
    let mut evaluated = 0;
    for edits in &candidates {
        evaluated += 1;
        let d = run(edits);
        for change in d.changes {
            let k = key(&change);
            if found.iter().any(|f| key(&f.change) == k) {
                continue;
            }
            // shrink: drop edits while the same difference remains
            let mut kept = edits.clone();
            let mut i = 0;
            while i < kept.len() {
                let mut fewer = kept.clone();
                fewer.remove(i);
                let again = run(&fewer);
                evaluated += 1;
                match again.changes.into_iter().find(|c| key(c) == k) {
                    Some(_) => kept = fewer,
                    None => i += 1,
                }
            }
            let last = run(&kept);
            let change = last.changes.into_iter().find(|c| key(c) == k).unwrap_or(change);
            found.push(Found { spec: base.with(&kept), edits: kept, change });
        }
    }
    Generated { evaluated, found }
}

/// A change between a few discrete possibilities (not a date or an amount).
fn is_choice(e: &Edit) -> bool {
    match e {
        Edit::Set(_, g) | Edit::SetField(_, _, _, g) => matches!(g, Gen::Bool(_) | Gen::Enum(_)),
        Edit::Unset(_) | Edit::UnsetField(..) | Edit::Len(..) => true,
        Edit::ShiftAll(_) => false,
    }
}

fn touches(e: &Edit) -> Option<String> {
    match e {
        Edit::Set(k, _) | Edit::Unset(k) => Some(k.clone()),
        Edit::SetField(l, _, f, _) | Edit::UnsetField(l, _, f) => Some(format!("{l}.{f}")),
        Edit::Len(l, _) => Some(l.clone()),
        Edit::ShiftAll(_) => Some("*dates".into()),
    }
}

fn conflicting(a: &[Edit], b: &[Edit]) -> bool {
    a.iter().any(|x| b.iter().any(|y| touches(x) == touches(y)))
}
