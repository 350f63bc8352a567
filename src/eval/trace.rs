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
    /// A value, as a person reads it.
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
    /// The false part of the condition.
    pub span: Span,
    /// The slots that part reads, with their values.
    pub inputs: Inputs,
}

/// What happened to one rule.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RuleStatus {
    /// Its condition held and nothing overrode it.
    Applied,
    /// Its condition held, but this rule (an exception to it) applied too.
    Overridden(RuleId),
    /// Its condition did not hold.
    NotApplicable {
        /// The part that was false and the values that part read (`None` only
        /// when the run was not traced).
        failed: Option<FailedPart>,
    },
    /// Its condition needs facts the scenario did not give.
    Unknown(Vec<Need>),
}

/// A computation step worth showing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// A period counted (`… + 14 days`, with its extension over holidays and suspensions).
    Period(PeriodSteps),
    /// A search for the next of some weekdays that is a working day (`next tuesday or friday after E`).
    Next {
        /// The day the search starts from.
        from: NaiveDate,
        /// The day found.
        found: NaiveDate,
        /// Days of those weekdays passed over as not working days, and why.
        skipped: Vec<Skipped>,
    },
    /// A tiered schedule applied to `amount`.
    Tiers {
        /// The amount the tiers apply to.
        amount: rust_decimal::Decimal,
        /// One step per tranche, in schedule order.
        parts: Vec<TierStep>,
        /// The sum of the parts.
        total: rust_decimal::Decimal,
        /// Whether the amount and total are money (else decimals).
        money: bool,
    },
    /// A dated table read on a day.
    Lookup {
        /// The table's name.
        table: String,
        /// The day it was read on.
        on: NaiveDate,
        /// The first day of the row in force on that day.
        row_from: NaiveDate,
        /// The value, as a person reads it.
        value: String,
        /// The row's note, if it has one.
        note: Option<crate::text::Text>,
    },
    /// Interest accrued over a span of days.
    Interest(InterestSteps),
}

/// Interest on an amount, segment by segment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterestSteps {
    /// The amount interest accrued on at the start.
    pub amount: rust_decimal::Decimal,
    /// The table the rates came from; `None` for one rate written in the rule.
    pub table: Option<String>,
    /// Whether each full year's interest was added to the amount (`compounded yearly`).
    pub yearly: bool,
    /// The segments, in date order.
    pub segments: Vec<InterestSegment>,
    /// With yearly compounding: the day a year's interest was added, that
    /// interest, and the amount interest accrues on from then.
    pub compounded: Vec<(NaiveDate, rust_decimal::Decimal, rust_decimal::Decimal)>,
    /// The interest over the whole span (exact, not rounded).
    pub total: rust_decimal::Decimal,
    /// Whether the amounts are money (else decimals).
    pub money: bool,
}

/// One segment: `principal` × `rate` × `days` / `basis` = `part`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InterestSegment {
    /// Its first day (counted).
    pub from: NaiveDate,
    /// The day after its last day (not counted).
    pub to: NaiveDate,
    /// The days counted: `to - from`.
    pub days: i64,
    /// The days of a year in the day count (365, 366 or the rulebook's number).
    pub basis: i64,
    /// The yearly rate in force.
    pub rate: rust_decimal::Decimal,
    /// The amount interest accrues on in this segment.
    pub principal: rust_decimal::Decimal,
    /// The interest of this segment.
    pub part: rust_decimal::Decimal,
}

/// One tranche: `rate` × `portion` = `part`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TierStep {
    /// The tranche's rate.
    pub rate: rust_decimal::Decimal,
    /// The part of the amount in this tranche.
    pub portion: rust_decimal::Decimal,
    /// `rate` × `portion`.
    pub part: rust_decimal::Decimal,
}

/// Why one conclusion (or one element of a per-item conclusion) came out as it did.
#[derive(Clone, Debug)]
pub struct Explanation {
    /// The conclusion explained.
    pub conclusion: ConcId,
    /// The element, from 0, for a per-item conclusion; `None` otherwise.
    pub item: Option<usize>,
    /// What came out.
    pub outcome: Outcome,
    /// The rule whose value was taken; `None` when no rule applies, or when a rule
    /// that cannot be decided could still override or conflict with the winner.
    pub decided_by: Option<RuleId>,
    /// Every rule for the conclusion, with what happened to it.
    pub considered: Vec<(RuleId, RuleStatus)>,
    /// What the deciding rule read, with how each value shows (empty when no rule decided).
    pub inputs: Inputs,
    /// The periods, weekday searches and tiered schedules computed on the way, in the order computed.
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
