//! The verdict object for one scenario, the contract in docs/OUTPUT.md:
//! written straight into a byte buffer by [`write_verdicts`] (what `eval
//! --format json` and `--batch` print), and built as a [`serde_json::Value`] by
//! [`verdicts`], the same object, for callers that want a tree.

use crate::check::ir::Slot;
use crate::eval::{Explanation, Need, RuleStatus, Shown, Step};
use crate::load::InForce;
use crate::value::{cents_padding, day, day_ascii, money};
use crate::{Outcome, Program, Value, Verdicts};
use serde_json::{json, Map, Value as J};
use std::io::Write;

/// Writes the verdict object for one scenario into `out`, byte for byte what
/// serde_json writes for [`verdicts`] (compact, keys in the same order, the
/// same string escapes).
pub fn write_verdicts(
    out: &mut Vec<u8>,
    prog: &Program,
    v: &Verdicts,
    scenario: Option<&str>,
    in_force: Option<&InForce>,
) {
    out.extend_from_slice(b"{\"rulebook\":{\"id\":");
    write_str(out, &prog.meta.id);
    out.extend_from_slice(b",\"version\":");
    write_str(out, &prog.meta.version);
    if let Some(f) = in_force {
        out.extend_from_slice(b",\"in_force\":{\"by\":");
        write_str(out, &f.date_fact);
        out.extend_from_slice(b",\"date\":");
        write_day(out, f.date);
        for (key, d) in [(&b",\"from\":"[..], f.from), (b",\"until\":", f.until)] {
            out.extend_from_slice(key);
            match d {
                Some(d) => write_day(out, d),
                None => out.extend_from_slice(b"null"),
            }
        }
        out.push(b'}');
    }
    out.push(b'}');
    if let Some(s) = scenario {
        out.extend_from_slice(b",\"scenario\":");
        write_str(out, s);
    }
    out.extend_from_slice(b",\"conclusions\":{");
    let mut first = true;
    let mut undetermined = false;
    for (i, c) in prog.conclusions.iter().enumerate() {
        if c.internal {
            continue;
        }
        let value = if c.per_item.is_some() {
            undetermined |= v.per_item[i].iter().any(|o| matches!(o, Outcome::Undetermined(_)));
            None
        } else {
            match &v.global[i] {
                Outcome::Value(x) => Some(x),
                Outcome::Absent => continue,
                Outcome::Undetermined(_) => {
                    undetermined = true;
                    continue;
                }
            }
        };
        if !first {
            out.push(b',');
        }
        first = false;
        write_str(out, &c.name);
        out.push(b':');
        match value {
            Some(x) => write_value(out, prog, x),
            None => {
                out.push(b'[');
                for (k, o) in v.per_item[i].iter().enumerate() {
                    if k > 0 {
                        out.push(b',');
                    }
                    match o {
                        Outcome::Value(x) => write_value(out, prog, x),
                        _ => out.extend_from_slice(b"null"),
                    }
                }
                out.push(b']');
            }
        }
    }
    out.extend_from_slice(b"},\"undetermined\":[");
    if undetermined {
        let mut first = true;
        for (i, c) in prog.conclusions.iter().enumerate() {
            if c.internal {
                continue;
            }
            let outcomes: &[Outcome] =
                if c.per_item.is_some() { &v.per_item[i] } else { std::slice::from_ref(&v.global[i]) };
            for (k, o) in outcomes.iter().enumerate() {
                let Outcome::Undetermined(n) = o else { continue };
                if !first {
                    out.push(b',');
                }
                first = false;
                out.extend_from_slice(b"{\"conclusion\":");
                write_str(out, &c.name);
                if c.per_item.is_some() {
                    out.extend_from_slice(b",\"item\":");
                    let _ = write!(out, "{k}");
                }
                out.extend_from_slice(b",\"needs\":[");
                for (j, x) in n.iter().enumerate() {
                    if j > 0 {
                        out.push(b',');
                    }
                    write_str(out, &x.name(prog));
                }
                out.extend_from_slice(b"]}");
            }
        }
    }
    out.extend_from_slice(b"],\"trace\":[");
    for (k, e) in v.trace.iter().enumerate() {
        if k > 0 {
            out.push(b',');
        }
        // rare (only with explanations on) and deep: through the tree
        let _ = serde_json::to_writer(&mut *out, &explanation(prog, e));
    }
    out.extend_from_slice(b"]}");
}

