//! The text explanation a compliance officer reads: verdicts first, then for
//! each, which rule decided and why, with its source and any period steps.

use chrono::Datelike;
use std::fmt::Write;
use verdict::check::ir::Slot;
use verdict::eval::{Explanation, RuleStatus, Shown, Step};
use verdict::load::InForce;
use verdict::time::PeriodSteps;
use verdict::value::{money, Event};
use verdict::{Facts, Outcome, Program, SourceMap, Value, Verdicts};

pub struct Style {
    pub colour: bool,
}

impl Style {
    fn head(&self, s: &str) -> String {
        if self.colour {
            format!("\x1b[1m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

/// A label for element `i` of a list: its first text field, if any.
pub fn item_label(prog: &Program, facts: &Facts, list: u32, i: usize) -> String {
    let l = &prog.lists[list as usize];
    let text =
        l.fields.iter().position(|f| f.ty == verdict::value::Type::Text).and_then(|f| {
            facts.lists[list as usize].get(i).and_then(|r| r[f].as_ref()).map(|v| v.display(&prog.symbols))
        });
    match text {
        Some(t) => format!("{} {} “{t}”", l.element, i + 1),
        None => format!("{} {}", l.element, i + 1),
    }
}

fn value_text(prog: &Program, o: &Outcome) -> String {
    match o {
        Outcome::Value(Value::Timeline(events)) => {
            format!("a timeline of {} events (listed under Verdicts)", events.len())
        }
        Outcome::Value(v) => v.display(&prog.symbols),
        Outcome::Absent => "does not apply".into(),
        Outcome::Undetermined(n) => {
            format!("cannot decide: needs {}", n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", "))
        }
    }
}

/// A timeline as a dated list that can be read out on the phone.
fn timeline(out: &mut String, events: &[Event]) {
    for e in events {
        let when = match e.to {
            None => format!("{:<9} {}", weekday(e.from), e.from),
            Some(to) => format!("{:<9} {} to {} {}", weekday(e.from), e.from, weekday(to), to),
        };
        let _ = writeln!(out, "    {when}   {}", e.label);
    }
}

fn weekday(d: chrono::NaiveDate) -> &'static str {
    verdict::time::weekday_name(d.weekday())
}

/// One evaluated scenario, with where it came from.
pub struct Evaluated<'a> {
    pub prog: &'a Program,
    pub facts: &'a Facts,
    pub verdicts: &'a Verdicts,
    pub scenario: &'a str,
    pub in_force: Option<&'a InForce>,
}

pub fn render(e: &Evaluated, sources: &SourceMap, style: &Style) -> String {
    let (prog, facts, v) = (e.prog, e.facts, e.verdicts);
    let mut out = String::new();
    let m = &prog.meta;
    let _ = writeln!(out, "{}", style.head(&format!("{} — {} (version {})", m.id, m.title, m.version)));
    if let Some(f) = e.in_force {
        let from = f.from.map_or("the start".to_string(), |d| d.to_string());
        let until = f.until.map_or("further notice".to_string(), |d| d.to_string());
        let _ = writeln!(
            out,
            "version in force because {} = {} (this version applies from {from} until {until})",
            f.date_fact, f.date
        );
    }
    let _ = writeln!(out, "scenario: {}\n", e.scenario);
    let _ = writeln!(out, "{}", style.head("Verdicts"));
    let width = prog.conclusions.iter().filter(|c| !c.internal).map(|c| c.name.len()).max().unwrap_or(10) + 2;
    let mut undecided = Vec::new();
    for (i, c) in prog.conclusions.iter().enumerate() {
        if c.internal {
            continue;
        }
        match c.per_item {
            None => {
                let o = &v.global[i];
                if let Outcome::Undetermined(_) = o {
                    undecided.push(format!("{}: {}", c.name, value_text(prog, o)));
                    continue;
                }
                if *o == Outcome::Absent {
                    continue;
                }
                if let Outcome::Value(Value::Timeline(events)) = o {
                    let _ = writeln!(out, "  {}", c.name);
                    timeline(&mut out, events);
                    continue;
                }
                let _ = writeln!(out, "  {:<width$}{}", c.name, value_text(prog, o));
            }
            Some(list) => {
                if v.per_item[i].is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {}", c.name);
                for (k, o) in v.per_item[i].iter().enumerate() {
                    let label = item_label(prog, facts, list, k);
                    if let Outcome::Undetermined(_) = o {
                        undecided.push(format!("{} for {label}: {}", c.name, value_text(prog, o)));
                    }
                    let _ = writeln!(out, "    {:<w$}{}", label, value_text(prog, o), w = width.saturating_sub(2));
                }
            }
        }
    }
    if !undecided.is_empty() {
        let _ = writeln!(out, "\n{}", style.head("Cannot decide"));
        for u in undecided {
            let _ = writeln!(out, "  {u}");
        }
    }
    let _ = writeln!(out, "\n{}", style.head("Why"));
    let mut internal = String::new();
    let mut ordered: Vec<&Explanation> = v.trace.iter().collect();
    ordered.sort_by_key(|e| (e.conclusion, e.item));
    for e in ordered {
        let c = &prog.conclusions[e.conclusion as usize];
        if e.decided_by.is_none() && e.outcome == Outcome::Absent {
            continue;
        }
        let target = if c.internal { &mut internal } else { &mut out };
        explain_one(target, prog, facts, sources, e);
    }
    if !internal.is_empty() {
        let _ = writeln!(out, "{}", style.head("Intermediate results"));
        out.push_str(&internal);
    }
    let set: Vec<String> =
        prog.options.iter().map(|o| format!("{} = {}", o.name, o.default.display(&prog.symbols))).collect();
    if !set.is_empty() {
        let _ = writeln!(out, "{}", style.head("Options (defaults; change with --set name=value)"));
        for s in set {
            let _ = writeln!(out, "  {s}");
        }
    }
    out
}

pub fn explain_one(out: &mut String, prog: &Program, facts: &Facts, sources: &SourceMap, e: &Explanation) {
    let c = &prog.conclusions[e.conclusion as usize];
    let subject = match (e.item, c.per_item) {
        (Some(i), Some(l)) => format!("{} for {}", c.name, item_label(prog, facts, l, i)),
        _ => c.name.clone(),
    };
    let _ = writeln!(out, "{subject} = {}", value_text(prog, &e.outcome));
    if let Some(doc) = &c.doc {
        let _ = writeln!(out, "  ({doc})");
    }
    if let Some(r) = e.decided_by {
        let rule = &prog.rules[r as usize];
        match &rule.because {
            Some(b) => {
                let _ = writeln!(out, "  because: {b}");
            }
            None => {
                let _ = writeln!(out, "  decided by rule `{}`", rule.id);
            }
        }
        let _ = writeln!(out, "  source:  {}   [rule {}]", rule.cite, rule.id);
        let used: Vec<String> = e.inputs.iter().map(|(s, v)| input(prog, *s, v)).collect();
        if !used.is_empty() {
            let _ = writeln!(out, "  using:   {}", used.join("; "));
        }
    }
    for s in &e.steps {
        step(out, s);
    }
    let others: Vec<String> = e
        .others(prog)
        .map(|(id, st)| match st {
            RuleStatus::Applied => format!("`{id}` also applies"),
            RuleStatus::Overridden(by) => {
                format!("`{id}` applies but `{}` is an exception to it", prog.rules[*by as usize].id)
            }
            RuleStatus::NotApplicable { failed: Some(part) } => {
                let text = sources.snippet(part.span).split_whitespace().collect::<Vec<_>>().join(" ");
                let vals: Vec<String> = part.inputs.iter().map(|(s, v)| input(prog, *s, v)).collect();
                if vals.is_empty() {
                    format!("`{id}` does not apply: `{text}` is false")
                } else {
                    format!("`{id}` does not apply: `{text}` is false ({})", vals.join("; "))
                }
            }
            RuleStatus::NotApplicable { failed: None } => format!("`{id}` does not apply"),
            RuleStatus::Unknown(n) => {
                format!(
                    "`{id}` cannot be decided: needs {}",
                    n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", ")
                )
            }
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "  other rules:");
        for o in others {
            let _ = writeln!(out, "    - {o}");
        }
    }
    let _ = writeln!(out);
}

