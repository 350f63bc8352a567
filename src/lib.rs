//! verdict: a rules engine for consumer law.
//!
//! Compliance staff write **rulebooks** (TOML, with conditions and periods in
//! a small rule language); verdict checks them, applies them to the facts of a
//! purchase and answers with verdicts and an explanation that cites the law.
//!
//! # Embedding
//!
//! Load a rulebook ([`Rulebook::load`] from a file, [`Rulebook::from_str`]
//! from text), read a scenario against it ([`Rulebook::scenario`]: the version
//! in force is chosen, the facts are read and the rulebook's checks run), and
//! evaluate it. Every problem is a located [`Diagnostic`] in a [`SourceMap`];
//! nothing is defaulted silently, and a conclusion that needs a missing fact
//! says so ([`Outcome::Undetermined`]).
//!
//! ```
//! use verdict::{Outcome, Rulebook, ScenarioInput, SourceMap, Value};
//!
//! let rulebook = r#"
//! [rulebook]
//! id = "example.withdrawal"
//! title = "May the consumer withdraw?"
//! version = "1"
//! currency = "EUR"
//!
//! [sources]
//! CRD = { title = "Directive 2011/83/EU", url = "https://eur-lex.europa.eu/eli/dir/2011/83/oj" }
//!
//! [facts.item.received_on]
//! type = "date"
//! doc = "Day the consumer received the good."
//!
//! [facts.withdrawal.sent_on]
//! type = "date"
//! doc = "Day the consumer sent the withdrawal notice."
//! optional = true
//!
//! [conclusions.withdrawal.in_time]
//! type = "bool"
//! doc = "The notice was sent within 14 days of receipt."
//!
//! [[rules]]
//! id = "in_time"
//! concludes = "withdrawal.in_time"
//! value = 'withdrawal.sent_on <= item.received_on + 14 days'
//! because = "The consumer has 14 days from receipt to withdraw."
//! cite = "CRD art. 9(1)"
//! "#;
//!
//! let mut sources = SourceMap::new();
//! let rb = Rulebook::from_str(&mut sources, "example.toml", rulebook).expect("the rulebook checks");
//!
//! let text = "item.received_on = 2026-03-02\nwithdrawal.sent_on = 2026-03-10\n";
//! let input = ScenarioInput::Text { name: "scenario.toml", text };
//! let scenario = rb.scenario(&mut sources, input).expect("the scenario fits the rulebook");
//! let verdicts = scenario.evaluate(&scenario.version.default_options(), false).expect("evaluates");
//! assert_eq!(verdicts.get("withdrawal.in_time"), Some(&Outcome::Value(Value::Bool(true))));
//!
//! // a missing fact is reported, never guessed
//! let input = ScenarioInput::Text { name: "partial.toml", text: "item.received_on = 2026-03-02\n" };
//! let scenario = rb.scenario(&mut sources, input).expect("optional facts may be absent");
//! let verdicts = scenario.evaluate(&scenario.version.default_options(), false).expect("evaluates");
//! assert!(matches!(verdicts.get("withdrawal.in_time"), Some(Outcome::Undetermined(_))));
//!
//! // a mistake in the scenario is a located diagnostic
//! let input = ScenarioInput::Text { name: "bad.toml", text: "item.recieved_on = 2026-03-02\n" };
//! let errors = rb.scenario(&mut sources, input).unwrap_err();
//! assert_eq!(errors.0[0].one_line(&sources), "bad.toml:1:6: unknown fact `item.recieved_on`");
//! ```
//!
//! [`output::write_verdicts`] writes the JSON verdict object of the contract
//! (docs/OUTPUT.md); [`testing`], [`diff`], [`generate`] and
//! [`counterfactual`] are the services behind `verdict test`, `diff` and
//! `explain`.
//!
//! # Pipeline
//!
//! TOML text → [`input`] spanned tree → [`rulebook`] declarations with
//! parsed [`syntax`] → [`check`]ed [`Program`] (names resolved to slots, types,
//! rule order) → [`facts`] of a scenario → [`eval`]uation into [`Verdicts`]
//! with a trace. [`load`] ties the stages together. Each stage imports only
//! the stages before it (tests/integration/layers.rs keeps it so).

#![warn(missing_docs)]

pub mod builtins;
pub mod check;
pub mod counterfactual;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod explain;
pub mod facts;
pub mod format;
pub mod generate;
pub mod index;
pub mod input;
pub mod letter;
pub mod load;
pub mod output;
// an internal stage, public only for the fuzz crate (verdict-fuzz) and the
// integration tests; not part of the embedder's API
#[doc(hidden)]
pub mod rulebook;
pub mod schema;
pub mod source;
// an internal stage, public only for the fuzz crate (verdict-fuzz) and the
// integration tests; not part of the embedder's API
#[doc(hidden)]
pub mod syntax;
pub mod testing;
pub mod text;
pub mod time;
pub mod value;

#[cfg(test)]
mod test_support;

pub use check::Program;
pub use diagnostic::{Diagnostic, Diagnostics};
pub use eval::{OptionValues, Outcome, Verdicts};
pub use facts::Facts;
pub use load::{AsOf, InForce, Rulebook, Scenario, ScenarioInput};
pub use source::SourceMap;
pub use value::Value;
