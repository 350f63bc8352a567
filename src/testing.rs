//! The test cases that live in a rulebook (`[[tests]]`): evaluate each and
//! compare the expected conclusions.

use crate::diagnostic::{suggest, Diagnostic};
use crate::eval::{OptionValues, Outcome, Verdicts};
use crate::facts::{value_from_node, Facts};
use crate::input::{Node, NodeKind};
use crate::rulebook::TestDecl;
use crate::{Program, Rulebook, SourceMap};
use std::path::Path;

/// How one test case went.
#[derive(Debug)]
pub enum CaseResult {
    Passed,
    /// One line per conclusion that differs: expected, actual, and why.
    Failed(Vec<String>),
    /// The case itself is wrong (bad facts, unknown conclusion) or evaluation failed.
    Error(Vec<Diagnostic>),
}

#[derive(Debug)]
pub struct Case {
    pub name: String,
    pub result: CaseResult,
}

/// Runs every test case of a rulebook.
pub fn run_tests(rb: &Rulebook, sources: &mut SourceMap) -> Vec<Case> {
    rb.program
        .tests
        .iter()
        .map(|t| Case { name: t.name.clone(), result: run_case(rb, t, sources).unwrap_or_else(CaseResult::Error) })
        .collect()
}

fn run_case(rb: &Rulebook, t: &TestDecl, sources: &mut SourceMap) -> Result<CaseResult, Vec<Diagnostic>> {
    let prog = &rb.program;
    let facts = match (&t.facts, &t.scenario) {
        (Some(node), _) => Facts::from_node(prog, node).map_err(|d| d.0)?,
        (None, Some((rel, _))) => {
            let path = rb.path.parent().unwrap_or(Path::new(".")).join(rel);
            rb.scenario(sources, &path).map_err(|d| d.0)?
        }
        (None, None) => return Err(vec![Diagnostic::new("test::facts", "the test has no facts", t.span)]),
    };
    let mut options = OptionValues::defaults(prog);
    for (key, node) in &t.set {
        let Some(id) = prog.option_id(&key.name) else {
            let names: Vec<&str> = prog.options.iter().map(|o| o.name.as_str()).collect();
            return Err(vec![Diagnostic::new("test::option", format!("unknown option `{}`", key.name), key.span)
                .label("not an option of this rulebook")
                .help(suggest(&key.name, &names, "option"))]);
        };
        options.values[id as usize] =
            value_from_node(node, &prog.options[id as usize].ty, &prog.symbols).map_err(|d| vec![d])?;
        options.set[id as usize] = true;
    }
    let verdicts = rb.evaluate(&facts, &options, true).map_err(|e| vec![*e])?;
    let mut failures = Vec::new();
    let mut errors = Vec::new();
    for (key, expected) in &t.expect {
        let Some(c) = prog.conclusion_id(&key.name) else {
            let names: Vec<&str> = prog.conclusions.iter().map(|c| c.name.as_str()).collect();
            errors.push(
                Diagnostic::new("test::conclusion", format!("unknown conclusion `{}`", key.name), key.span)
                    .label("not a conclusion of this rulebook")
                    .help(suggest(&key.name, &names, "conclusion")),
            );
            continue;
        };
        let def = &prog.conclusions[c as usize];
        if def.per_item.is_some() {
            let Ok(items) = expected.as_array() else {
                errors.push(
                    Diagnostic::new(
                        "test::per-item",
                        format!("`{}` has a value per element: expect a list", key.name),
                        expected.span,
                    )
                    .label("expected a list")
                    .help("write one expectation per element, e.g. [true, \"absent\"]"),
                );
                continue;
            };
            let actual = &verdicts.per_item[c as usize];
            if items.len() != actual.len() {
                failures.push(format!(
                    "{}: expected {} elements, the scenario has {}",
                    key.name,
                    items.len(),
                    actual.len()
                ));
                continue;
            }
            for (i, (e, a)) in items.iter().zip(actual).enumerate() {
                match matches(prog, e, a, &def.ty) {
                    Ok(true) => {}
                    Ok(false) => {
                        failures.push(describe(prog, &verdicts, c, Some(i), &format!("{}[{i}]", key.name), e, a))
                    }
                    Err(d) => errors.push(d),
                }
            }
        } else {
            let actual = &verdicts.global[c as usize];
            match matches(prog, expected, actual, &def.ty) {
                Ok(true) => {}
                Ok(false) => failures.push(describe(prog, &verdicts, c, None, &key.name, expected, actual)),
                Err(d) => errors.push(d),
            }
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(if failures.is_empty() { CaseResult::Passed } else { CaseResult::Failed(failures) })
}

fn matches(
    prog: &Program,
    expected: &Node,
    actual: &Outcome,
    ty: &crate::check::types::Type,
) -> Result<bool, Diagnostic> {
    if let NodeKind::Str(s) = &expected.kind {
        match s.as_str() {
            "absent" => return Ok(*actual == Outcome::Absent),
            "undetermined" => return Ok(matches!(actual, Outcome::Undetermined(_))),
            _ => {}
        }
    }
    let want = value_from_node(expected, ty, &prog.symbols)?;
    Ok(matches!(actual, Outcome::Value(v) if *v == want))
}

fn describe(
    prog: &Program,
    v: &Verdicts,
    c: u32,
    item: Option<usize>,
    name: &str,
    expected: &Node,
    actual: &Outcome,
) -> String {
    let exp = match &expected.kind {
        NodeKind::Str(s) => s.clone(),
        NodeKind::Date(d) => d.to_string(),
        NodeKind::Bool(b) => b.to_string(),
        NodeKind::Int(i) => i.to_string(),
        NodeKind::Float(f) => f.clone(),
        _ => "(value)".into(),
    };
    let act = match actual {
        Outcome::Value(x) => x.display(&prog.symbols),
        Outcome::Absent => "absent".into(),
        Outcome::Undetermined(n) => {
            format!("undetermined (needs {})", n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", "))
        }
    };
    let why = v
        .trace
        .iter()
        .find(|e| e.conclusion == c && e.item == item)
        .and_then(|e| e.decided_by)
        .map(|r| {
            let rule = &prog.rules[r as usize];
            format!(
                " — decided by `{}` ({}){}",
                rule.id,
                rule.cite,
                rule.because.as_ref().map(|b| format!(": {b}")).unwrap_or_default()
            )
        })
        .unwrap_or_else(|| " — no rule applied".into());
    format!("{name}: expected {exp}, got {act}{why}")
}
