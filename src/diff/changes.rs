//! What changed in the source between two versions of a rulebook: options'
//! defaults, rules (added, removed, their condition, value, ranking or
//! citation), dated tables and calendar holidays. `verdict diff` lists them
//! beside the verdicts that moved, and names the change behind each rule it
//! holds responsible, so a reviewer sees the edit, not only its effect.

use crate::check::ir::{Ir, Op, Slot};
use crate::source::SourceMap;
use crate::time::Calendar;
use crate::Program;

/// One change in the source.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceChange {
    /// What kind of thing changed: `option`, `rule`, `table` or `holiday`.
    pub kind: &'static str,
    /// Its name (an option's or table's name, a rule's id, a holiday's name).
    pub name: String,
    /// How it changed.
    pub edit: Edit,
}

/// How a thing changed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    /// Only the new version has it.
    Added,
    /// Only the old version has it.
    Removed,
    /// An option's default, as each version writes it.
    Default {
        /// The old default.
        was: String,
        /// The new default.
        now: String,
    },
    /// The parts that differ: for a rule `conclusion`, `condition`, `value`,
    /// `overridden by` (the rules that override it), `cite`; for a table `rows`; for a holiday `day`,
    /// `weekend move`, `years`, `option`.
    Parts(Vec<&'static str>),
}

impl Edit {
    /// In English, as the JSON report gives it (`added`, `default false → true`, `condition, value`).
    pub fn describe(&self) -> String {
        match self {
            Edit::Added => "added".into(),
            Edit::Removed => "removed".into(),
            Edit::Default { was, now } => format!("default {was} → {now}"),
            Edit::Parts(parts) => parts.join(", "),
        }
    }
}

/// Every change in the source from `old` to `new`, options first, then
/// rules, tables and holidays, each in the new file's order (removed ones
/// after). `sources` holds both files (a rule's condition and value are
/// compared as written, spacing aside).
pub fn source_changes(old: &Program, new: &Program, sources: &SourceMap) -> Vec<SourceChange> {
    let mut out = Vec::new();
    let mut push = |kind, name: &str, edit: Edit| out.push(SourceChange { kind, name: name.to_string(), edit });
    // options
    for n in &new.options {
        match old.options.iter().find(|o| o.name == n.name) {
            None => push("option", &n.name, Edit::Added),
            Some(o) => {
                // as the rulebook writes it (`true`, `start_day`, `0.04`)
                let written = |v: &crate::Value, p: &Program| match v.to_json(&p.symbols) {
                    serde_json::Value::String(s) => s,
                    other => other.to_string(),
                };
                let (was, now) = (written(&o.default, old), written(&n.default, new));
                if was != now {
                    push("option", &n.name, Edit::Default { was, now });
                }
            }
        }
    }
    for o in old.options.iter().filter(|o| !new.options.iter().any(|n| n.name == o.name)) {
        push("option", &o.name, Edit::Removed);
    }
    // rules
    let text = |span: crate::source::Span| sources.snippet(span).split_whitespace().collect::<Vec<_>>().join(" ");
    let ranked = |p: &Program, r: &crate::check::RuleDef| {
        let mut ids: Vec<String> = r.defeaters.iter().map(|d| p.rules[*d as usize].id.clone()).collect();
        ids.sort_unstable();
        ids
    };
    for n in &new.rules {
        let Some(o) = old.rules.iter().find(|o| o.id == n.id) else {
            push("rule", &n.id, Edit::Added);
            continue;
        };
        let mut parts = Vec::new();
        if old.conclusions[o.conclusion as usize].name != new.conclusions[n.conclusion as usize].name {
            parts.push("conclusion");
        }
        if o.when.as_ref().map(|w| text(w.span)) != n.when.as_ref().map(|w| text(w.span)) {
            parts.push("condition");
        }
        if text(o.value.span) != text(n.value.span) {
            parts.push("value");
        }
        if ranked(old, o) != ranked(new, n) {
            parts.push("overridden by");
        }
        if o.cite != n.cite {
            parts.push("cite");
        }
        if !parts.is_empty() {
            push("rule", &n.id, Edit::Parts(parts));
        }
    }
    for o in old.rules.iter().filter(|o| !new.rules.iter().any(|n| n.id == o.id)) {
        push("rule", &o.id, Edit::Removed);
    }
    // dated tables
    let rows = |p: &Program, t: &crate::check::TableDef| {
        t.rows.iter().map(|(d, v)| format!("{d} {}", v.display(&p.symbols))).collect::<Vec<_>>()
    };
    for n in &new.tables {
        match old.tables.iter().find(|o| o.name == n.name) {
            None => push("table", &n.name, Edit::Added),
            Some(o) if rows(old, o) != rows(new, n) => push("table", &n.name, Edit::Parts(vec!["rows"])),
            Some(_) => {}
        }
    }
    for o in old.tables.iter().filter(|o| !new.tables.iter().any(|n| n.name == o.name)) {
        push("table", &o.name, Edit::Removed);
    }
    // the calendar's holidays
    if let (Some(o), Some(n)) = (&old.calendar, &new.calendar) {
        holiday_changes(&o.calendar, &n.calendar, &mut push);
    }
    out
}

