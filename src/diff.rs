//! Verdict differences between two versions of a rulebook over a corpus of
//! scenarios: which conclusions change, from what to what, and which rule is
//! responsible. The binary renders them (with a line diff of explanations).

mod changes;
pub use changes::{change_behind, source_changes, Edit, SourceChange};

use crate::diagnostic::Diagnostic;
use crate::eval::{OptionValues, Outcome, Verdicts};
use crate::facts::Facts;
use crate::input::Node;
use crate::value::value_from_node;
use crate::{Program, Rulebook};

/// One scenario of the corpus: a tree of facts, with options to set.
#[derive(Clone, Debug)]
pub struct Scenario {
    /// Where it comes from, for the report: the scenario file's path, or ``test `name` of rulebook``
    /// (empty for a generated one).
    pub name: String,
    /// The facts, as read from the scenario file or the test.
    pub node: Node,
    /// Options to set, by option name, with their written values; a version without the option ignores it.
    pub set: Vec<(String, Node)>,
}

/// A scenario evaluated by one version.
#[derive(Debug)]
pub enum Side {
    /// Evaluated, with the trace.
    Evaluated {
        /// The scenario's facts as this version reads them.
        facts: Facts,
        /// Every conclusion, traced.
        verdicts: Verdicts,
    },
    /// The scenario does not fit this version's facts, or evaluation failed.
    Invalid(Vec<Diagnostic>),
}

/// One conclusion (or one element of a per-item conclusion) that changed.
#[derive(Debug, Clone)]
pub struct Change {
    /// The conclusion's name.
    pub conclusion: String,
    /// The element, from 0, of a per-item conclusion; `None` for one decided once.
    pub item: Option<usize>,
    /// In the old version.
    pub old: Shown,
    /// In the new version.
    pub new: Shown,
    /// The rule held responsible: the deciding rule of the deepest conclusion
    /// that changed under this one (the new version's, else the old one's).
    pub responsible: String,
    /// That deepest conclusion, when it is not this one.
    pub cause: Option<(String, Option<usize>)>,
}

/// A side of a change: the value (as the JSON contract writes it) and its rule.
#[derive(Debug, Clone, PartialEq)]
pub struct Shown {
    /// The value as the JSON contract writes it; `null` when it does not apply, the names of the missing facts when it cannot be decided.
    pub value: serde_json::Value,
    /// `value`, `does not apply`, `cannot decide`, or `not in this version`.
    pub state: &'static str,
    /// The deciding rule's id and citation; `None` when no rule decides.
    pub rule: Option<(String, String)>,
}

/// One scenario compared across two versions, by [`compare`].
#[derive(Debug)]
pub struct ScenarioDiff {
    /// The scenario compared.
    pub scenario: Scenario,
    /// As the old version evaluates it.
    pub old: Side,
    /// As the new version evaluates it.
    pub new: Side,
    /// Every conclusion whose outcome differs, in the old version's declaration order, then the new version's own.
    pub changes: Vec<Change>,
}

/// Evaluates `scenario` with one version.
pub fn evaluate(rb: &Rulebook, s: &Scenario) -> Side {
    let prog = &rb.program;
    let facts = match rb.facts(&s.node) {
        Ok(f) => f,
        Err(d) => return Side::Invalid(d.0),
    };
    let mut options = OptionValues::defaults(prog);
    for (name, node) in &s.set {
        let Some(id) = prog.option_id(name) else { continue }; // an option the other version has
        match value_from_node(node, &prog.options[id as usize].ty, &prog.symbols) {
            Ok(v) => options.values[id as usize] = v,
            Err(d) => return Side::Invalid(vec![d]),
        }
    }
    match prog.evaluate(&facts, &options, true) {
        Ok(verdicts) => Side::Evaluated { facts, verdicts },
        Err(e) => Side::Invalid(vec![*e]),
    }
}

fn shown(prog: &Program, v: &Verdicts, c: u32, item: Option<usize>) -> Shown {
    let outcome = match item {
        Some(i) => v.per_item[c as usize].get(i).cloned().unwrap_or(Outcome::Absent),
        None => v.global[c as usize].clone(),
    };
    let rule = v.decided_by(c, item).map(|r| (prog.rules[r as usize].id.clone(), prog.rules[r as usize].cite.clone()));
    let (value, state) = match &outcome {
        Outcome::Value(x) => (x.to_json(&prog.symbols), "value"),
        Outcome::Absent => (serde_json::Value::Null, "does not apply"),
        Outcome::Undetermined(n) => {
            (serde_json::Value::Array(n.iter().map(|x| x.name(prog).into()).collect()), "cannot decide")
        }
    };
    Shown { value, state, rule }
}

