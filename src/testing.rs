//! The test cases that live in a rulebook (`[[tests]]`): each is validated
//! (facts, options, expected conclusions), evaluated, and compared.

use crate::check::ir::{ConcId, RuleId};
use crate::diagnostic::Diagnostic;
use crate::eval::{OptionValues, Outcome, Verdicts};
use crate::facts::Facts;
use crate::input::{Node, NodeKind};
use crate::load::{confine, parse_data, read_file};
use crate::rulebook::TestDecl;
use crate::text::{Locale, Text};
use crate::value::value_from_node;
use crate::value::Value;
use crate::{Program, Rulebook, SourceMap};
use std::path::Path;

/// How one test case went.
#[derive(Debug)]
pub enum CaseResult {
    /// Every expectation held.
    Passed,
    /// One failure per expectation that did not hold: expected, actual, and why.
    Failed(Vec<Failure>),
    /// The case itself is wrong (bad facts, unknown conclusion) or evaluation failed.
    Error(Vec<Diagnostic>),
}

/// One test case of a rulebook, run.
#[derive(Debug)]
pub struct Case {
    /// The test's `name`.
    pub name: String,
    /// How it went.
    pub result: CaseResult,
    /// Rules that decided a conclusion in this case.
    pub fired: Vec<RuleId>,
    /// Conclusions this case states an expectation for.
    pub checked: Vec<ConcId>,
}

/// Which rules the test cases exercised, and which conclusions they check.
#[derive(Debug)]
pub struct Coverage {
    /// How many rules the rulebook has.
    pub rules: usize,
    /// Rules no case fired, in rule id order.
    pub unfired: Vec<RuleId>,
    /// Conclusions no case checks (internal ones left out), in conclusion id order.
    pub unchecked: Vec<ConcId>,
}

impl Coverage {
    /// The coverage of `cases`, the results of [`run_tests`] on `prog`.
    pub fn of(prog: &Program, cases: &[Case]) -> Coverage {
        let fired: std::collections::HashSet<RuleId> = cases.iter().flat_map(|c| c.fired.iter().copied()).collect();
        let checked: std::collections::HashSet<ConcId> = cases.iter().flat_map(|c| c.checked.iter().copied()).collect();
        Coverage {
            rules: prog.rules.len(),
            unfired: (0..prog.rules.len() as RuleId).filter(|r| !fired.contains(r)).collect(),
            unchecked: (0..prog.conclusions.len() as ConcId)
                .filter(|c| !checked.contains(c) && !prog.conclusions[*c as usize].internal)
                .collect(),
        }
    }

    /// Share of rules fired, in percent.
    pub fn percent(&self) -> f64 {
        if self.rules == 0 {
            100.0
        } else {
            100.0 * (self.rules - self.unfired.len()) as f64 / self.rules as f64
        }
    }
}

/// An expectation of a test case that did not hold. `name` is the
/// conclusion as the test names it, `name[i]` for an element.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    /// The outcome is not the one expected.
    Outcome {
        /// The conclusion, `name[i]` for an element.
        name: String,
        /// What the test expects.
        expected: Expect,
        /// What the evaluation gave.
        actual: Outcome,
        /// The rule that decided it, if one did.
        decided_by: Option<RuleId>,
    },
    /// The test lists a number of elements the scenario does not have.
    Elements {
        /// The per-item conclusion.
        name: String,
        /// How many the test lists.
        expected: usize,
        /// How many the scenario has.
        actual: usize,
        /// The list is of rules (`expect_rule`), not of values.
        rules: bool,
    },
    /// `expect_rule`: another rule, or none, decided it.
    Rule {
        /// The conclusion, `name[i]` for an element.
        name: String,
        /// The rule the test expects.
        expected: RuleId,
        /// The rule that decided it, if one did.
        decided_by: Option<RuleId>,
    },
    /// `expect_cite`: the rule that decided it, if any, does not cite `text`.
    Cite {
        /// The conclusion, `name[i]` for an element.
        name: String,
        /// The text the citation should contain.
        text: String,
        /// The rule that decided it, if one did.
        decided_by: Option<RuleId>,
    },
}

