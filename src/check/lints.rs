//! Lints: what a checked rulebook says that its author probably did not
//! mean. Each is a [warning](crate::diagnostic::Severity::Warning): the
//! rulebook still evaluates, but a rule never gives a reason, a condition is
//! always true, or two rules apply together with nothing to choose between
//! them. `verdict check` reports them; `--deny-warnings` makes them errors.

use super::ir::{Cmp, Ir, Op, Slot};
use super::Program;
use crate::diagnostic::Diagnostic;
use crate::source::SourceMap;
use crate::text::Text;
use crate::value::{Type, WEEKDAY};
use std::collections::BTreeSet;

/// Every lint of one checked version of a rulebook.
pub fn lints(prog: &Program, sources: &SourceMap) -> Vec<Diagnostic> {
    let mut out = Vec::new();
    for rule in &prog.rules {
        if rule.because.is_none() {
            out.push(
                Diagnostic::new("lint::no-because", format!("rule `{}` gives no reason", rule.id), rule.span)
                    .label("no `because`")
                    .help("add because = \"…\": the reason a person reads in the explanation, in plain words")
                    .warning(),
            );
        }
        for ir in rule.when.iter().chain(std::iter::once(&rule.value)) {
            always_given(prog, ir, &mut out);
        }
    }
    for check in &prog.checks {
        always_given(prog, &check.require, &mut out);
    }
    same_conditions(prog, sources, &mut out);
    duplicate_tests(prog, &mut out);
    dates_without_date_fact(prog, &mut out);
    missing_translations(prog, &mut out);
    missing_labels(prog, &mut out);
    out
}

/// Every text a person reads, with what it is (for the lint's message).
fn texts(prog: &Program) -> Vec<(String, &Text)> {
    let mut out = vec![("the title".to_string(), &prog.meta.title)];
    fn docs<'p>(what: &str, name: &str, doc: &'p Option<Text>) -> Option<(String, &'p Text)> {
        doc.as_ref().map(|d| (format!("the doc of {what} `{name}`"), d))
    }
    for f in prog.facts.iter().chain(prog.lists.iter().flat_map(|l| l.fields.iter())) {
        out.extend(docs("fact", &f.name, &f.doc));
    }
    out.extend(prog.options.iter().filter_map(|o| docs("option", &o.name, &o.doc)));
    out.extend(prog.tables.iter().filter_map(|t| docs("table", &t.name, &t.doc)));
    for t in &prog.tables {
        out.extend(
            t.notes.iter().map(|(from, n)| (format!("the note of the row of table `{}` from {from}", t.name), n)),
        );
    }
    out.extend(prog.conclusions.iter().filter_map(|c| docs("conclusion", &c.name, &c.doc)));
    for r in &prog.rules {
        out.extend(r.because.as_ref().map(|b| (format!("the `because` of rule `{}`", r.id), b)));
    }
    for c in &prog.checks {
        out.push((format!("the message of check `{}`", c.id), &c.message));
        out.extend(c.hint.as_ref().map(|h| (format!("the hint of check `{}`", c.id), h)));
    }
    for (sym, t) in &prog.labels.values {
        out.push((format!("the label of `{}`", prog.symbols.name(*sym)), t));
    }
    for (c, event, t) in &prog.labels.events {
        out.push((format!("the label of event \"{event}\" of `{}`", prog.conclusions[*c as usize].name), t));
    }
    for l in &prog.letters {
        out.push((format!("the title of letter `{}`", l.name), &l.title));
        out.push((format!("the body of letter `{}`", l.name), &l.body));
    }
    out
}