/// The outcome of a conclusion (by name) in one version, comparable across versions.
fn outcome_json(p: &Program, v: &Verdicts, name: &str, item: Option<usize>) -> Option<serde_json::Value> {
    let c = p.conclusion_id(name)?;
    let s = shown(p, v, c, item);
    Some(serde_json::json!([s.state, s.value]))
}

/// A conclusion, by id, and its element (`None` for one decided once).
type Place = (u32, Option<usize>);

/// Follows a changed verdict down through the conclusions its rule reads to
/// the deepest one that changed: its deciding rule is the one responsible.
pub(crate) fn root_cause(
    op: &Program,
    ov: &Verdicts,
    np: &Program,
    nv: &Verdicts,
    start: Place,
) -> Option<(String, (String, Option<usize>))> {
    blame_chain(op, ov, np, nv, start).pop()
}

/// The chain of changed conclusions from `start` down, each with the rule
/// that decides it (the new version's, else the old one's).
pub(crate) fn blame_chain(
    op: &Program,
    ov: &Verdicts,
    np: &Program,
    nv: &Verdicts,
    start: Place,
) -> Vec<(String, (String, Option<usize>))> {
    let mut chain = Vec::new();
    let decided = |v: &Verdicts, c: u32, item: Option<usize>| v.decided_by(c, item);
    let (mut name, mut item) = (np.conclusions[start.0 as usize].name.clone(), start.1);
    for _ in 0..np.conclusions.len() + op.conclusions.len() + 1 {
        // the rule that decides it now, or else the one that did
        let nc = np.conclusion_id(&name);
        let oc = op.conclusion_id(&name);
        let (p, v, rule) = match (nc.and_then(|c| decided(nv, c, item)), oc.and_then(|c| decided(ov, c, item))) {
            (Some(r), _) => (np, nv, r),
            (None, Some(r)) => (op, ov, r),
            (None, None) => return chain,
        };
        let r = &p.rules[rule as usize];
        chain.push((r.id.clone(), (name.clone(), item)));
        let differs = |dep: &str, i: Option<usize>| outcome_json(op, ov, dep, i) != outcome_json(np, nv, dep, i);
        match changed_input(p, v, rule, item, differs) {
            Some(n) => (name, item) = n,
            None => return chain,
        }
    }
    chain
}

/// The first conclusion (and element) that rule `rule` reads, evaluated for
/// element `item`, that `differs` says changed.
fn changed_input(
    p: &Program,
    v: &Verdicts,
    rule: u32,
    item: Option<usize>,
    differs: impl Fn(&str, Option<usize>) -> bool,
) -> Option<(String, Option<usize>)> {
    use crate::check::ir::Slot;
    for slot in &p.rules[rule as usize].reads {
        let (dep, dep_items): (u32, Vec<Option<usize>>) = match *slot {
            Slot::Conclusion(d) => (d, vec![None]),
            Slot::ItemConclusion(d) => (d, vec![item]),
            Slot::ListConclusion(d) => (d, (0..v.per_item[d as usize].len()).map(Some).collect()),
            _ => continue,
        };
        let dep_name = &p.conclusions[dep as usize].name;
        if let Some(i) = dep_items.into_iter().find(|i| differs(dep_name, *i)) {
            return Some((dep_name.clone(), i));
        }
    }
    None
}

/// Who is held responsible for a changed verdict, by [`responsible_rule`].
#[derive(Debug, Clone, PartialEq)]
pub struct Blame {
    /// The rule responsible: the deciding rule of `conclusion`.
    pub rule: String,
    /// The deepest changed conclusion (and element) found.
    pub conclusion: (String, Option<usize>),
    /// The conclusions `rule` reads whose old outcome is not known (the
    /// caller's `changed` gave `None`), each with its deciding rule now: the
    /// change may come from one of them rather than from `rule` itself.
    pub unknown_inputs: Vec<(String, String)>,
}