/// Holidays are matched whole first (a calendar may name several days
/// alike, as decreed bridge days), then by name among the rest.
fn holiday_changes(old: &Calendar, new: &Calendar, push: &mut impl FnMut(&'static str, &str, Edit)) {
    use crate::time::Holiday;
    let parts = |a: &Holiday, b: &Holiday| -> Vec<&'static str> {
        [
            (a.rule == b.rule, "day"),
            (a.if_saturday == b.if_saturday && a.if_sunday == b.if_sunday, "weekend move"),
            ((a.from, a.until) == (b.from, b.until), "years"),
            (a.option.as_ref().map(|x| &x.0) == b.option.as_ref().map(|x| &x.0), "option"),
        ]
        .into_iter()
        .filter(|(same, _)| !same)
        .map(|(_, part)| part)
        .collect()
    };
    let mut old_left: Vec<&Holiday> = old.holidays.iter().collect();
    let mut new_left = Vec::new();
    for n in &new.holidays {
        match old_left.iter().position(|o| o.name == n.name && parts(o, n).is_empty()) {
            Some(i) => drop(old_left.remove(i)),
            None => new_left.push(n),
        }
    }
    for n in new_left {
        match old_left.iter().position(|o| o.name == n.name) {
            Some(i) => {
                let o = old_left.remove(i);
                push("holiday", &n.name, Edit::Parts(parts(o, n)));
            }
            None => push("holiday", &n.name, Edit::Added),
        }
    }
    for o in old_left {
        push("holiday", &o.name, Edit::Removed);
    }
}

/// What in the source is behind rule `rule` of `new` having changed
/// verdicts, from `changes`: the rule's own change, or the changed options
/// and tables it reads, or the calendar's changed holidays for a rule that
/// counts a period. Empty when neither the rule nor what it reads directly
/// changed (the change then comes through a conclusion it reads).
pub fn change_behind<'c>(new: &Program, rule: &str, changes: &'c [SourceChange]) -> Vec<&'c SourceChange> {
    let is = |kind: &str, name: &str| changes.iter().find(|c| c.kind == kind && c.name == name);
    if let Some(c) = is("rule", rule) {
        return vec![c];
    }
    let Some(r) = new.rules.iter().find(|r| r.id == rule) else { return Vec::new() };
    let mut why: Vec<&SourceChange> = r
        .reads
        .iter()
        .filter_map(|s| match s {
            Slot::Option(o) => is("option", &new.options[*o as usize].name),
            _ => None,
        })
        .collect();
    let (mut tables, mut periods) = (Vec::new(), false);
    for ir in std::iter::once(&r.value).chain(&r.when) {
        visit(ir, &mut |e| match &e.op {
            Op::Lookup { table, .. } if !tables.contains(table) => tables.push(*table),
            Op::Interest(i) => {
                if let crate::check::ir::Rate::Table(t) = i.rate {
                    if !tables.contains(&t) {
                        tables.push(t);
                    }
                }
            }
            Op::Period { .. } | Op::Next { .. } => periods = true,
            _ => {}
        });
    }
    why.extend(tables.iter().filter_map(|t| is("table", &new.tables[*t as usize].name)));
    if periods {
        why.extend(changes.iter().filter(|c| c.kind == "holiday"));
    }
    why
}

