//! Time: holiday calendars read from data, and the period computations
//! (Regulation 1182/71 counting, working days, weekday search).

mod calendar;
mod period;
mod unit;

pub use calendar::{easter_sunday, Calendar, Holiday, HolidayRule, FIRST_YEAR, LAST_YEAR};
pub use period::{add_duration, legal_period, next_weekday, weekday_name, PeriodSteps, Skipped, Suspension, TimeError};
pub use unit::Unit;

use chrono::{Days, NaiveDate};

/// `d` moved by `days` calendar days (back when negative); `None` past the
/// dates chrono can hold.
pub fn shift(d: NaiveDate, days: i64) -> Option<NaiveDate> {
    if days >= 0 {
        d.checked_add_days(Days::new(days as u64))
    } else {
        d.checked_sub_days(Days::new(days.unsigned_abs()))
    }
}
