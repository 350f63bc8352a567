//! verdict: a rules engine for consumer law.
//!
//! Pipeline: TOML text → [`input`] spanned tree → [`rulebook`] declarations with
//! parsed [`syntax`] → [`check`]ed [`Program`] (names resolved to slots, types,
//! rule order) → [`eval`]uation of a scenario's [`Facts`] into [`Verdicts`]
//! with a trace. [`load`] ties the stages together for files on disk.

pub mod builtins;
pub mod check;
pub mod counterfactual;
pub mod diagnostic;
pub mod diff;
pub mod eval;
pub mod facts;
pub mod generate;
pub mod input;
pub mod load;
pub mod output;
pub mod rulebook;
pub mod source;
pub mod syntax;
pub mod testing;
pub mod time;
pub mod value;

pub use check::Program;
pub use diagnostic::{Diagnostic, Diagnostics};
pub use eval::{OptionValues, Outcome, Verdicts};
pub use facts::Facts;
pub use load::{InForce, Rulebook, Scenario, ScenarioInput};
pub use source::SourceMap;
pub use value::Value;