/// How a failure is written: the engine's words, and how a value and a
/// rulebook text are shown (a caller with a chosen language shows dates,
/// amounts and labels in it).
pub struct FailureWords<'a> {
    /// The engine's words.
    pub loc: Locale,
    /// A value (a date, an amount, an enumeration value) as shown.
    pub value: &'a dyn Fn(&Value) -> String,
    /// A rulebook text (a rule's `because`) as shown.
    pub text: &'a dyn Fn(&Text) -> String,
}

impl Failure {
    /// The failure in English with ISO dates, as `verdict test` writes it
    /// without `--lang` (and in its JSON and JUnit reports).
    pub fn line(&self, prog: &Program) -> String {
        let words =
            FailureWords { loc: Locale::default(), value: &|v| v.display(&prog.symbols), text: &|t| t.to_string() };
        self.render(prog, &words)
    }

    /// The failure in `w`'s words.
    pub fn render(&self, prog: &Program, w: &FailureWords) -> String {
        let msg = |key: &str, args: &[(&str, &str)]| w.loc.msg(key, args);
        // the rule in message `key`, with its `because` when `because` is that message's key
        let rule = |r: RuleId, key: &str, because: Option<&str>| {
            let rule = &prog.rules[r as usize];
            let cite = rule.cite.to_string();
            match (because, &rule.because) {
                (Some(key), Some(b)) => msg(key, &[("rule", &rule.id), ("cite", &cite), ("because", &(w.text)(b))]),
                _ => msg(key, &[("rule", &rule.id), ("cite", &cite)]),
            }
        };
        let decided =
            |r: Option<RuleId>| r.map_or_else(|| msg("test-no-rule-decides", &[]), |r| rule(r, "test-decided", None));
        match self {
            Failure::Outcome { name, expected, actual, decided_by } => {
                let actual_undetermined = matches!(actual, Outcome::Undetermined(_));
                let expected = match expected {
                    Expect::Value(x) => (w.value)(x),
                    Expect::Absent => msg("test-absent", &[]),
                    Expect::Undetermined => msg("test-undetermined", &[]),
                };
                let actual = match actual {
                    Outcome::Value(x) => (w.value)(x),
                    Outcome::Absent => msg("test-absent", &[]),
                    Outcome::Undetermined(n) => {
                        let names = n.iter().map(|x| x.name(prog)).collect::<Vec<_>>().join(", ");
                        msg("test-undetermined-needs", &[("names", &names)])
                    }
                };
                let why = match (actual_undetermined, decided_by) {
                    (false, None) => msg("test-no-rule-applied", &[]),
                    (false, Some(r)) => rule(*r, "test-decided", Some("test-decided-because")),
                    (true, None) => msg("test-no-rule-decided", &[]),
                    (true, Some(r)) => rule(*r, "test-rule-not-computed", None),
                };
                msg("test-expected", &[("name", name), ("expected", &expected), ("actual", &actual), ("why", &why)])
            }
            Failure::Elements { name, expected, actual, rules } => msg(
                if *rules { "test-rule-elements" } else { "test-elements" },
                &[("name", name), ("expected", &expected.to_string()), ("actual", &actual.to_string())],
            ),
            Failure::Rule { name, expected, decided_by } => msg(
                "test-expected-rule",
                &[("name", name), ("rule", &prog.rules[*expected as usize].id), ("actual", &decided(*decided_by))],
            ),
            Failure::Cite { name, text, decided_by } => {
                msg("test-expected-cite", &[("name", name), ("text", text), ("actual", &decided(*decided_by))])
            }
        }
    }
}

/// What a test expects of one conclusion (or one element of a per-item one).
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// This value.
    Value(Value),
    /// `"absent"`: no rule applies.
    Absent,
    /// `"undetermined"`: a fact it needs is missing.
    Undetermined,
}

