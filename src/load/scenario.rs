//! The one way in for a scenario: from a file, from text or from a parsed
//! tree, the version in force is chosen, the facts are read against it and
//! the rulebook's `[[checks]]` are run. `eval`, `--batch`, `explain` and the
//! fuzzers read scenarios through [`Rulebook::scenario`]; `test` and `diff`,
//! which hold one version each, through [`Rulebook::facts`].

use super::versions::InForce;
use super::{expect_kind, parse_data, read_file, FileKind, Rulebook};

/// How `eval` takes its files, for a rulebook or calendar given as a scenario.
const SCENARIO_USAGE: &str =
    "verdict eval takes the rulebook first, then the scenarios: verdict eval RULEBOOK SCENARIO…";
use crate::check::AS_OF_FACT;
use crate::diagnostic::Diagnostic;
use crate::diagnostic::Diagnostics;
use crate::eval::{EvalError, OptionValues, Verdicts};
use crate::facts::Facts;
use crate::input::{Key, Node, NodeKind};
use crate::source::{SourceMap, Span};
use chrono::NaiveDate;
use std::path::Path;

/// The day to evaluate a scenario as of, given outside the scenario
/// (`verdict eval --as-of`, a request's field). It replaces an `as_of` the
/// scenario gives itself.
#[derive(Clone, Copy, Debug)]
pub struct AsOf<'a> {
    /// The day.
    pub day: NaiveDate,
    /// How errors name where it was given, e.g. `--as-of`.
    pub given_by: &'a str,
}

/// Where a scenario comes from.
#[derive(Clone, Copy, Debug)]
pub enum ScenarioInput<'a> {
    /// A TOML or JSON file (JSON when it ends in `.json` or starts with `{`).
    File(&'a Path),
    /// TOML or JSON text; `name` is how errors name it.
    Text {
        /// How errors name the scenario, e.g. its file name or a request id.
        name: &'a str,
        /// The scenario itself.
        text: &'a str,
    },
    /// A tree already parsed (its spans point into a source of the caller's).
    Tree(&'a Node),
}

/// A scenario read against the version of a rulebook in force for it.
#[derive(Debug)]
pub struct Scenario<'r> {
    /// The version whose facts were read (the rulebook itself, or one of its
    /// other versions).
    pub version: &'r Rulebook,
    /// The facts, by slot of that version.
    pub facts: Facts,
    /// Why that version is in force (`None` when the rulebook has no `date_fact`).
    pub in_force: Option<InForce>,
}