/// A value as [`Value::to_json`] makes it, written.
fn write_value(out: &mut Vec<u8>, prog: &Program, v: &Value) {
    match v {
        Value::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Value::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Value::List(items) => {
            out.push(b'[');
            for (k, x) in items.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                write_value(out, prog, x);
            }
            out.push(b']');
        }
        Value::Text(t) => write_str(out, t),
        Value::Enum(s) => write_str(out, prog.symbols.name(*s)),
        Value::Date(d) => write_day(out, *d),
        Value::Money(m) => write_money(out, *m),
        // as `Value::to_json` builds them, written in place
        Value::Interval(a, b) => write_span(out, *a, *b),
        Value::Timeline(events) => {
            out.push(b'[');
            for (k, e) in events.iter().enumerate() {
                if k > 0 {
                    out.push(b',');
                }
                match e.to {
                    None => {
                        out.extend_from_slice(b"{\"date\":");
                        write_day(out, e.from);
                    }
                    Some(to) => {
                        write_span(out, e.from, to);
                        out.pop(); // the closing brace: the event follows
                    }
                }
                out.extend_from_slice(b",\"event\":");
                write_str(out, &e.label);
                out.push(b'}');
            }
            out.push(b']');
        }
        other => write_str(out, &other.display(&prog.symbols)),
    }
}

/// `{"from": …, "to": …}`: a span of days.
fn write_span(out: &mut Vec<u8>, from: chrono::NaiveDate, to: chrono::NaiveDate) {
    out.extend_from_slice(b"{\"from\":");
    write_day(out, from);
    out.extend_from_slice(b",\"to\":");
    write_day(out, to);
    out.push(b'}');
}

/// A date as [`day`] writes it, in quotes.
fn write_day(out: &mut Vec<u8>, d: chrono::NaiveDate) {
    match day_ascii(d) {
        Some(digits) => {
            out.push(b'"');
            out.extend_from_slice(&digits);
            out.push(b'"');
        }
        None => write_str(out, &day(d)),
    }
}

/// An amount as [`money`] writes it, in quotes (digits, a sign and a point:
/// nothing to escape).
fn write_money(out: &mut Vec<u8>, m: rust_decimal::Decimal) {
    out.push(b'"');
    let start = out.len();
    let _ = write!(out, "{}", m.normalize());
    let padding = cents_padding(&out[start..]);
    out.extend_from_slice(padding.as_bytes());
    out.push(b'"');
}

/// A JSON string with serde_json's escapes: only `"`, `\\` and control
/// characters need one; anything else is copied as it is.
fn write_str(out: &mut Vec<u8>, s: &str) {
    if s.bytes().all(|b| b >= 0x20 && b != b'"' && b != b'\\') {
        out.reserve(s.len() + 2);
        out.push(b'"');
        out.extend_from_slice(s.as_bytes());
        out.push(b'"');
    } else {
        let _ = serde_json::to_writer(&mut *out, s);
    }
}

fn outcome(prog: &Program, o: &Outcome) -> J {
    match o {
        Outcome::Value(v) => v.to_json(&prog.symbols),
        _ => J::Null,
    }
}

fn needs(prog: &Program, n: &[Need]) -> J {
    J::Array(n.iter().map(|x| J::String(x.name(prog))).collect())
}

/// The verdict object for one scenario, as a tree: what [`write_verdicts`]
/// writes.
pub fn verdicts(prog: &Program, v: &Verdicts, scenario: Option<&str>, in_force: Option<&InForce>) -> J {
    let mut conclusions = Map::new();
    let mut undetermined = Vec::new();
    for (i, c) in prog.conclusions.iter().enumerate() {
        if c.internal {
            continue;
        }
        if c.per_item.is_some() {
            let items = &v.per_item[i];
            conclusions.insert(c.name.clone(), J::Array(items.iter().map(|o| outcome(prog, o)).collect()));
            for (k, o) in items.iter().enumerate() {
                if let Outcome::Undetermined(n) = o {
                    undetermined.push(json!({"conclusion": c.name, "item": k, "needs": needs(prog, n)}));
                }
            }
        } else {
            match &v.global[i] {
                Outcome::Value(val) => {
                    conclusions.insert(c.name.clone(), val.to_json(&prog.symbols));
                }
                Outcome::Absent => {}
                Outcome::Undetermined(n) => undetermined.push(json!({"conclusion": c.name, "needs": needs(prog, n)})),
            }
        }
    }
    let mut out = Map::new();
    let mut rulebook = json!({"id": prog.meta.id, "version": prog.meta.version});
    if let Some(f) = in_force {
        rulebook["in_force"] = json!({
            "by": f.date_fact,
            "date": date(f.date),
            "from": f.from.map(date),
            "until": f.until.map(date),
        });
    }
    out.insert("rulebook".into(), rulebook);
    if let Some(s) = scenario {
        out.insert("scenario".into(), J::String(s.to_string()));
    }
    out.insert("conclusions".into(), J::Object(conclusions));
    out.insert("undetermined".into(), J::Array(undetermined));
    out.insert("trace".into(), J::Array(v.trace.iter().map(|e| explanation(prog, e)).collect()));
    J::Object(out)
}

