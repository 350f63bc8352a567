//! "Why not?": the nearest changes to a scenario's facts that would change
//! one conclusion, each with the rule that would then decide it.

use crate::check::ir::{ConcId, FactId, ListId, RuleId};
use crate::check::Program;
use crate::eval::{OptionValues, Outcome, Verdicts};
use crate::facts::Facts;
use crate::time::shift;
use crate::value::Type;
use crate::value::Value;
use chrono::NaiveDate;

/// Which fact to change: a fact, or a field of one element of a list.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A fact given once per scenario, by fact id.
    Fact(FactId),
    /// A field of one element: the list, the element (from 0), the field's place among the list's fields.
    Field(ListId, usize, u32),
}

/// One change that flips the conclusion.
#[derive(Clone, Debug)]
pub struct Flip {
    /// Which fact the change is to.
    pub target: Target,
    /// The new value (`None`: the fact left out).
    pub value: Option<Value>,
    /// The conclusion's outcome after the change.
    pub outcome: Outcome,
    /// The rule that would decide after the change (`None`: no rule applies).
    pub rule_after: Option<RuleId>,
    /// The rule that decides now (`None`: no rule applies).
    pub rule_before: Option<RuleId>,
    /// How far the change is: 1 for a flag or a choice, days for a date.
    pub distance: i64,
    /// The rule the change works through (found as `verdict diff` finds the
    /// rule responsible), and whether it decides before and after the change.
    pub cause: Option<(RuleId, bool, bool)>,
}

impl Target {
    /// The fact's name as a scenario writes it (`items[1].received_on`).
    pub fn name(&self, prog: &Program) -> String {
        match *self {
            Target::Fact(f) => prog.facts[f as usize].name.clone(),
            Target::Field(l, i, f) => {
                let list = &prog.lists[l as usize];
                format!("{}[{i}].{}", prog.facts[list.fact as usize].name, list.fields[f as usize].name)
            }
        }
    }
}

/// Other values worth trying for a fact of type `ty` now holding `current`,
/// nearest first. `days` are the last days of periods in the trace.
fn alternatives(
    prog: &Program,
    ty: &Type,
    current: Option<&Value>,
    optional: bool,
    days: &[NaiveDate],
) -> Vec<Option<Value>> {
    let mut out: Vec<Option<Value>> = Vec::new();
    match (ty, current) {
        (Type::Bool, Some(Value::Bool(b))) => out.push(Some(Value::Bool(!b))),
        (Type::Enum(e), _) => {
            for s in prog.symbols.values(*e) {
                out.push(Some(Value::Enum(*s)));
            }
        }
        (Type::Date, Some(Value::Date(d))) => {
            let mut near: Vec<NaiveDate> = [-1, 1].iter().filter_map(|o| shift(*d, *o)).collect();
            for last in days {
                near.extend([-1, 0, 1].iter().filter_map(|o| shift(*last, *o)));
            }
            near.sort_by_key(|x| (*x - *d).num_days().abs());
            near.dedup();
            out.extend(near.into_iter().map(|x| Some(Value::Date(x))));
        }
        _ => {}
    }
    if optional && current.is_some() {
        out.push(None);
    }
    out.retain(|v| v.as_ref() != current);
    out
}

/// The changes of one fact at a time that give `conclusion` (element `item`)
/// another outcome, nearest first (at most `limit`).
pub fn flips(
    prog: &Program,
    facts: &Facts,
    options: &OptionValues,
    base: &Verdicts,
    conclusion: ConcId,
    item: Option<usize>,
    limit: usize,
) -> Vec<Flip> {
    let get = |v: &Verdicts| match item {
        Some(i) => v.per_item[conclusion as usize].get(i).cloned().unwrap_or(Outcome::Absent),
        None => v.global[conclusion as usize].clone(),
    };
    let decided = |v: &Verdicts| v.decided_by(conclusion, item);
    let now = get(base);
    let rule_before = decided(base);
    let mut days: Vec<NaiveDate> = base
        .trace
        .iter()
        .flat_map(|e| e.steps.iter())
        .filter_map(|s| match s {
            crate::eval::Step::Period(p) => Some(p.last),
            _ => None,
        })
        .collect();
    days.sort();
    days.dedup();
    let mut targets: Vec<(Target, Type, Option<Value>, bool)> = Vec::new();
    for (f, def) in prog.facts.iter().enumerate() {
        match def.records {
            None => targets.push((
                Target::Fact(f as FactId),
                def.ty.clone(),
                facts.values[f].clone(),
                def.optional || def.default.is_some(),
            )),
            Some(l) => {
                let fields = &prog.lists[l as usize].fields;
                for (i, record) in facts.lists[l as usize].iter().enumerate() {
                    if item.is_some() && Some(i) != item && prog.conclusions[conclusion as usize].per_item == Some(l) {
                        continue; // for a per-item conclusion, change that element only
                    }
                    for (k, field) in fields.iter().enumerate() {
                        let optional = field.optional || field.default.is_some();
                        targets.push((Target::Field(l, i, k as u32), field.ty.clone(), record[k].clone(), optional));
                    }
                }
            }
        }
    }
    let mut out = Vec::new();
    for (target, ty, current, optional) in targets {
        for alt in alternatives(prog, &ty, current.as_ref(), optional, &days) {
            let mut changed = facts.clone();
            match target {
                Target::Fact(f) => changed.values[f as usize] = alt.clone(),
                Target::Field(l, i, k) => changed.lists[l as usize][i][k as usize] = alt.clone(),
            }
            let Ok(v) = prog.evaluate(&changed, options, true) else { continue };
            let outcome = get(&v);
            if outcome != now && !matches!(outcome, Outcome::Undetermined(_)) {
                let distance = match (&current, &alt) {
                    (Some(Value::Date(a)), Some(Value::Date(b))) => (*b - *a).num_days().abs(),
                    (_, None) => 2,
                    _ => 1,
                };
                // the first rule down the chain that starts or stops applying, else the deepest
                let chain = crate::diff::blame_chain(prog, base, prog, &v, (conclusion, item));
                let switches = |(id, (n, i)): &(String, (String, Option<usize>))| {
                    let (r, c) = (prog.rule_id(id), prog.conclusion_id(n));
                    let by = |x: &Verdicts| {
                        x.trace.iter().find(|e| Some(e.conclusion) == c && e.item == *i).and_then(|e| e.decided_by)
                    };
                    r.is_some() && by(base) != by(&v)
                };
                let pick = chain.iter().find(|x| switches(x)).or(chain.last()).cloned();
                let cause = pick.and_then(|(id, (n, i))| {
                    let r = prog.rule_id(&id)?;
                    let c = prog.conclusion_id(&n)?;
                    let decides = |v: &Verdicts| {
                        v.trace.iter().any(|e| e.conclusion == c && e.item == i && e.decided_by == Some(r))
                    };
                    Some((r, decides(base), decides(&v)))
                });
                out.push(Flip {
                    target: target.clone(),
                    value: alt,
                    outcome,
                    rule_after: decided(&v),
                    rule_before,
                    distance,
                    cause,
                });
                break; // the nearest value for this fact is enough
            }
        }
    }
    out.sort_by_key(|f| f.distance);
    out.truncate(limit);
    out
}