/// Once a rulebook labels some values: a label not given in its first
/// language (a plain string is) and a value of a declared enumeration with no
/// label, each shown as its identifier in every language; and timeline
/// events without a label.
fn missing_labels(prog: &Program, out: &mut Vec<Diagnostic>) {
    let langs = &prog.meta.languages;
    missing_event_labels(prog, out);
    if langs.len() < 2 {
        return;
    }
    let first = langs.first().map(String::as_str);
    let example = langs.iter().map(|l| format!("{l} = \"…\"")).collect::<Vec<_>>().join(", ");
    if let Some(first) = first {
        for (sym, t) in &prog.labels.values {
            if t.get(first, Some(first)).is_none() {
                out.push(
                    Diagnostic::new(
                        "lint::missing-translation",
                        format!("the label of `{}` is not given in `{first}`", prog.symbols.name(*sym)),
                        t.span,
                    )
                    .label(format!("no `{first}`"))
                    .help(format!(
                        "add {first} = \"…\" to this label; without it `--lang {first}` shows the identifier"
                    ))
                    .warning(),
                );
            }
        }
    }
    let mut seen = Vec::new();
    let declared = prog
        .options
        .iter()
        .map(|o| (&o.name, &o.ty, o.span))
        .chain(prog.facts.iter().map(|f| (&f.name, &f.ty, f.span)))
        .chain(prog.lists.iter().flat_map(|l| l.fields.iter().map(|f| (&f.name, &f.ty, f.span))))
        .chain(prog.conclusions.iter().map(|c| (&c.name, &c.ty, c.span)));
    for (name, ty, span) in declared {
        let e = match ty {
            Type::Enum(e) => *e,
            Type::List(inner) => match **inner {
                Type::Enum(e) => e,
                _ => continue,
            },
            _ => continue,
        };
        if e == WEEKDAY {
            continue;
        }
        for sym in prog.symbols.values(e) {
            if prog.labels.value(*sym).is_some() || seen.contains(sym) {
                continue;
            }
            seen.push(*sym);
            let value = prog.symbols.name(*sym);
            out.push(
                Diagnostic::new(
                    "lint::missing-translation",
                    format!("the value `{value}` of `{name}` has no label"),
                    span,
                )
                .label("a value without a label")
                .help(format!(
                    "add labels.{value} = {{ {example} }} to this declaration; until then every language shows `{value}`"
                ))
                .warning(),
            );
        }
    }
}

/// With several languages, a timeline event with no label: `--lang` shows it
/// as the rule writes it, in the first language.
fn missing_event_labels(prog: &Program, out: &mut Vec<Diagnostic>) {
    let langs = &prog.meta.languages;
    if langs.len() < 2 {
        return;
    }
    for (i, c) in prog.conclusions.iter().enumerate() {
        if c.ty != Type::Timeline {
            continue;
        }
        for event in super::labels::events_of(prog, i as u32) {
            if prog.labels.event(i as u32, &event).is_none() {
                out.push(
                    Diagnostic::new(
                        "lint::missing-translation",
                        format!("the event \"{event}\" of `{}` has no label", c.name),
                        c.span,
                    )
                    .label("an event without a label")
                    .help(format!(
                        "add labels.\"{event}\" = {{ {} }} to this declaration; until then `--lang` shows the event as written, marked",
                        langs[1..].iter().map(|l| format!("{l} = \"…\"")).collect::<Vec<_>>().join(", ")
                    ))
                    .warning(),
                );
            }
        }
    }
}

/// A text not given in a language the rulebook declares. A language no text
/// is given in yet gets one lint for the whole rulebook, not one per text.
fn missing_translations(prog: &Program, out: &mut Vec<Diagnostic>) {
    let langs = &prog.meta.languages;
    let Some(first) = langs.first().map(String::as_str) else { return };
    let texts = texts(prog);
    for lang in &langs[1..] {
        let missing: Vec<&(String, &Text)> = texts.iter().filter(|(_, t)| t.get(lang, Some(first)).is_none()).collect();
        if missing.is_empty() {
            continue;
        }
        if missing.len() == texts.len() {
            out.push(
                Diagnostic::new(
                    "lint::missing-translation",
                    format!("the rulebook declares `{lang}` but gives none of its {} texts in it", texts.len()),
                    prog.meta.title.span,
                )
                .label(format!("no text in `{lang}`"))
                .help(format!(
                    "write each text as {{ {first} = \"…\", {lang} = \"…\" }}, or drop `{lang}` from `languages`; \
                     until then `--lang {lang}` shows the {first} text marked [{first}]"
                ))
                .warning(),
            );
            continue;
        }
        for (what, t) in missing {
            out.push(
                Diagnostic::new("lint::missing-translation", format!("{what} is not given in `{lang}`"), t.span)
                    .label(format!("no `{lang}`"))
                    .help(format!(
                        "add {lang} = \"…\" to this text (the rulebook declares `{lang}`); `--lang {lang}` shows the {first} text marked [{first}]"
                    ))
                    .warning(),
            );
        }
    }
}