fn visit(ir: &Ir, f: &mut dyn FnMut(&Ir)) {
    f(ir);
    ir.each_child(&mut |c| visit(c, f));
}

#[cfg(test)]
mod tests {
    use super::{change_behind, source_changes, Edit};
    use crate::{Rulebook, SourceMap};

    const OLD: &str = r#"[rulebook]
id = "x"
title = "x"
version = "1"

[sources]
A = "a"

[options.strict]
type = "bool"
default = false
doc = "x"

[tables.rate]
type = "decimal"
cite = "A 9"
rows = [{ from = 2020-01-01, value = "0.02" }]

[facts.order.paid]
type = "money"
[facts.order.on]
type = "date"

[conclusions.order.late]
type = "bool"
[conclusions.order.rate]
type = "decimal"

[[rules]]
id = "late.strict"
concludes = "order.late"
when = 'strict'
value = 'true'
because = "x"
cite = "A 1"

[[rules]]
id = "late.lenient"
concludes = "order.late"
value = 'false'
because = "x"
cite = "A 1"

[[rules]]
id = "rate"
concludes = "order.rate"
value = 'rate on order.on'
because = "x"
cite = "A 2"
"#;

    #[test]
    fn each_edit_is_named_and_found_behind_the_rules_that_read_it() {
        let new = OLD
            .replace("default = false", "default = true")
            .replace(r#"value = "0.02" }]"#, r#"value = "0.02" }, { from = 2026-01-01, value = "0.03" }]"#)
            .replace(
                "id = \"late.lenient\"\nconcludes = \"order.late\"\nvalue = 'false'",
                "id = \"late.lenient\"\nconcludes = \"order.late\"\nwhen = 'not strict'\nvalue = 'false'",
            )
            .replace("cite = \"A 2\"", "cite = \"A 3\"");
        let mut sources = SourceMap::new();
        let old = Rulebook::from_str(&mut sources, "old.toml", OLD).unwrap();
        let new = Rulebook::from_str(&mut sources, "new.toml", &new).unwrap();
        let changes = source_changes(&old.program, &new.program, &sources);
        let got: Vec<(&str, &str, String)> =
            changes.iter().map(|c| (c.kind, c.name.as_str(), c.edit.describe())).collect();
        assert_eq!(
            got,
            [
                ("option", "strict", "default false → true".to_string()),
                ("rule", "late.lenient", "condition".to_string()),
                ("rule", "rate", "cite".to_string()),
                ("table", "rate", "rows".to_string()),
            ]
        );
        // the unchanged rule that reads the option, and a changed rule that reads the table
        let behind =
            |rule| change_behind(&new.program, rule, &changes).iter().map(|c| c.name.clone()).collect::<Vec<_>>();
        assert_eq!(behind("late.strict"), ["strict"]);
        assert_eq!(behind("late.lenient"), ["late.lenient"]);
        assert_eq!(behind("rate"), ["rate"]);
        assert!(matches!(changes[0].edit, Edit::Default { .. }));
        // the same file twice: nothing changed
        let same = Rulebook::from_str(&mut sources, "same.toml", OLD).unwrap();
        assert!(source_changes(&old.program, &same.program, &sources).is_empty());
    }
}
