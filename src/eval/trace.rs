//! The explanation of one conclusion: which rule decided, why the others did
//! not, the values used and the steps of any period computed.

use super::{Need, Outcome};
use crate::check::ir::{ConcId, RuleId, Slot};
use crate::source::Span;
use crate::time::{PeriodSteps, Skipped};
use chrono::NaiveDate;

/// A value read by a rule, as the trace shows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Shown {
    Value(String),
    /// An optional fact the scenario does not give.
    NotGiven,
    /// A conclusion that does not apply.
    DoesNotApply,
    /// A conclusion that cannot be decided without these facts.
    CannotDecide(Vec<Need>),
}

/// Slots read, with their values.
pub type Inputs = Vec<(Slot, Shown)>;

/// The part of a condition that was false, and the values it read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FailedPart {
    pub span: Span,
    pub inputs: Inputs,
}

/// What happened to one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleStatus {
    /// Its condition held and nothing overrode it.
    Applied,
    /// Its condition held, but this rule (an exception to it) applied too.
    Overridden(RuleId),
    /// Its condition did not hold; `failed` is the part that was false and
    /// the values that part read.
    NotApplicable { failed: Option<FailedPart> },
    /// Its condition needs facts the scenario did not give.
    Unknown(Vec<Need>),
}

/// A computation step worth showing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    Period(PeriodSteps),
    Next {
        from: NaiveDate,
        found: NaiveDate,
        skipped: Vec<Skipped>,
    },
    /// A tiered schedule applied to `amount`.
    Tiers {
        amount: rust_decimal::Decimal,
        parts: Vec<TierStep>,
        total: rust_decimal::Decimal,
        money: bool,
    },
}

/// One tranche: `rate` × `portion` = `part`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierStep {
    pub rate: rust_decimal::Decimal,
    pub portion: rust_decimal::Decimal,
    pub part: rust_decimal::Decimal,
}

#[derive(Clone, Debug)]
pub struct Explanation {
    pub conclusion: ConcId,
    pub item: Option<usize>,
    pub outcome: Outcome,
    pub decided_by: Option<RuleId>,
    /// Every rule for the conclusion, with what happened to it.
    pub considered: Vec<(RuleId, RuleStatus)>,
    /// What the deciding rule read, with values (`None`: absent).
    pub inputs: Inputs,
    pub steps: Vec<Step>,
}

impl Explanation {
    /// The rules considered other than the one that decided, each with its id.
    pub fn others<'a>(&'a self, prog: &'a crate::check::Program) -> impl Iterator<Item = (&'a str, &'a RuleStatus)> {
        self.considered
            .iter()
            .filter(|(r, _)| Some(*r) != self.decided_by)
            .map(|(r, st)| (prog.rules[*r as usize].id.as_str(), st))
    }
}
