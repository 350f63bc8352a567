//! Units of durations, as written in the rule language and shown in explanations.

/// A unit of a duration (`14 days`, `2 working days`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Calendar days.
    Days,
    /// Weeks of seven days.
    Weeks,
    /// Calendar months.
    Months,
    /// Calendar years.
    Years,
    /// Days that are neither weekend nor holiday in the calendar.
    WorkingDays,
}

impl Unit {
    /// The unit's name for `n` of it (`day` / `days`).
    pub fn name(self, n: i64) -> &'static str {
        let one = n == 1 || n == -1;
        match (self, one) {
            (Unit::Days, true) => "day",
            (Unit::Days, false) => "days",
            (Unit::Weeks, true) => "week",
            (Unit::Weeks, false) => "weeks",
            (Unit::Months, true) => "month",
            (Unit::Months, false) => "months",
            (Unit::Years, true) => "year",
            (Unit::Years, false) => "years",
            (Unit::WorkingDays, true) => "working day",
            (Unit::WorkingDays, false) => "working days",
        }
    }
}