/// The rule responsible for a changed verdict when only one side was
/// evaluated (`verdict replay` has the logged verdict, not its trace): from
/// conclusion `start`, follows the deciding rules of `v` down through the
/// conclusions they read that `changed` says differ (`Some(true)`), to the
/// deepest one. `changed` gives `None` for a conclusion whose old outcome
/// is not known (internal conclusions are not logged). `None` when no rule
/// decides `start`.
pub fn responsible_rule(
    p: &Program,
    v: &Verdicts,
    start: (u32, Option<usize>),
    changed: impl Fn(&str, Option<usize>) -> Option<bool>,
) -> Option<Blame> {
    let decided = |c: u32, item: Option<usize>| v.decided_by(c, item);
    let (mut c, mut item) = start;
    let mut found = None;
    for _ in 0..=p.conclusions.len() {
        let Some(rule) = decided(c, item) else { break };
        found = Some((rule, (p.conclusions[c as usize].name.clone(), item)));
        let next = changed_input(p, v, rule, item, |n, i| changed(n, i) == Some(true));
        match next.and_then(|(n, i)| Some((p.conclusion_id(&n)?, i))) {
            Some(next) => (c, item) = next,
            None => break,
        }
    }
    let (rule, conclusion) = found?;
    let mut unknown_inputs = Vec::new();
    use crate::check::ir::Slot;
    for slot in &p.rules[rule as usize].reads {
        let (Slot::Conclusion(d) | Slot::ItemConclusion(d) | Slot::ListConclusion(d)) = *slot else { continue };
        let name = &p.conclusions[d as usize].name;
        let dep_item = if matches!(slot, Slot::ItemConclusion(_)) { conclusion.1 } else { None };
        if changed(name, dep_item).is_none() {
            if let Some(r) = decided(d, dep_item) {
                unknown_inputs.push((name.clone(), p.rules[r as usize].id.clone()));
            }
        }
    }
    Some(Blame { rule: p.rules[rule as usize].id.clone(), conclusion, unknown_inputs })
}

/// Compares the two versions on one scenario.
pub fn compare(old: &Rulebook, new: &Rulebook, scenario: Scenario) -> ScenarioDiff {
    let (o, n) = (evaluate(old, &scenario), evaluate(new, &scenario));
    let mut changes = Vec::new();
    if let (Side::Evaluated { facts: of, verdicts: ov }, Side::Evaluated { facts: nf, verdicts: nv }) = (&o, &n) {
        let (op, np) = (&old.program, &new.program);
        let mut names: Vec<&str> = op.conclusions.iter().filter(|c| !c.internal).map(|c| c.name.as_str()).collect();
        for c in np.conclusions.iter().filter(|c| !c.internal) {
            if !names.contains(&c.name.as_str()) {
                names.push(&c.name);
            }
        }
        for name in names {
            let (oc, nc) = (op.conclusion_id(name), np.conclusion_id(name));
            let per_item = oc.is_some_and(|c| op.conclusions[c as usize].per_item.is_some())
                || nc.is_some_and(|c| np.conclusions[c as usize].per_item.is_some());
            let count = |p: &Program, f: &Facts, c: Option<u32>| {
                c.and_then(|c| p.conclusions[c as usize].per_item).map_or(0, |l| f.lists[l as usize].len())
            };
            let items: Vec<Option<usize>> =
                if per_item { (0..count(op, of, oc).max(count(np, nf, nc))).map(Some).collect() } else { vec![None] };
            for item in items {
                let missing = Shown { value: serde_json::Value::Null, state: "not in this version", rule: None };
                let a = oc.map_or(missing.clone(), |c| shown(op, ov, c, item));
                let b = nc.map_or(missing, |c| shown(np, nv, c, item));
                if a.value != b.value || a.state != b.state {
                    let root = nc.and_then(|c| root_cause(op, ov, np, nv, (c, item)));
                    let responsible = root
                        .as_ref()
                        .map(|(rule, _)| rule.clone())
                        .or_else(|| b.rule.as_ref().or(a.rule.as_ref()).map(|r| r.0.clone()))
                        .unwrap_or_else(|| "(no rule)".to_string());
                    let cause = root.map(|(_, place)| place).filter(|(n, i)| n != name || *i != item);
                    changes.push(Change { conclusion: name.to_string(), item, old: a, new: b, responsible, cause });
                }
            }
        }
    }
    ScenarioDiff { scenario, old: o, new: n, changes }
}