fn inputs(prog: &Program, inputs: &[(Slot, Shown)]) -> J {
    let mut m = Map::new();
    for (slot, val) in inputs {
        let v = match val {
            Shown::Value(s) => J::String(s.clone()),
            Shown::NotGiven | Shown::DoesNotApply => J::Null,
            Shown::CannotDecide(n) => json!({"needs": needs(prog, n)}),
        };
        m.insert(prog.slot_name(*slot), v);
    }
    J::Object(m)
}

fn explanation(prog: &Program, e: &Explanation) -> J {
    let c = &prog.conclusions[e.conclusion as usize];
    let mut m = Map::new();
    m.insert("conclusion".into(), J::String(c.name.clone()));
    if let Some(i) = e.item {
        m.insert("item".into(), J::from(i));
    }
    match &e.outcome {
        Outcome::Value(v) => {
            m.insert("value".into(), v.to_json(&prog.symbols));
        }
        Outcome::Absent => {
            m.insert("applies".into(), J::Bool(false));
        }
        Outcome::Undetermined(n) => {
            m.insert("needs".into(), needs(prog, n));
        }
    }
    if let Some(r) = e.decided_by {
        let rule = &prog.rules[r as usize];
        m.insert("rule".into(), J::String(rule.id.clone()));
        m.insert("because".into(), rule.because.clone().map_or(J::Null, |b| J::String(b.into())));
        m.insert("cite".into(), J::String(rule.cite.clone()));
        m.insert("inputs".into(), inputs(prog, &e.inputs));
    }
    if !e.steps.is_empty() {
        m.insert("steps".into(), J::Array(e.steps.iter().map(step).collect()));
    }
    let considered: Vec<J> = e
        .others(prog)
        .map(|(id, st)| match st {
            RuleStatus::Applied => json!({"rule": id, "status": "applied"}),
            RuleStatus::Overridden(by) => {
                json!({"rule": id, "status": "overridden", "by": prog.rules[*by as usize].id})
            }
            RuleStatus::NotApplicable { failed } => {
                let mut o = json!({"rule": id, "status": "not applicable"});
                if let Some(part) = failed {
                    o["inputs"] = inputs(prog, &part.inputs);
                }
                o
            }
            RuleStatus::Unknown(n) => {
                json!({"rule": id, "status": "undetermined", "needs": needs(prog, n)})
            }
        })
        .collect();
    m.insert("considered".into(), J::Array(considered));
    J::Object(m)
}

fn date(d: chrono::NaiveDate) -> J {
    J::String(day(d))
}