/// `F is given` / `F is absent` of a fact every scenario must give.
fn always_given(prog: &Program, ir: &Ir, out: &mut Vec<Diagnostic>) {
    walk(ir, &mut |e| {
        let Op::Given(inner, absent) = &e.op else { return };
        let Op::Load(slot) = inner.op else { return };
        let fact = match slot {
            Slot::Fact(f) => &prog.facts[f as usize],
            Slot::Field(l, f) => &prog.lists[l as usize].fields[f as usize],
            _ => return,
        };
        if fact.optional || fact.default.is_some() {
            return;
        }
        let (what, always) = if *absent { ("is absent", "false") } else { ("is given", "true") };
        out.push(
            Diagnostic::new(
                "lint::always-given",
                format!("`{} {what}` is always {always}: every scenario must give `{}`", fact.name, fact.name),
                e.span,
            )
            .label(format!("always {always}"))
            .help(format!(
                "declare `{}` with optional = true if a scenario may leave it out, or drop the test of it",
                fact.name
            ))
            .warning(),
        );
    });
}

/// Calls `f` on `ir` and every expression inside it.
fn walk(ir: &Ir, f: &mut dyn FnMut(&Ir)) {
    f(ir);
    match &ir.op {
        Op::Not(a) | Op::Neg(a) | Op::Given(a, _) => walk(a, f),
        Op::And(a, b) | Op::Or(a, b) | Op::Otherwise(a, b) | Op::Cmp(_, a, b) | Op::Arith(_, a, b) => {
            walk(a, f);
            walk(b, f);
        }
        Op::OneOf(a, set, _) => {
            walk(a, f);
            set.iter().for_each(|x| walk(x, f));
        }
        Op::If(c, a, b) => {
            walk(c, f);
            walk(a, f);
            walk(b, f);
        }
        // the rest hold no condition on a fact's presence worth a lint
        _ => {}
    }
}

/// A condition as a set of conjuncts, each in a canonical text: `and`
/// flattened and ordered, `is one of (x)` written as `= x`, a list of values
/// ordered, whitespace collapsed; anything else as written.
fn conjuncts(ir: &Ir, sources: &SourceMap) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    fn flatten<'a>(ir: &'a Ir, parts: &mut Vec<&'a Ir>) {
        match &ir.op {
            Op::And(a, b) => {
                flatten(a, parts);
                flatten(b, parts);
            }
            _ => parts.push(ir),
        }
    }
    let mut parts = Vec::new();
    flatten(ir, &mut parts);
    for p in parts {
        out.insert(canonical(p, sources));
    }
    out
}

fn canonical(ir: &Ir, sources: &SourceMap) -> String {
    let text = |ir: &Ir| sources.snippet(ir.span).split_whitespace().collect::<Vec<_>>().join(" ");
    match &ir.op {
        Op::OneOf(v, set, negated) if set.len() == 1 => {
            format!("{} {} {}", text(v), if *negated { "!=" } else { "=" }, text(&set[0]))
        }
        Op::OneOf(v, set, negated) => {
            let mut values: Vec<String> = set.iter().map(text).collect();
            values.sort();
            format!("{} {} ({})", text(v), if *negated { "not in" } else { "in" }, values.join(", "))
        }
        Op::Cmp(op @ (Cmp::Eq | Cmp::Ne), a, b) => {
            format!("{} {} {}", text(a), if *op == Cmp::Eq { "=" } else { "!=" }, text(b))
        }
        Op::And(..) => {
            let parts: Vec<String> = conjuncts(ir, sources).into_iter().collect();
            format!("({})", parts.join(" and "))
        }
        Op::Or(a, b) => {
            let mut parts = [canonical(a, sources), canonical(b, sources)];
            parts.sort();
            format!("({} or {})", parts[0], parts[1])
        }
        _ => text(ir),
    }
}