/// What a test expects of why a conclusion is what it is: the deciding
/// rule (`expect_rule`, per element or for every element) or text its
/// citation contains (`expect_cite`).
#[derive(Debug)]
enum Why {
    Rule(Result<Vec<RuleId>, RuleId>),
    Cite(String),
}

/// A test case validated against the rulebook, ready to run.
struct Prepared {
    facts: Facts,
    options: OptionValues,
    /// (conclusion, shown name, per element or one expectation)
    expect: Vec<(ConcId, String, Result<Vec<Expect>, Expect>)>,
    /// (conclusion, shown name, the rule or citation expected)
    why: Vec<(ConcId, String, Why)>,
}

/// Runs every test case of a rulebook.
pub fn run_tests(rb: &Rulebook, sources: &mut SourceMap) -> Vec<Case> {
    run_tests_where(rb, sources, |_| true)
}

/// Runs the test cases of a rulebook whose name `keep` selects (`verdict test --filter`).
pub fn run_tests_where(rb: &Rulebook, sources: &mut SourceMap, keep: impl Fn(&str) -> bool) -> Vec<Case> {
    rb.program
        .tests
        .iter()
        .filter(|t| keep(&t.name))
        .map(|t| {
            let (result, fired, checked) = match prepare(rb, t, sources) {
                Err(d) => (CaseResult::Error(d), Vec::new(), Vec::new()),
                Ok(p) => {
                    let checked = p.expect.iter().map(|(c, _, _)| *c).chain(p.why.iter().map(|(c, _, _)| *c)).collect();
                    match run(rb, &p) {
                        Ok((r, fired)) => (r, fired, checked),
                        Err(d) => (CaseResult::Error(d), Vec::new(), checked),
                    }
                }
            };
            Case { name: t.name.clone(), result, fired, checked }
        })
        .collect()
}

/// Every problem in the test cases themselves, without running them (for `verdict check`).
pub fn check_tests(rb: &Rulebook, sources: &mut SourceMap) -> Vec<Diagnostic> {
    rb.program.tests.iter().filter_map(|t| prepare(rb, t, sources).err()).flatten().collect()
}

/// The scenario a test case evaluates: its inline `facts`, or its `scenario`
/// file with the inline facts laid over it (`None` when it gives neither).
/// `verdict test` and `verdict diff`'s test corpus both read tests this way.
pub fn test_scenario(rb: &Rulebook, t: &TestDecl, sources: &mut SourceMap) -> Result<Option<Node>, Vec<Diagnostic>> {
    let Some((rel, span)) = &t.scenario else { return Ok(t.facts.clone()) };
    let path = rb.path.parent().unwrap_or(Path::new(".")).join(rel);
    confine(&path, rb.confined_to.as_deref(), *span, "test scenario", rel).map_err(|d| vec![d])?;
    if !path.is_file() {
        return Err(vec![Diagnostic::new(
            "test::scenario",
            format!("test `{}`: no scenario file `{rel}`", t.name),
            *span,
        )
        .label("not found")
        .help(format!("the path is relative to the rulebook; it resolves to {}", path.display()))]);
    }
    let mut node = read_file(sources, &path).and_then(|id| parse_data(sources, id)).map_err(|d| d.0)?;
    // the test's own facts, if any, are laid over the scenario's
    if let Some(f) = &t.facts {
        node.overlay(f);
    }
    Ok(Some(node))
}