fn step(s: &Step) -> J {
    match s {
        Step::Period(p) => {
            let mut o = json!({
                "period": format!("{} {}", p.length, p.unit.name(p.length)),
                "after": date(p.event),
                "first_day": date(p.first_day),
            "raw_last_day": date(p.raw_last),
                "skipped": p.skipped.iter().map(|k| json!({"day": date(k.day), "why": k.why})).collect::<Vec<_>>(),
                "last_day": date(p.last),
                "shift": p.shift,
            });
            if !p.not_counted.is_empty() {
                o["not_counted"] =
                    p.not_counted.iter().map(|k| json!({"day": date(k.day), "why": k.why})).collect::<Vec<_>>().into();
            }
            if !p.paused.is_empty() {
                o["paused"] = p.paused.iter().map(|(a, b)| json!({"from": date(*a), "to": date(*b)})).collect();
                o["restart"] = J::Bool(p.restart);
                o["paused_days"] = J::from(p.paused_days);
            }
            o
        }
        Step::Tiers { amount, parts, total, money: is_money } => {
            let show = |d: &rust_decimal::Decimal| if *is_money { money(*d) } else { d.normalize().to_string() };
            json!({
                "schedule_applied_to": show(amount),
                "tranches": parts.iter().map(|t| json!({"rate": t.rate.normalize().to_string(), "portion": show(&t.portion), "amount": show(&t.part)})).collect::<Vec<_>>(),
                "total": show(total),
            })
        }
        Step::Next { from, found, skipped } => json!({
            "next_from": date(*from),
            "found": date(*found),
            "skipped": skipped.iter().map(|k| json!({"day": date(k.day), "why": k.why})).collect::<Vec<_>>(),
        }),
        Step::Lookup { table, on, row_from, value, note } => json!({
            "table": table,
            "on": date(*on),
            "row_from": date(*row_from),
            "value": value,
            "note": note.as_deref(),
        }),
        Step::Interest(i) => {
            // exact values, not rounded to cents: the rulebook rounds the result
            let show = |d: &rust_decimal::Decimal| d.normalize().to_string();
            json!({
                "interest_on": show(&i.amount),
                "table": i.table,
                "compounded_yearly": i.yearly,
                "segments": i.segments.iter().map(|g| json!({
                    "from": date(g.from),
                    "to": date(g.to),
                    "days": g.days,
                    "year_days": g.basis,
                    "rate": g.rate.normalize().to_string(),
                    "on": show(&g.principal),
                    "interest": show(&g.part),
                })).collect::<Vec<_>>(),
                "compounded": i.compounded.iter().map(|(d, year, new)| json!({
                    "on": date(*d),
                    "added": show(year),
                    "amount": show(new),
                })).collect::<Vec<_>>(),
                "total": show(&i.total),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::{day, money, write_day, write_money, write_str, write_value};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    #[test]
    fn days_and_amounts_are_written_as_their_strings() {
        for (y, m, d) in [(2026, 3, 2), (1, 1, 1), (999, 12, 31), (9999, 12, 31), (0, 1, 1), (10000, 1, 1), (-1, 5, 9)]
        {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            let mut out = Vec::new();
            write_day(&mut out, date);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&day(date)).unwrap());
        }
        for text in
            ["0", "-0", "5", "5.1", "5.10", "89.90", "-12.345", "0.001", "1000000", "79228162514264337593543950335"]
        {
            let m: Decimal = text.parse().unwrap();
            let mut out = Vec::new();
            write_money(&mut out, m);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(&money(m)).unwrap(), "{text}");
        }
    }

    #[test]
    fn strings_are_escaped_as_serde_json_does() {
        for s in [
            "",
            "plain",
            "a \"quote\"",
            "back\\slash",
            "tab\there",
            "nl\n",
            "\u{1}\u{1f}\u{7f}",
            "é ü € 😀",
            "</script>",
        ] {
            let mut out = Vec::new();
            write_str(&mut out, s);
            assert_eq!(String::from_utf8(out).unwrap(), serde_json::to_string(s).unwrap());
        }
    }

    #[test]
    fn spans_and_timelines_are_written_as_their_json_trees() {
        use crate::value::{Event, Value};
        let d = |s: &str| crate::input::parse_date(s).unwrap();
        let text = "[rulebook]\nid = \"x\"\ntitle = \"x\"\nversion = \"1\"\n";
        let rb = crate::Rulebook::from_str(&mut crate::SourceMap::new(), "x.toml", text).unwrap();
        let prog = &rb.program;
        let events = vec![
            Event { label: "invoice sent".into(), from: d("2026-03-05"), to: None },
            Event { label: "paused \"dispute\"".into(), from: d("2026-03-17"), to: Some(d("2026-03-26")) },
            Event { label: "due".into(), from: d("2026-03-29"), to: None },
        ];
        for v in [
            Value::Interval(d("2026-01-01"), d("2026-01-14")),
            Value::Timeline(events.clone().into()),
            Value::Timeline(events[1..2].to_vec().into()),
            Value::Timeline(Vec::new().into()),
            Value::List(vec![Value::Interval(d("2026-01-01"), d("2026-01-02"))].into()),
        ] {
            let mut out = Vec::new();
            write_value(&mut out, prog, &v);
            let tree = serde_json::to_string(&v.to_json(&prog.symbols)).unwrap();
            assert_eq!(String::from_utf8(out).unwrap(), tree);
        }
    }
}
