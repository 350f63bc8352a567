//! JSON output: the contract in DESIGN.md ("Output").

use serde_json::{json, Map, Value as J};
use verdict::check::ir::Slot;
use verdict::diagnostic::Diagnostic;
use verdict::eval::{money, Explanation, Need, RuleStatus, Shown, Step};
use verdict::load::InForce;
use verdict::{Outcome, Program, SourceMap, Verdicts};

pub fn diagnostics(sources: &SourceMap, ds: &[Diagnostic]) -> Vec<J> {
    ds.iter()
        .map(|d| {
            json!({
                "code": d.code,
                "location": sources.location(d.span()),
                "message": d.message,
                "help": d.help,
            })
        })
        .collect()
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

/// The verdict object for one scenario.
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
        m.insert("because".into(), rule.because.clone().map_or(J::Null, J::String));
        m.insert("cite".into(), J::String(rule.cite.clone()));
        m.insert("inputs".into(), inputs(prog, &e.inputs));
    }
    if !e.steps.is_empty() {
        m.insert("steps".into(), J::Array(e.steps.iter().map(step).collect()));
    }
    let considered: Vec<J> = e
        .considered
        .iter()
        .filter(|(r, _)| Some(*r) != e.decided_by)
        .map(|(r, st)| {
            let id = &prog.rules[*r as usize].id;
            match st {
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
            }
        })
        .collect();
    m.insert("considered".into(), J::Array(considered));
    J::Object(m)
}

fn date(d: chrono::NaiveDate) -> J {
    J::String(verdict::eval::day(d))
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
    }
}
