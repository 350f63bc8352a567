//! The one way in for a scenario: from a file, from text or from a parsed
//! tree, the version in force is chosen, the facts are read against it and
//! the rulebook's `[[checks]]` are run. `eval`, `--batch`, `explain` and the
//! fuzzers read scenarios through [`Rulebook::scenario`]; `test` and `diff`,
//! which hold one version each, through [`Rulebook::facts`].

use super::versions::InForce;
use super::{parse_data, read_file, Rulebook};
use crate::diagnostic::Diagnostics;
use crate::eval::{check_scenario, EvalError, OptionValues, Verdicts};
use crate::facts::Facts;
use crate::input::Node;
use crate::source::SourceMap;
use std::path::Path;

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
        let root = match input {
            ScenarioInput::Tree(root) => return self.scenario_tree(root),
            ScenarioInput::File(path) => {
                let id = read_file(sources, path)?;
                parse_data(sources, id)?
            }
            ScenarioInput::Text { name, text } => {
                let id = sources.add(name, text);
                parse_data(sources, id)?
            }
        };
        self.scenario_tree(&root)
    }

    fn scenario_tree(&self, root: &Node) -> Result<Scenario<'_>, Diagnostics> {
        match self.select(root) {
            Ok((version, in_force)) => Ok(Scenario { version, facts: version.facts(root)?, in_force }),
            // the scenario's own errors (a misspelt date fact, a list for a table) say more
            Err(d) => Err(self.facts(root).err().unwrap_or_else(|| d.into())),
        }
    }

    /// Reads a scenario's facts against this version exactly (no version is
    /// chosen) and runs its `[[checks]]`.
    pub fn facts(&self, root: &Node) -> Result<Facts, Diagnostics> {
        let facts = Facts::from_node(&self.program, root)?;
        check_scenario(&self.program, &facts, root.span).finish(facts)
    }

    /// This version's options, each at its default.
    pub fn default_options(&self) -> OptionValues {
        OptionValues::defaults(&self.program)
    }
}

impl Scenario<'_> {
    /// Evaluates the scenario with the version it was read against. `options`
    /// must be that version's ([`Rulebook::default_options`] of
    /// [`Scenario::version`], changed as needed); `trace` records why each
    /// verdict is what it is.
    pub fn evaluate(&self, options: &OptionValues, trace: bool) -> Result<Verdicts, EvalError> {
        self.version.program.evaluate(&self.facts, options, trace)
    }
}
