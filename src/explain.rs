//! The text explanation a compliance officer reads: verdicts first, then for
//! each, which rule decided and why, with its source and any period steps.

use crate::check::ir::Slot;
use crate::eval::{Explanation, RuleStatus, Shown, Step};
use crate::load::InForce;
use crate::text::{Lang, Locale, Text};
use crate::time::PeriodSteps;
use crate::value::Event;
use crate::{Facts, Outcome, Program, SourceMap, Value, Verdicts};
use chrono::Datelike;
use std::fmt::Write;

/// How the text is set: plain, or with terminal colours.
pub struct Style {
    /// Headings and values in ANSI colours (for a terminal).
    pub colour: bool,
}

/// The words an explanation is written in: the engine's (a message table),
/// the rulebook's texts in the chosen language, dates and amounts in its form.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    /// Dates, amounts and the engine's messages in the chosen language.
    pub loc: Locale,
    /// The language chosen with `--lang`; `None`: the rulebook's default texts.
    pub lang: Option<&'a str>,
    /// The rulebook's first declared language, the one a plain string is in.
    pub first: Option<&'a str>,
    /// The rulebook's calendar, for the names and citations of holidays.
    pub calendar: Option<&'a crate::time::Calendar>,
}

impl<'a> Words<'a> {
    /// The words for `prog`: English and its default texts without a language.
    pub fn new(prog: &'a Program, lang: Option<Lang>) -> Words<'a> {
        Words {
            loc: lang.map_or(Locale::default(), Locale::of),
            lang: lang.map(Lang::code),
            first: prog.meta.languages.first().map(String::as_str),
            calendar: prog.calendar.as_ref().map(|c| &c.calendar),
        }
    }

    /// The engine's message `key` in the chosen language.
    pub fn msg(&self, key: &str, args: &[(&str, &str)]) -> String {
        self.loc.msg(key, args)
    }

    /// A rulebook text in the chosen language; a missing one is the default
    /// text marked with its language (`[en] …`), never a silent fallback.
    pub fn text(&self, t: &Text) -> String {
        let Some(lang) = self.lang else { return t.to_string() };
        match t.in_lang(lang, self.first) {
            (text, None) => text.to_string(),
            (text, Some(of)) => self.msg("fallback", &[("lang", of), ("text", text)]),
        }
    }

    fn day(&self, d: chrono::NaiveDate) -> String {
        self.loc.day(d)
    }

    fn date(&self, d: chrono::NaiveDate) -> String {
        self.loc.date(d)
    }

    fn money(&self, d: rust_decimal::Decimal) -> String {
        self.loc.money(d)
    }

    /// A value as a person reads it; with a chosen language, dates, amounts
    /// and yes/no in its form.
    pub fn value(&self, prog: &Program, v: &Value) -> String {
        if !self.loc.long_forms {
            return v.display(&prog.symbols);
        }
        match v {
            Value::Bool(b) => self.loc.yes_no(*b),
            Value::Money(m) => self.money(*m),
            Value::Decimal(d) => self.loc.decimal(*d),
            Value::Date(d) => self.date(*d),
            Value::Interval(a, b) => self.msg("range", &[("from", &self.date(*a)), ("to", &self.date(*b))]),
            Value::Duration(n, u) => format!("{n} {}", self.unit(*u, *n)),
            Value::List(items) => items.iter().map(|x| self.value(prog, x)).collect::<Vec<_>>().join(", "),
            Value::Enum(s) => self.enum_value(prog, *s),
            _ => v.display(&prog.symbols),
        }
    }

    /// An option's value: as [`Words::value`] shows it, and a labelled
    /// enumeration value with the identifier `--set` takes after its label.
    fn option_value(&self, prog: &Program, v: &Value) -> String {
        let shown = self.value(prog, v);
        match v {
            Value::Enum(s) if shown != prog.symbols.name(*s) => format!("{shown} ({})", prog.symbols.name(*s)),
            _ => shown,
        }
    }

    /// An enumeration value: its label in the chosen language if the
    /// rulebook gives one, a weekday's name, else its identifier.
    fn enum_value(&self, prog: &Program, s: crate::value::Sym) -> String {
        let label = prog.labels.value(s).zip(self.lang).and_then(|(t, lang)| t.get(lang, self.first));
        if let Some(l) = label {
            return l.to_string();
        }
        let weekdays = prog.symbols.values(crate::value::WEEKDAY);
        match weekdays.iter().position(|w| *w == s).and_then(|i| chrono::Weekday::try_from(i as u8).ok()) {
            Some(day) => self.loc.weekday(day).to_string(),
            None => prog.symbols.name(s).to_string(),
        }
    }

    /// A value the trace recorded as text (`2026-03-23`, `yes`, `[no, yes]`),
    /// in the chosen language's form: read back by its type, shown as
    /// [`Words::value`] shows values, lists in brackets. Without a chosen
    /// language, or when it does not read as its type, it is shown as recorded.
    pub fn recorded(&self, prog: &Program, ty: &crate::value::Type, text: &str) -> String {
        if !self.loc.long_forms {
            return text.to_string();
        }
        match ty {
            crate::value::Type::List(inner) => match list_parts(text) {
                Some(parts) => {
                    let shown: Vec<String> = parts.iter().map(|p| self.recorded(prog, inner, p)).collect();
                    format!("[{}]", shown.join(", "))
                }
                None => text.to_string(),
            },
            _ => read_back(prog, ty, text).map_or_else(|| text.to_string(), |v| self.value(prog, &v)),
        }
    }

    /// A timeline event's label in the chosen language: the rulebook's
    /// `labels` of conclusion `c`, or the event as its rule writes it (in the
    /// first language; marked in another).
    fn event(&self, c: Option<crate::check::ir::ConcId>, prog: &Program, event: &str) -> String {
        let Some(lang) = self.lang else { return event.to_string() };
        let label = c.and_then(|c| prog.labels.event(c, event)).and_then(|t| t.get(lang, None));
        match label {
            Some(l) => l.to_string(),
            None if self.first.is_none_or(|f| f == lang) => event.to_string(),
            None => self.msg("fallback", &[("lang", self.first.unwrap_or("")), ("text", event)]),
        }
    }

    fn unit(&self, u: crate::time::Unit, n: i64) -> String {
        if !self.loc.long_forms {
            return u.name(n).to_string();
        }
        let base = match u {
            crate::time::Unit::Days => "day",
            crate::time::Unit::Weeks => "week",
            crate::time::Unit::Months => "month",
            crate::time::Unit::Years => "year",
            crate::time::Unit::WorkingDays => "working-day",
        };
        self.msg(&format!("{base}-{}", if n.abs() == 1 { "one" } else { "other" }), &[])
    }

    /// Why a day is not a working day, in the chosen language: the holiday's
    /// name from the calendar's `names` with the holiday's `cite`, or the weekday.
    fn why(&self, day: chrono::NaiveDate, why: &str) -> String {
        if !self.loc.long_forms {
            return why.to_string();
        }
        let named = self.calendar.and_then(|c| c.holidays_on(day).find(|h| h.name == why));
        if let Some(h) = named {
            let name = match (&h.names, self.lang) {
                (Some(names), Some(lang)) => match names.get(lang, None) {
                    Some(n) => n.to_string(),
                    None => self.msg("fallback", &[("lang", "?"), ("text", why)]),
                },
                _ => why.to_string(),
            };
            return match &h.cite {
                Some(cite) => format!("{name}, {cite}"),
                None => name,
            };
        }
        if why == crate::time::weekday_name(day.weekday()) {
            return self.loc.weekday(day.weekday()).to_string();
        }
        why.to_string()
    }
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

/// A label for element `i` of a list: its first text field, if any. An
/// element called `item` is called by the engine's word for it in a chosen
/// language; another element name is the rulebook's identifier.
pub fn item_label(w: &Words, prog: &Program, facts: &Facts, list: u32, i: usize) -> String {
    let l = &prog.lists[list as usize];
    let text =
        l.fields.iter().position(|f| f.ty == crate::value::Type::Text).and_then(|f| {
            facts.lists[list as usize].get(i).and_then(|r| r[f].as_ref()).map(|v| v.display(&prog.symbols))
        });
    let element = if l.element == "item" && w.lang.is_some() { w.msg("item", &[]) } else { l.element.clone() };
    match text {
        Some(t) => format!("{element} {} “{t}”", i + 1),
        None => format!("{element} {}", i + 1),
    }
}

/// The type of what a slot holds, to read its recorded value back.
fn slot_type(prog: &Program, s: Slot) -> Option<crate::value::Type> {
    use crate::value::Type;
    Some(match s {
        Slot::Fact(f) => prog.facts[f as usize].ty.clone(),
        Slot::Option(o) => prog.options[o as usize].ty.clone(),
        Slot::Conclusion(c) | Slot::ItemConclusion(c) => prog.conclusions[c as usize].ty.clone(),
        Slot::Field(l, f) => prog.lists[l as usize].fields[f as usize].ty.clone(),
        Slot::ListField(l, f) => Type::List(Box::new(prog.lists[l as usize].fields[f as usize].ty.clone())),
        Slot::ListConclusion(c) => Type::List(Box::new(prog.conclusions[c as usize].ty.clone())),
        Slot::Records(_) => return None,
    })
}

/// A value of type `ty` from the text [`Value::display`] wrote, `None` if it
/// does not read as one (a list, an interval or a timeline among them).
fn read_back(prog: &Program, ty: &crate::value::Type, text: &str) -> Option<Value> {
    use crate::value::Type;
    let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    Some(match ty {
        Type::Bool => match text {
            "yes" => Value::Bool(true),
            "no" => Value::Bool(false),
            _ => return None,
        },
        Type::Int => Value::Int(text.parse().ok()?),
        Type::Decimal => Value::Decimal(text.parse().ok()?),
        Type::Money => Value::Money(text.parse().ok()?),
        Type::Date => Value::Date(day(text)?),
        Type::Interval => {
            let (a, b) = text.split_once(" to ")?;
            Value::Interval(day(a)?, day(b)?)
        }
        Type::Duration => {
            let (n, unit) = text.split_once(' ')?;
            let n: i64 = n.parse().ok()?;
            use crate::time::Unit;
            let u = [Unit::Days, Unit::Weeks, Unit::Months, Unit::Years, Unit::WorkingDays]
                .into_iter()
                .find(|u| u.name(n) == unit)?;
            Value::Duration(n, u)
        }
        Type::Enum(e) => Value::Enum(prog.symbols.member(*e, text)?),
        _ => return None,
    })
}

/// The elements of a list as [`Value::display`] writes it (`[a, [b, c]]`),
/// split at the commas of its own level.
fn list_parts(text: &str) -> Option<Vec<&str>> {
    let inner = text.strip_prefix('[')?.strip_suffix(']')?;
    if inner.is_empty() {
        return Some(Vec::new());
    }
    let (mut parts, mut depth, mut start) = (Vec::new(), 0usize, 0);
    for (i, c) in inner.char_indices() {
        match c {
            '[' => depth += 1,
            ']' => depth = depth.checked_sub(1)?,
            ',' if depth == 0 => {
                parts.push(inner[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    parts.push(inner[start..].trim());
    Some(parts)
}

fn names(prog: &Program, n: &[crate::eval::Need]) -> String {
    n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", ")
}

fn value_text(w: &Words, prog: &Program, o: &Outcome) -> String {
    match o {
        Outcome::Value(Value::Timeline(events)) => w.msg("timeline-value", &[("count", &events.len().to_string())]),
        Outcome::Value(v) => w.value(prog, v),
        Outcome::Absent => w.msg("does-not-apply", &[]),
        Outcome::Undetermined(n) => w.msg("cannot-decide", &[("names", &names(prog, n))]),
    }
}

/// A timeline as a dated list that can be read out on the phone; the events
/// of conclusion `c` labelled in the chosen language.
fn timeline(w: &Words, prog: &Program, c: Option<crate::check::ir::ConcId>, out: &mut String, events: &[Event]) {
    let whens: Vec<String> = events
        .iter()
        .map(|e| match (e.to, w.loc.long_forms) {
            (None, false) => format!("{:<9} {}", w.loc.weekday(e.from.weekday()), e.from),
            (Some(to), false) => {
                format!("{:<9} {} to {} {}", w.loc.weekday(e.from.weekday()), e.from, w.loc.weekday(to.weekday()), to)
            }
            (None, true) => w.date(e.from),
            (Some(to), true) => w.msg("range", &[("from", &w.date(e.from)), ("to", &w.date(to))]),
        })
        .collect();
    // long dates differ in length: the events start in one column
    let width = if w.loc.long_forms { whens.iter().map(|x| x.chars().count()).max().unwrap_or(0) } else { 0 };
    for (e, when) in events.iter().zip(whens) {
        let _ = writeln!(out, "    {when:<width$}   {}", w.event(c, prog, &e.label));
    }
}

/// One evaluated scenario, with where it came from.
pub struct Evaluated<'a> {
    /// The rulebook version that decided.
    pub prog: &'a Program,
    /// The scenario's facts.
    pub facts: &'a Facts,
    /// What it decided, with the trace (the explanation is written from it).
    pub verdicts: &'a Verdicts,
    /// The scenario's name (its file), for the heading.
    pub scenario: &'a str,
    /// Why this version was chosen, when the rulebook has several.
    pub in_force: Option<&'a InForce>,
    /// The options it was evaluated with (`None`: the defaults).
    pub options: Option<&'a crate::OptionValues>,
}

/// The whole text explanation of one scenario: the verdicts, then each
/// conclusion with its rule, `because`, source, inputs and steps.
pub fn render(e: &Evaluated, sources: &SourceMap, style: &Style, w: &Words) -> String {
    let (prog, facts, v) = (e.prog, e.facts, e.verdicts);
    let mut out = String::new();
    let m = &prog.meta;
    let title = w.msg("title", &[("id", &m.id), ("title", &w.text(&m.title)), ("version", &m.version)]);
    let _ = writeln!(out, "{}", style.head(&title));
    if let Some(f) = e.in_force {
        let from = f.from.map_or(w.msg("in-force-start", &[]), |d| w.date(d));
        let date = w.date(f.date);
        let line = match f.until {
            Some(until) => w.msg(
                "in-force",
                &[("fact", &f.date_fact), ("date", &date), ("from", &from), ("until", &w.date(until))],
            ),
            None => w.msg("in-force-open", &[("fact", &f.date_fact), ("date", &date), ("from", &from)]),
        };
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(out, "{}\n", w.msg("scenario", &[("name", e.scenario)]));
    let _ = writeln!(out, "{}", style.head(&w.msg("heading-verdicts", &[])));
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
                    undecided.push(format!("{}: {}", c.name, value_text(w, prog, o)));
                    continue;
                }
                if *o == Outcome::Absent {
                    continue;
                }
                if let Outcome::Value(Value::Timeline(events)) = o {
                    let _ = writeln!(out, "  {}", c.name);
                    timeline(w, prog, Some(i as crate::check::ir::ConcId), &mut out, events);
                    continue;
                }
                let _ = writeln!(out, "  {:<width$}{}", c.name, value_text(w, prog, o));
            }
            Some(list) => {
                if v.per_item[i].is_empty() {
                    continue;
                }
                let _ = writeln!(out, "  {}", c.name);
                for (k, o) in v.per_item[i].iter().enumerate() {
                    let label = item_label(w, prog, facts, list, k);
                    if let Outcome::Undetermined(_) = o {
                        let what = w.msg("for-item", &[("what", &c.name), ("item", &label)]);
                        undecided.push(format!("{what}: {}", value_text(w, prog, o)));
                    }
                    let _ = writeln!(out, "    {:<w$}{}", label, value_text(w, prog, o), w = width.saturating_sub(2));
                }
            }
        }
    }
    if !undecided.is_empty() {
        let _ = writeln!(out, "\n{}", style.head(&w.msg("heading-undecided", &[])));
        for u in undecided {
            let _ = writeln!(out, "  {u}");
        }
    }
    let _ = writeln!(out, "\n{}", style.head(&w.msg("heading-why", &[])));
    let mut internal = String::new();
    let mut ordered: Vec<&Explanation> = v.trace.iter().collect();
    ordered.sort_by_key(|e| (e.conclusion, e.item));
    for e in ordered {
        let c = &prog.conclusions[e.conclusion as usize];
        if e.decided_by.is_none() && e.outcome == Outcome::Absent {
            continue;
        }
        let target = if c.internal { &mut internal } else { &mut out };
        explain_one(target, prog, facts, sources, e, w);
    }
    if !internal.is_empty() {
        let _ = writeln!(out, "{}", style.head(&w.msg("heading-internal", &[])));
        out.push_str(&internal);
    }
    let set: Vec<String> = prog
        .options
        .iter()
        .enumerate()
        .map(|(i, o)| {
            let default = w.option_value(prog, &o.default);
            match e.options.filter(|v| v.set.get(i) == Some(&true)) {
                Some(v) => {
                    let given = w.option_value(prog, &v.values[i]);
                    format!("{} = {}", o.name, w.msg("option-given", &[("value", &given), ("default", &default)]))
                }
                None => format!("{} = {default}", o.name),
            }
        })
        .collect();
    if !set.is_empty() {
        let _ = writeln!(out, "{}", style.head(&w.msg("heading-options", &[])));
        for s in set {
            let _ = writeln!(out, "  {s}");
        }
    }
    out
}

/// The labels `because:`, `source:`, `using:`, `period:` padded to one width, and the indent of what follows them.
struct Labels {
    because: String,
    source: String,
    using: String,
    period: String,
    indent: String,
}

impl Labels {
    fn new(w: &Words) -> Labels {
        let words = ["because", "source", "using", "period"].map(|k| w.msg(k, &[]));
        let width = words.iter().map(|x| x.chars().count()).max().unwrap_or(8) + 1;
        let pad = |s: &str| format!("{s}{}", " ".repeat(width - s.chars().count()));
        Labels {
            because: pad(&words[0]),
            source: pad(&words[1]),
            using: pad(&words[2]),
            period: pad(&words[3]),
            indent: " ".repeat(width + 2),
        }
    }
}

/// The explanation of one conclusion (for one element), appended to `out`.
pub fn explain_one(out: &mut String, prog: &Program, facts: &Facts, sources: &SourceMap, e: &Explanation, w: &Words) {
    let c = &prog.conclusions[e.conclusion as usize];
    let labels = Labels::new(w);
    let subject = match (e.item, c.per_item) {
        (Some(i), Some(l)) => w.msg("for-item", &[("what", &c.name), ("item", &item_label(w, prog, facts, l, i))]),
        _ => c.name.clone(),
    };
    let _ = writeln!(out, "{subject} = {}", value_text(w, prog, &e.outcome));
    if let Some(doc) = &c.doc {
        let _ = writeln!(out, "  ({})", w.text(doc));
    }
    if let Some(r) = e.decided_by {
        let rule = &prog.rules[r as usize];
        match &rule.because {
            Some(b) => {
                let _ = writeln!(out, "  {}{}", labels.because, w.text(b));
            }
            None => {
                let _ = writeln!(out, "  {}", w.msg("decided-by", &[("rule", &rule.id)]));
            }
        }
        let _ = writeln!(out, "  {}{}   {}", labels.source, rule.cite, w.msg("rule-ref", &[("rule", &rule.id)]));
        let used: Vec<String> = e.inputs.iter().map(|(s, v)| input(w, prog, *s, v)).collect();
        if !used.is_empty() {
            let _ = writeln!(out, "  {}{}", labels.using, used.join("; "));
        }
    }
    for s in &e.steps {
        step(w, prog, &labels, out, s);
    }
    let others: Vec<String> = e
        .others(prog)
        .map(|(id, st)| match st {
            RuleStatus::Applied => w.msg("other-applies", &[("rule", id)]),
            RuleStatus::Overridden(by) => {
                w.msg("other-overridden", &[("rule", id), ("by", &prog.rules[*by as usize].id)])
            }
            RuleStatus::NotApplicable { failed: Some(part) } => {
                let text = sources.snippet(part.span).split_whitespace().collect::<Vec<_>>().join(" ");
                let vals: Vec<String> = part.inputs.iter().map(|(s, v)| input(w, prog, *s, v)).collect();
                if vals.is_empty() {
                    w.msg("other-false", &[("rule", id), ("condition", &text)])
                } else {
                    w.msg("other-false-using", &[("rule", id), ("condition", &text), ("values", &vals.join("; "))])
                }
            }
            RuleStatus::NotApplicable { failed: None } => w.msg("other-not-applicable", &[("rule", id)]),
            RuleStatus::Unknown(n) => w.msg("other-unknown", &[("rule", id), ("names", &names(prog, n))]),
        })
        .collect();
    if !others.is_empty() {
        let _ = writeln!(out, "  {}", w.msg("other-rules", &[]));
        for o in others {
            let _ = writeln!(out, "    - {o}");
        }
    }
    let _ = writeln!(out);
}

fn input(w: &Words, prog: &Program, s: Slot, v: &Shown) -> String {
    let shown = match v {
        Shown::Value(x) => match (slot_type(prog, s), s) {
            (Some(crate::value::Type::Timeline), Slot::Conclusion(c)) if w.loc.long_forms => {
                recorded_timeline(w, prog, c, x).unwrap_or_else(|| x.clone())
            }
            (Some(ty), _) => w.recorded(prog, &ty, x),
            (None, _) => x.clone(),
        },
        Shown::NotGiven => w.msg("input-not-given", &[]),
        Shown::DoesNotApply => w.msg("input-does-not-apply", &[]),
        Shown::CannotDecide(n) => w.msg("input-cannot-decide", &[("names", &names(prog, n))]),
    };
    format!("{} = {shown}", prog.slot_name(s))
}

/// A timeline read by another rule, as the trace records it (`2026-03-02
/// Order placed; 2026-03-10 to 2026-03-23 Paused`), in the chosen language:
/// its dates in long form and its events by their labels; `None` when it
/// does not read back.
fn recorded_timeline(w: &Words, prog: &Program, c: crate::check::ir::ConcId, text: &str) -> Option<String> {
    let day = |t: &str| chrono::NaiveDate::parse_from_str(t, "%Y-%m-%d").ok();
    let mut parts = Vec::new();
    for event in text.split("; ") {
        let from = day(event.get(..10)?)?;
        let rest = &event[10..];
        let (when, label) = match rest.strip_prefix(" to ").and_then(|r| Some((day(r.get(..10)?)?, &r[10..]))) {
            Some((to, label)) => (w.msg("range", &[("from", &w.date(from)), ("to", &w.date(to))]), label),
            None => (w.date(from), rest),
        };
        parts.push(format!("{when} {}", w.event(Some(c), prog, label.strip_prefix(' ')?)));
    }
    Some(parts.join("; "))
}

fn step(w: &Words, prog: &Program, l: &Labels, out: &mut String, s: &Step) {
    let ind = &l.indent;
    match s {
        Step::Period(p) => period(w, l, out, p),
        Step::Next { from, found, skipped } => {
            let _ = writeln!(out, "  {}", w.msg("next-found", &[("from", &w.date(*from)), ("found", &w.day(*found))]));
            for k in skipped {
                let _ = writeln!(
                    out,
                    "    {}",
                    w.msg("next-skipped", &[("day", &w.day(k.day)), ("why", &w.why(k.day, &k.why))])
                );
            }
        }
        Step::Tiers { amount, parts, total, money: is_money } => {
            let show = |d: &rust_decimal::Decimal| if *is_money { w.money(*d) } else { w.loc.decimal(*d) };
            let _ = writeln!(out, "  {}", w.msg("schedule", &[("amount", &show(amount))]));
            for t in parts.iter().filter(|t| !t.portion.is_zero()) {
                let rate = w.loc.decimal(t.rate * rust_decimal::Decimal::ONE_HUNDRED);
                let part = w.msg(
                    "schedule-part",
                    &[("rate", &rate), ("portion", &show(&t.portion)), ("part", &show(&t.part.normalize()))],
                );
                let _ = writeln!(out, "{ind}{part}");
            }
            let _ = writeln!(out, "{ind}{}", w.msg("total", &[("amount", &show(&total.normalize()))]));
        }
        Step::Lookup { table, on, row_from, value, note } => {
            let note = note.as_ref().map_or(String::new(), |n| w.msg("lookup-note", &[("note", &w.text(n))]));
            let value = match prog.tables.iter().find(|t| &t.name == table) {
                Some(t) => w.recorded(prog, &t.ty, value),
                None => value.clone(),
            };
            let line = w.msg(
                "lookup",
                &[
                    ("table", table),
                    ("on", &w.date(*on)),
                    ("value", &value),
                    ("from", &w.date(*row_from)),
                    ("note", &note),
                ],
            );
            let _ = writeln!(out, "  {line}");
        }
        Step::Interest(i) => interest(w, l, out, i),
    }
}

fn interest(w: &Words, l: &Labels, out: &mut String, i: &crate::eval::InterestSteps) {
    let ind = &l.indent;
    // amounts in cents as money; exact values with more decimals to 6 (the rulebook rounds the result)
    let show = |d: &rust_decimal::Decimal| {
        if i.money && d.normalize().scale() <= 2 {
            w.money(*d)
        } else {
            w.loc.decimal(d.round_dp(6))
        }
    };
    let rates = i.table.as_ref().map_or(String::new(), |t| w.msg("interest-rates", &[("table", t)]));
    let yearly = if i.yearly { w.msg("interest-yearly", &[]) } else { String::new() };
    let _ = writeln!(
        out,
        "  {}",
        w.msg("interest", &[("amount", &show(&i.amount)), ("rates", &rates), ("yearly", &yearly)])
    );
    let mut added = i.compounded.iter().peekable();
    for g in &i.segments {
        while let Some((day, year, new)) = added.next_if(|(day, _, _)| *day <= g.from) {
            let line = w
                .msg("interest-added", &[("day", &w.date(*day)), ("interest", &show(year)), ("principal", &show(new))]);
            let _ = writeln!(out, "{ind}{line}");
        }
        let last = g.to.pred_opt().unwrap_or(g.to);
        let rate = w.loc.decimal(g.rate * rust_decimal::Decimal::ONE_HUNDRED);
        let line = w.msg(
            "interest-segment",
            &[
                ("from", &w.date(g.from)),
                ("to", &w.date(last)),
                ("days", &g.days.to_string()),
                ("rate", &rate),
                ("basis", &g.basis.to_string()),
                ("principal", &show(&g.principal)),
                ("part", &show(&g.part)),
            ],
        );
        let _ = writeln!(out, "{ind}{line}");
    }
    let _ = writeln!(out, "{ind}{}", w.msg("total", &[("amount", &show(&i.total))]));
}

fn period(w: &Words, l: &Labels, out: &mut String, p: &PeriodSteps) {
    let ind = &l.indent;
    let len = format!("{} {}", p.length, w.unit(p.unit, p.length));
    let start = w.msg("period-start", &[("length", &len), ("event", &w.day(p.event)), ("first", &w.day(p.first_day))]);
    let _ = writeln!(out, "  {}{start}", l.period);
    for (from, to) in &p.paused {
        let (from, to) = (w.date(*from), w.date(*to));
        let key = if p.restart { "period-stopped" } else { "period-paused" };
        let _ = writeln!(out, "{ind}{}", w.msg(key, &[("from", &from), ("to", &to)]));
    }
    if p.paused_days > 0 {
        let _ = writeln!(out, "{ind}{}", w.msg("period-paused-days", &[("days", &p.paused_days.to_string())]));
    }
    for k in &p.not_counted {
        let line = w.msg("period-not-counted", &[("day", &w.day(k.day)), ("why", &w.why(k.day, &k.why))]);
        let _ = writeln!(out, "{ind}{line}");
    }
    let _ = writeln!(out, "{ind}{}", w.msg("period-raw-last", &[("day", &w.day(p.raw_last))]));
    for k in &p.skipped {
        let line = w.msg("period-moved", &[("day", &w.day(k.day)), ("why", &w.why(k.day, &k.why))]);
        let _ = writeln!(out, "{ind}{line}");
    }
    if !p.shift {
        let _ = writeln!(out, "{ind}{}", w.msg("period-contractual", &[]));
    }
    let _ = writeln!(out, "{ind}{}", w.msg("period-ends", &[("day", &w.day(p.last))]));
}

/// The language `--lang` chose, if the rulebook declares it; otherwise an
/// error at the rulebook's `[rulebook]` that names the languages it declares.
pub fn chosen_lang(prog: &Program, lang: Option<&str>) -> Result<Option<Lang>, crate::Diagnostic> {
    let Some(code) = lang else { return Ok(None) };
    let declared = &prog.meta.languages;
    let list = declared.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", ");
    match Lang::from_code(code) {
        Some(l) if declared.iter().any(|d| d == code) => Ok(Some(l)),
        known => {
            let why = if known.is_none() { "verdict speaks en, nl and fr" } else { "the rulebook does not declare it" };
            Err(crate::Diagnostic::new(
                "cli::lang",
                format!("--lang {code}: {why}; the rulebook declares languages = [{list}]"),
                prog.meta.title.span,
            )
            .label(format!("declares [{list}]"))
            .help(format!(
                "choose one of {list} with --lang, or add \"{code}\" to `languages` and translate the texts"
            )))
        }
    }
}