fn input(prog: &Program, s: Slot, v: &Shown) -> String {
    let shown = match v {
        Shown::Value(x) => x.clone(),
        Shown::NotGiven => "(not given)".into(),
        Shown::DoesNotApply => "(does not apply)".into(),
        Shown::CannotDecide(n) => {
            format!("(cannot decide: needs {})", n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", "))
        }
    };
    format!("{} = {shown}", prog.slot_name(s))
}

fn step(out: &mut String, s: &Step) {
    match s {
        Step::Period(p) => period(out, p),
        Step::Next { from, found, skipped } => {
            let _ = writeln!(out, "  next day found from {from}: {} {found}", weekday(*found));
            for k in skipped {
                let _ = writeln!(out, "    {} {} skipped: {}", weekday(k.day), k.day, k.why);
            }
        }
        Step::Tiers { amount, parts, total, money: is_money } => {
            let show = |d: &rust_decimal::Decimal| if *is_money { money(*d) } else { d.normalize().to_string() };
            let _ = writeln!(out, "  schedule applied to {}:", show(amount));
            for t in parts.iter().filter(|t| !t.portion.is_zero()) {
                let rate = (t.rate * rust_decimal::Decimal::ONE_HUNDRED).normalize();
                let _ = writeln!(out, "           {rate}% of {} = {}", show(&t.portion), show(&t.part.normalize()));
            }
            let _ = writeln!(out, "           total {}", show(&total.normalize()));
        }
        Step::Lookup { table, on, row_from, value, note } => {
            let note = note.as_ref().map_or(String::new(), |n| format!("; {n}"));
            let _ = writeln!(out, "  table {table} on {on}: {value} (the row in force from {row_from}{note})");
        }
        Step::Interest(i) => interest(out, i),
    }
}