/// Two rules of one conclusion with the same condition, or one whose
/// condition implies the other's (A and B versus A), neither overriding the
/// other: whenever the narrower applies both do, and evaluation stops with a
/// conflict unless their values agree.
fn same_conditions(prog: &Program, sources: &SourceMap, out: &mut Vec<Diagnostic>) {
    let conditions: Vec<BTreeSet<String>> =
        prog.rules.iter().map(|r| r.when.as_ref().map(|w| conjuncts(w, sources)).unwrap_or_default()).collect();
    for (i, a) in prog.rules.iter().enumerate() {
        for (j, b) in prog.rules.iter().enumerate().skip(i + 1) {
            if a.conclusion != b.conclusion {
                continue;
            }
            let (ai, bj) = (i as u32, j as u32);
            if a.defeats.contains(&bj) || a.defeaters.contains(&bj) || b.defeats.contains(&ai) {
                continue;
            }
            let (ca, cb) = (&conditions[i], &conditions[j]);
            let conclusion = &prog.conclusions[a.conclusion as usize].name;
            let (code, message, wide, narrow) = if ca == cb {
                let m = format!("rules `{}` and `{}` decide `{conclusion}` under the same condition", a.id, b.id);
                ("lint::same-condition", m, a, b)
            } else if ca.is_subset(cb) {
                let m = format!(
                    "whenever rule `{}` applies, rule `{}` applies too (both decide `{conclusion}`)",
                    b.id, a.id
                );
                ("lint::implied-condition", m, a, b)
            } else if cb.is_subset(ca) {
                let m = format!(
                    "whenever rule `{}` applies, rule `{}` applies too (both decide `{conclusion}`)",
                    a.id, b.id
                );
                ("lint::implied-condition", m, b, a)
            } else {
                continue;
            };
            out.push(
                Diagnostic::new(code, message, narrow.span)
                    .label("neither overrides the other")
                    .also(wide.span, "the other rule")
                    .help(format!(
                        "say which wins: overrides = \"{}\" in rule `{}` (the exception overrides the general rule), or make the conditions exclusive",
                        wide.id, narrow.id
                    ))
                    .warning(),
            );
        }
    }
}

/// Two tests with one name: the report cannot tell them apart.
/// `effective_until` or `before` in a rulebook without `date_fact`: they only
/// act when the version is chosen by a scenario's date, so here they choose
/// and refuse nothing. `effective_from` alone is not flagged: a single open
/// version states with it since when it is in force (docs/LANGUAGE.md).
fn dates_without_date_fact(prog: &Program, out: &mut Vec<Diagnostic>) {
    let m = &prog.meta;
    if m.date_fact.is_some() {
        return;
    }
    // name one of this rulebook's own date facts in the fix
    let example = prog.facts.iter().find(|f| f.ty == Type::Date).map_or("contract.concluded_on", |f| f.name.as_str());
    let help = format!("add date_fact = \"{example}\" (the fact whose date decides) to [rulebook]");
    if let (Some(until), Some(span)) = (m.effective_until, m.effective_until_span) {
        out.push(
            Diagnostic::new(
                "lint::no-date-fact",
                format!("`effective_until = {until}` refuses nothing: without `date_fact`, a scenario of any date is evaluated"),
                span,
            )
            .label("no `date_fact` in [rulebook]")
            .help(format!("{help}, so that a scenario after {until} is refused; or drop effective_until"))
            .warning(),
        );
    }
    if let Some(before) = &m.before {
        out.push(
            Diagnostic::new(
                "lint::no-date-fact",
                "`before` is never shown: without `date_fact`, no scenario is refused for its date",
                before.span,
            )
            .label("no `date_fact` in [rulebook]")
            .help(format!(
                "{help}, so that a scenario before effective_from is refused with this message; or drop `before`"
            ))
            .warning(),
        );
    }
}

fn duplicate_tests(prog: &Program, out: &mut Vec<Diagnostic>) {
    for (i, t) in prog.tests.iter().enumerate() {
        if let Some(first) = prog.tests[..i].iter().find(|u| u.name == t.name) {
            out.push(
                Diagnostic::new("lint::duplicate-test", format!("two tests are named `{}`", t.name), t.span)
                    .label("the second")
                    .also(first.span, "the first")
                    .help("give each test its own name: `verdict test` reports and `--filter` selects tests by name")
                    .warning(),
            );
        }
    }
}