impl Rulebook {
    /// Reads a scenario: chooses the version in force, reads the facts
    /// against it and runs its `[[checks]]`. Every problem is a located
    /// diagnostic; nothing is defaulted silently.
    pub fn scenario(&self, sources: &mut SourceMap, input: ScenarioInput) -> Result<Scenario<'_>, Diagnostics> {
        match input {
            ScenarioInput::Tree(root) => self.scenario_tree(root, None),
            other => self.scenario_tree(&parse_input(sources, other)?, None),
        }
    }

    /// Reads a scenario as [`Rulebook::scenario`] does, evaluated as of a day
    /// given outside it (`None`: as the scenario says). The version in force
    /// must declare the fact [`AS_OF_FACT`]; one that does not is an error
    /// located at `given_by`, never a day silently ignored.
    pub fn scenario_as_of(
        &self,
        sources: &mut SourceMap,
        input: ScenarioInput,
        as_of: Option<AsOf>,
    ) -> Result<Scenario<'_>, Diagnostics> {
        let Some(as_of) = as_of else { return self.scenario(sources, input) };
        let mut root = parse_input(sources, input)?;
        let span = set_as_of(&mut root, sources, as_of);
        self.scenario_tree(&root, Some(span))
    }

    /// Reads one JSON line as a scenario: what [`Rulebook::scenario_as_of`]
    /// gives for the line parsed with `parse_json(SourceId(0), line)`, with
    /// every error located in that source. The line is read straight into
    /// the facts; only a line that does not read cleanly (a mistake, an
    /// escape, a timeline) is parsed into a tree, so its errors are found
    /// and located as always.
    ///
    /// ```
    /// let mut sources = verdict::SourceMap::new();
    /// let rb = verdict::Rulebook::load(&mut sources, "rulebooks/nl/withdrawal.toml".as_ref()).unwrap();
    /// let line = r#"{"contract": {"kind": "goods", "channel": "distance", "concluded_on": "2026-07-02"},
    ///   "items": [{"name": "cd", "received_on": "2026-07-04", "nature": "standard"}]}"#;
    /// let s = rb.scenario_json_line(line, None).unwrap();
    /// assert_eq!(s.version.program.meta.version, "2026.2");
    /// let old = rb.scenario_json_line(&line.replace("2026-07-02", "2023-07-02"), None).unwrap();
    /// assert_eq!(old.version.program.meta.version, "2022.1");
    /// let err = rb.scenario_json_line(&line.replace("goods", "good"), None).unwrap_err();
    /// assert!(err.0[0].message.contains("`good` is not an allowed value"));
    /// ```
    pub fn scenario_json_line(&self, line: &str, as_of: Option<AsOf>) -> Result<Scenario<'_>, Diagnostics> {
        self.scenario_json_line_reusing(line, as_of, Facts::default())
    }

    /// As [`Rulebook::scenario_json_line`], reading the facts into the
    /// buffers of `spare`: a caller that reads many lines passes the facts of
    /// the scenario before (`scenario.facts`), so that the slots are
    /// allocated once, not once a line.
    pub fn scenario_json_line_reusing(
        &self,
        line: &str,
        as_of: Option<AsOf>,
        spare: Facts,
    ) -> Result<Scenario<'_>, Diagnostics> {
        if let Some(scenario) = self.scenario_direct(line, as_of.map(|a| a.day), spare) {
            return Ok(scenario);
        }
        let root = crate::input::parse_json(crate::source::SourceId(0), line)?;
        self.scenario_as_of(&mut SourceMap::new(), ScenarioInput::Tree(&root), as_of)
    }

    /// The scenario of a JSON line read straight into the facts of the
    /// version in force, with its `[[checks]]` passed; `None` when anything
    /// would be an error (the slow way then says what).
    pub(crate) fn scenario_direct(&self, line: &str, as_of: Option<NaiveDate>, spare: Facts) -> Option<Scenario<'_>> {
        let (version, facts, in_force) = match &self.program.meta.date_fact {
            None => (self, crate::facts::read_json_line(&self.program, line, as_of, spare)?, None),
            Some((fact, _)) => {
                if as_of.is_some() && fact == AS_OF_FACT {
                    return None;
                }
                // read with the version the date fact points to (found first, without the
                // rest of the line), so that a line of an earlier version is read once
                let guess = crate::facts::find_date(&self.program, line, fact).and_then(|d| self.in_force_on(d));
                let reader = guess.map_or(self, |(v, _)| v);
                let facts = crate::facts::read_json_line(&reader.program, line, as_of, spare)?;
                let id = *reader.program.names.facts.get(fact)? as usize;
                let date = match &facts.values[id] {
                    Some(crate::value::Value::Date(d)) if !facts.defaulted[id] => *d,
                    _ => return None,
                };
                let (version, why) = self.in_force_on(date)?;
                let facts = if std::ptr::eq(version, reader) {
                    facts
                } else {
                    crate::facts::read_json_line(&version.program, line, as_of, facts)?
                };
                (version, facts, Some(why))
            }
        };
        let whole = Span::new(crate::source::SourceId(0), 0, line.len());
        let facts = version.compiled.check_scenario(&version.program, &facts, whole).finish(facts).ok()?;
        Some(Scenario { version, facts, in_force })
    }

    /// An error unless this version declares the date fact [`AS_OF_FACT`].
    fn reads_as_of(&self, given_at: Span) -> Result<(), Diagnostic> {
        if self.program.names.facts.contains_key(AS_OF_FACT) {
            return Ok(());
        }
        let meta = &self.program.meta;
        Err(Diagnostic::new(
            "scenario::as-of",
            format!("`{}` (version {}) reads no evaluation day", meta.id, meta.version),
            given_at,
        )
        .label("this day would change nothing")
        .help(format!(
            "leave it out: no rule of `{}` depends on the day it is evaluated; a rulebook that does declares [facts.{AS_OF_FACT}] with type = \"date\"",
            meta.id
        )))
    }

    /// Chooses the version once and reads the facts against it; with
    /// `as_of_at` (where a day given from outside was put), that version
    /// must read an evaluation day.
    fn scenario_tree(&self, root: &Node, as_of_at: Option<Span>) -> Result<Scenario<'_>, Diagnostics> {
        match self.select(root) {
            Ok((version, in_force)) => {
                if let Some(span) = as_of_at {
                    version.reads_as_of(span)?;
                }
                Ok(Scenario { version, facts: version.facts(root)?, in_force })
            }
            // the scenario's own errors (a misspelt date fact, a list for a table) say more
            Err(d) => Err(self.facts(root).err().unwrap_or_else(|| d.into())),
        }
    }

    /// Reads a scenario's facts against this version exactly (no version is
    /// chosen) and runs its `[[checks]]`.
    pub fn facts(&self, root: &Node) -> Result<Facts, Diagnostics> {
        let facts = Facts::from_node(&self.program, root)?;
        self.compiled.check_scenario(&self.program, &facts, root.span).finish(facts)
    }

    /// This version's options, each at its default.
    pub fn default_options(&self) -> OptionValues {
        OptionValues::defaults(&self.program)
    }
}