fn interest(out: &mut String, i: &verdict::eval::InterestSteps) {
    // amounts in cents as money; exact values with more decimals to 6 (the rulebook rounds the result)
    let show = |d: &rust_decimal::Decimal| {
        if i.money && d.normalize().scale() <= 2 {
            money(*d)
        } else {
            d.round_dp(6).normalize().to_string()
        }
    };
    let rate = i.table.as_ref().map_or(String::new(), |t| format!(" at the rates of table {t}"));
    let yearly = if i.yearly { ", compounded yearly" } else { "" };
    let _ = writeln!(out, "  interest on {}{rate}{yearly}:", show(&i.amount));
    let mut added = i.compounded.iter().peekable();
    for g in &i.segments {
        while let Some((day, year, new)) = added.next_if(|(day, _, _)| *day <= g.from) {
            let _ = writeln!(
                out,
                "           {day}: the year's interest {} added, interest now on {}",
                show(year),
                show(new)
            );
        }
        let last = g.to.pred_opt().unwrap_or(g.to);
        let rate = (g.rate * rust_decimal::Decimal::ONE_HUNDRED).normalize();
        let _ = writeln!(
            out,
            "           {} to {last}: {} days × {rate}% / {} of {} = {}",
            g.from,
            g.days,
            g.basis,
            show(&g.principal),
            show(&g.part)
        );
    }
    let _ = writeln!(out, "           total {}", show(&i.total));
}

fn period(out: &mut String, p: &PeriodSteps) {
    let len = format!("{} {}", p.length, p.unit.name(p.length));
    let _ = writeln!(
        out,
        "  period:  {len} after {} {} (that day not counted; counting starts {} {})",
        weekday(p.event),
        p.event,
        weekday(p.first_day),
        p.first_day
    );
    for (from, to) in &p.paused {
        if p.restart {
            let _ = writeln!(out, "           stopped from {from} to {to}: the period runs again in full after {to}");
        } else {
            let _ = writeln!(out, "           paused from {from} to {to}");
        }
    }
    if p.paused_days > 0 {
        let _ = writeln!(out, "           {} days not counted while paused", p.paused_days);
    }
    for k in &p.not_counted {
        let _ = writeln!(out, "           {} {} not counted: not a working day ({})", weekday(k.day), k.day, k.why);
    }
    let _ = writeln!(out, "           last day by count: {} {}", weekday(p.raw_last), p.raw_last);
    for k in &p.skipped {
        let _ = writeln!(
            out,
            "           {} {} is not a working day ({}): moved to the next day",
            weekday(k.day),
            k.day,
            k.why
        );
    }
    if !p.shift {
        let _ = writeln!(out, "           (a contractual period: the last day is not moved for weekends or holidays)");
    }
    let _ = writeln!(out, "           period ends on {} {}", weekday(p.last), p.last);
}