fn prepare(rb: &Rulebook, t: &TestDecl, sources: &mut SourceMap) -> Result<Prepared, Vec<Diagnostic>> {
    let prog = &rb.program;
    let mut errors = Vec::new();
    let node = test_scenario(rb, t, sources).map_err(|e| errors.extend(e)).ok().flatten();
    let facts = node.and_then(|n| rb.facts(&n).map_err(|d| errors.extend(d.0)).ok());
    let mut options = OptionValues::defaults(prog);
    for (key, node) in &t.set {
        let Some(id) = prog.option_id(&key.name) else {
            errors.push(
                Diagnostic::new("test::option", format!("unknown option `{}`", key.name), key.span)
                    .label("not an option of this rulebook")
                    .help(prog.suggest_option(&key.name)),
            );
            continue;
        };
        match value_from_node(node, &prog.options[id as usize].ty, &prog.symbols) {
            Ok(v) => {
                options.values[id as usize] = v;
                options.set[id as usize] = true;
            }
            Err(d) => errors.push(d),
        }
    }
    let mut expect = Vec::new();
    for (key, node) in &t.expect {
        let Some(c) = prog.conclusion_id(&key.name) else {
            errors.push(unknown_conclusion(prog, key));
            continue;
        };
        let per_item = prog.conclusions[c as usize].per_item.is_some();
        let parsed = if per_item {
            match node.as_array() {
                Ok(items) => items.iter().map(|n| expectation(prog, c, n)).collect::<Result<Vec<_>, _>>().map(Ok),
                Err(_) => Err(Diagnostic::new(
                    "test::per-item",
                    format!("`{}` has a value per element: expect a list", key.name),
                    node.span,
                )
                .label("expected a list")
                .help("write one expectation per element, e.g. [true, \"absent\"]")),
            }
        } else {
            expectation(prog, c, node).map(Err)
        };
        match parsed {
            Ok(e) => expect.push((c, key.name.clone(), e)),
            Err(d) => errors.push(d),
        }
    }
    let why = expectations_of_why(prog, t, &mut errors);
    match facts {
        Some(facts) if errors.is_empty() => Ok(Prepared { facts, options, expect, why }),
        _ => Err(errors),
    }
}

/// A test names a conclusion the rulebook does not have.
fn unknown_conclusion(prog: &Program, key: &crate::input::Key) -> Diagnostic {
    Diagnostic::new("test::conclusion", format!("unknown conclusion `{}`", key.name), key.span)
        .label("not a conclusion of this rulebook")
        .help(prog.suggest_conclusion(&key.name))
}

/// `expect_rule` and `expect_cite`, validated: known conclusions, known rule
/// ids (one, or a list for a per-item conclusion), citation text.
fn expectations_of_why(prog: &Program, t: &TestDecl, errors: &mut Vec<Diagnostic>) -> Vec<(ConcId, String, Why)> {
    let mut why = Vec::new();
    let rule = |node: &Node| -> Result<RuleId, Diagnostic> {
        let id = node.as_str().map_err(|d| d.help("give the id of a rule, e.g. \"deadline.period\""))?;
        prog.rule_id(id).ok_or_else(|| {
            let ids: Vec<&str> = prog.rules.iter().map(|r| r.id.as_str()).collect();
            Diagnostic::new("test::rule", format!("unknown rule `{id}`"), node.span)
                .label("not a rule of this rulebook")
                .help(crate::diagnostic::suggest(id, &ids, "rule"))
        })
    };
    for (key, node, is_rule) in
        t.expect_rule.iter().map(|(k, n)| (k, n, true)).chain(t.expect_cite.iter().map(|(k, n)| (k, n, false)))
    {
        let Some(c) = prog.conclusion_id(&key.name) else {
            errors.push(unknown_conclusion(prog, key));
            continue;
        };
        let parsed = match (is_rule, &node.kind) {
            (true, NodeKind::Array(items)) if prog.conclusions[c as usize].per_item.is_some() => {
                items.iter().map(rule).collect::<Result<Vec<_>, _>>().map(|ids| Why::Rule(Ok(ids)))
            }
            (true, _) => rule(node).map(|id| Why::Rule(Err(id))),
            (false, _) => node
                .as_str()
                .map(|text| Why::Cite(text.to_string()))
                .map_err(|d| d.help("give text the deciding rule's `cite` contains, e.g. \"BW 6:230o\"")),
        };
        match parsed {
            Ok(w) => why.push((c, key.name.clone(), w)),
            Err(d) => errors.push(d),
        }
    }
    why
}