/// The scenario's tree: read from its file or text (a tree given is cloned).
fn parse_input(sources: &mut SourceMap, input: ScenarioInput) -> Result<Node, Diagnostics> {
    match input {
        ScenarioInput::Tree(root) => Ok(root.clone()),
        ScenarioInput::File(path) => {
            let id = read_file(sources, path)?;
            let root = parse_data(sources, id)?;
            expect_kind(&root, FileKind::Scenario, SCENARIO_USAGE)?;
            Ok(root)
        }
        ScenarioInput::Text { name, text } => {
            let id = sources.add(name, text);
            let root = parse_data(sources, id)?;
            expect_kind(&root, FileKind::Scenario, SCENARIO_USAGE)?;
            Ok(root)
        }
    }
}

/// Puts the day into the scenario's top-level `as_of`, replacing one the
/// scenario gave, located at a source of its own; returns that place.
fn set_as_of(root: &mut Node, sources: &mut SourceMap, as_of: AsOf) -> Span {
    let text = as_of.day.format("%Y-%m-%d").to_string();
    let span = Span::new(sources.add(as_of.given_by, text.as_str()), 0, text.len());
    if let NodeKind::Table(t) = &mut root.kind {
        let node = Node { kind: NodeKind::Date(as_of.day), span };
        match t.entries.iter_mut().find(|(k, _)| k.name == AS_OF_FACT) {
            Some((_, v)) => *v = node,
            None => t.entries.push((Key { name: AS_OF_FACT.to_string(), span }, node)),
        }
    }
    span
}

impl Scenario<'_> {
    /// Evaluates the scenario with the version it was read against. `options`
    /// must be that version's ([`Rulebook::default_options`] of
    /// [`Scenario::version`], changed as needed); `trace` records why each
    /// verdict is what it is.
    pub fn evaluate(&self, options: &OptionValues, trace: bool) -> Result<Verdicts, EvalError> {
        self.version.evaluate(&self.facts, options, trace)
    }
}

impl Rulebook {
    /// Evaluates facts read for this version (not another of its versions):
    /// without a trace on the compiled conditions ([`crate::eval::Compiled`]),
    /// with one by the interpreter, [`crate::check::Program::evaluate`]. Both
    /// give the same outcomes and errors.
    pub fn evaluate(&self, facts: &Facts, options: &OptionValues, trace: bool) -> Result<Verdicts, EvalError> {
        if trace {
            self.program.evaluate(facts, options, true)
        } else {
            self.compiled.evaluate(&self.program, facts, options)
        }
    }

    /// As [`Rulebook::evaluate`] without a trace, into `out`, whose buffers
    /// are reused (for a caller that evaluates many scenarios; start with
    /// [`Verdicts::for_program`]). On an error, `out` holds what was decided
    /// before it.
    pub fn evaluate_into(&self, facts: &Facts, options: &OptionValues, out: &mut Verdicts) -> Result<(), EvalError> {
        self.compiled.evaluate_into(&self.program, facts, options, out)
    }
}