/// The failures of a test's `expect_rule` and `expect_cite`.
fn check_why(prog: &Program, verdicts: &Verdicts, why: &[(ConcId, String, Why)], failures: &mut Vec<Failure>) {
    for (c, name, w) in why {
        let items: Vec<Option<usize>> = match prog.conclusions[*c as usize].per_item {
            Some(_) => (0..verdicts.per_item[*c as usize].len()).map(Some).collect(),
            None => vec![None],
        };
        if let Why::Rule(Ok(ids)) = w {
            if ids.len() != items.len() {
                failures.push(Failure::Elements {
                    name: name.clone(),
                    expected: ids.len(),
                    actual: items.len(),
                    rules: true,
                });
                continue;
            }
        }
        for (k, item) in items.into_iter().enumerate() {
            let name = item.map_or_else(|| name.clone(), |i| format!("{name}[{i}]"));
            let decided_by = verdicts.decided_by(*c, item);
            match w {
                Why::Rule(expected) => {
                    let expected = match expected {
                        Ok(ids) => ids[k],
                        Err(id) => *id,
                    };
                    if decided_by != Some(expected) {
                        failures.push(Failure::Rule { name, expected, decided_by });
                    }
                }
                Why::Cite(text) => {
                    if !decided_by.is_some_and(|r| prog.rules[r as usize].cite.contains(text.as_str())) {
                        failures.push(Failure::Cite { name, text: text.clone(), decided_by });
                    }
                }
            }
        }
    }
}

fn expectation(prog: &Program, c: ConcId, node: &Node) -> Result<Expect, Diagnostic> {
    if let NodeKind::Str(s) = &node.kind {
        match s.as_str() {
            "absent" => return Ok(Expect::Absent),
            "undetermined" => return Ok(Expect::Undetermined),
            _ => {}
        }
    }
    let ty = &prog.conclusions[c as usize].ty;
    value_from_node(node, ty, &prog.symbols)
        .map(Expect::Value)
        .map_err(|d| d.help("expect a value of the conclusion's type, or \"absent\" / \"undetermined\""))
}

fn holds(e: &Expect, actual: &Outcome) -> bool {
    match (e, actual) {
        (Expect::Absent, Outcome::Absent) => true,
        (Expect::Undetermined, Outcome::Undetermined(_)) => true,
        (Expect::Value(v), Outcome::Value(a)) => v == a,
        _ => false,
    }
}

fn run(rb: &Rulebook, p: &Prepared) -> Result<(CaseResult, Vec<RuleId>), Vec<Diagnostic>> {
    let prog = &rb.program;
    let verdicts = rb.program.evaluate(&p.facts, &p.options, true).map_err(|e| vec![*e])?;
    let fired = verdicts.trace.iter().filter_map(|e| e.decided_by).collect();
    let mut failures = Vec::new();
    for (c, name, expected) in &p.expect {
        match expected {
            Err(e) => {
                let actual = &verdicts.global[*c as usize];
                if !holds(e, actual) {
                    failures.push(outcome_failure(&verdicts, *c, None, name.clone(), e, actual));
                }
            }
            Ok(items) => {
                let actual = &verdicts.per_item[*c as usize];
                if items.len() != actual.len() {
                    failures.push(Failure::Elements {
                        name: name.clone(),
                        expected: items.len(),
                        actual: actual.len(),
                        rules: false,
                    });
                    continue;
                }
                for (i, (e, a)) in items.iter().zip(actual).enumerate() {
                    if !holds(e, a) {
                        failures.push(outcome_failure(&verdicts, *c, Some(i), format!("{name}[{i}]"), e, a));
                    }
                }
            }
        }
    }
    check_why(prog, &verdicts, &p.why, &mut failures);
    let result = if failures.is_empty() { CaseResult::Passed } else { CaseResult::Failed(failures) };
    Ok((result, fired))
}

fn outcome_failure(v: &Verdicts, c: ConcId, item: Option<usize>, name: String, e: &Expect, a: &Outcome) -> Failure {
    Failure::Outcome { name, expected: e.clone(), actual: a.clone(), decided_by: v.decided_by(c, item) }
}
