//! Periods: Regulation 1182/71 counting with the last-day shift, plain date
//! arithmetic, working days and "the next Tuesday or Friday".

use super::calendar::{Calendar, FIRST_YEAR, LAST_YEAR};
use crate::time::Unit;
use chrono::{Datelike, Days, Months, NaiveDate, Weekday};

/// A date computation that leaves the supported range.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TimeError {
    /// A date before [`FIRST_YEAR`] or after [`LAST_YEAR`], or too far to compute.
    #[error("the date falls outside {FIRST_YEAR}–{LAST_YEAR}, where calendars are known")]
    OutOfRange,
    /// A period of negative length.
    #[error("a period length of {0} is not allowed: periods run forward")]
    Negative(i64),
    /// A period in months or years that intervals pause (rather than restart).
    #[error("a paused period must be counted in days, weeks or working days")]
    PausedMonths,
}

/// A day passed over because it is not a working day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    /// The day passed over.
    pub day: NaiveDate,
    /// "Saturday", or the holiday's name.
    pub why: String,
}

/// Every step of one period computation, for the trace.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PeriodSteps {
    /// The day of the event; the period starts the day after.
    pub event: NaiveDate,
    /// How many `unit`s the period is.
    pub length: i64,
    /// What the period is counted in.
    pub unit: Unit,
    /// First day counted: the day after the event.
    pub first_day: NaiveDate,
    /// Last day before any shift.
    pub raw_last: NaiveDate,
    /// For working days: the days between that were not counted, and why.
    pub not_counted: Vec<Skipped>,
    /// With `shift`: the days the last day moved over (each not a working day), and why.
    pub skipped: Vec<Skipped>,
    /// Last day of the period.
    pub last: NaiveDate,
    /// Whether a last day that is not a working day moves to the next working day.
    pub shift: bool,
    /// Intervals that stopped the period, in the order they did.
    pub paused: Vec<(NaiveDate, NaiveDate)>,
    /// Whether the period ran again in full after each interval (else the remaining days ran on).
    pub restart: bool,
    /// Days not counted because an interval stopped the period (`paused during`).
    pub paused_days: i64,
}

/// Intervals, first and last day included.
type Intervals = Vec<(NaiveDate, NaiveDate)>;

/// Intervals (first and last day included) that stop a running period.
#[derive(Clone, Copy, Debug)]
pub struct Suspension<'a> {
    /// The period runs again in full after an interval; otherwise the
    /// remaining days run on.
    pub restart: bool,
    /// The intervals, in any order.
    pub intervals: &'a [(NaiveDate, NaiveDate)],
}

fn in_range(d: NaiveDate) -> Result<NaiveDate, TimeError> {
    if (FIRST_YEAR..=LAST_YEAR).contains(&d.year()) {
        Ok(d)
    } else {
        Err(TimeError::OutOfRange)
    }
}

fn step(d: NaiveDate, forward: bool) -> Result<NaiveDate, TimeError> {
    let next = if forward { d.succ_opt() } else { d.pred_opt() };
    in_range(next.ok_or(TimeError::OutOfRange)?)
}

/// Why `d` is not a working day, or `None` if it is one.
pub(crate) fn non_working(cal: &Calendar, d: NaiveDate, enabled: &dyn Fn(usize) -> bool) -> Option<String> {
    if let Some(h) = cal.holiday_on(d, enabled) {
        return Some(h.name.clone());
    }
    cal.is_weekend(d).then(|| weekday_name(d.weekday()).to_string())
}

/// A weekday's English name (`Monday`), as the trace and messages write it.
pub fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// `date + n unit` (or minus, for negative `n`), without any shift.
/// Months and years end on the same date, or the month's last day.
pub fn add_duration(
    date: NaiveDate,
    n: i64,
    unit: Unit,
    cal: Option<&Calendar>,
    enabled: &dyn Fn(usize) -> bool,
) -> Result<NaiveDate, TimeError> {
    in_range(date)?;
    let too_far = |_: std::num::TryFromIntError| TimeError::OutOfRange;
    let out = match unit {
        Unit::Days | Unit::Weeks => {
            let days = n.checked_mul(if unit == Unit::Weeks { 7 } else { 1 }).ok_or(TimeError::OutOfRange)?;
            let days = days.unsigned_abs();
            if n >= 0 {
                date.checked_add_days(Days::new(days))
            } else {
                date.checked_sub_days(Days::new(days))
            }
        }
        Unit::Months | Unit::Years => {
            let months = n.checked_mul(if unit == Unit::Years { 12 } else { 1 }).ok_or(TimeError::OutOfRange)?;
            let months = u32::try_from(months.unsigned_abs()).map_err(too_far)?;
            if n >= 0 {
                date.checked_add_months(Months::new(months))
            } else {
                date.checked_sub_months(Months::new(months))
            }
        }
        Unit::WorkingDays => {
            let cal = cal.ok_or(TimeError::OutOfRange)?;
            if n.unsigned_abs() > 100_000 {
                return Err(TimeError::OutOfRange);
            }
            let mut d = date;
            let mut left = n.unsigned_abs();
            while left > 0 {
                d = step(d, n > 0)?;
                if non_working(cal, d, enabled).is_none() {
                    left -= 1;
                }
            }
            Some(d)
        }
    };
    in_range(out.ok_or(TimeError::OutOfRange)?)
}

/// A period of `n unit` after the day of `event` (Reg. 1182/71 art. 3): the
/// event day is not counted; with `shift`, a last day that is not a working
/// day moves to the next working day.
pub fn legal_period(
    event: NaiveDate,
    n: i64,
    unit: Unit,
    shift: bool,
    suspension: Option<Suspension>,
    cal: Option<&Calendar>,
    enabled: &dyn Fn(usize) -> bool,
) -> Result<PeriodSteps, TimeError> {
    if n < 0 {
        return Err(TimeError::Negative(n));
    }
    let first_day = step(event, true)?;
    let mut not_counted = Vec::new();
    if let (Unit::WorkingDays, Some(cal), None) = (unit, cal, suspension) {
        let mut d = event;
        let mut left = n;
        while left > 0 {
            d = step(d, true)?;
            match non_working(cal, d, enabled) {
                Some(why) => not_counted.push(Skipped { day: d, why }),
                None => left -= 1,
            }
        }
    }
    let (raw_last, paused, restart, paused_days) = match suspension {
        None => (add_duration(event, n, unit, cal, enabled)?, Vec::new(), false, 0),
        Some(s) if s.restart => {
            let (last, paused) = restarted(event, n, unit, s.intervals, cal, enabled)?;
            (last, paused, true, 0)
        }
        Some(s) => {
            let (last, paused, days) = paused_count(event, n, unit, s.intervals, cal, enabled)?;
            (last, paused, false, days)
        }
    };
    let mut last = raw_last;
    let mut skipped = Vec::new();
    if let (true, Some(cal)) = (shift, cal) {
        while let Some(why) = non_working(cal, last, enabled) {
            skipped.push(Skipped { day: last, why });
            last = step(last, true)?;
        }
    }
    Ok(PeriodSteps {
        event,
        length: n,
        unit,
        first_day,
        raw_last,
        not_counted,
        skipped,
        last,
        shift,
        paused,
        restart,
        paused_days,
    })
}

/// The period runs in full again after each interval that starts before it ends.
fn restarted(
    event: NaiveDate,
    n: i64,
    unit: Unit,
    intervals: &[(NaiveDate, NaiveDate)],
    cal: Option<&Calendar>,
    enabled: &dyn Fn(usize) -> bool,
) -> Result<(NaiveDate, Intervals), TimeError> {
    let mut sorted = intervals.to_vec();
    sorted.sort();
    let mut end = add_duration(event, n, unit, cal, enabled)?;
    let mut applied = Vec::new();
    for (from, to) in sorted {
        if from <= end && to > event {
            end = end.max(add_duration(to.max(event), n, unit, cal, enabled)?);
            applied.push((from, to));
        }
    }
    Ok((end, applied))
}

/// Days inside an interval are not counted; the remaining days run on after it.
fn paused_count(
    event: NaiveDate,
    n: i64,
    unit: Unit,
    intervals: &[(NaiveDate, NaiveDate)],
    cal: Option<&Calendar>,
    enabled: &dyn Fn(usize) -> bool,
) -> Result<(NaiveDate, Intervals, i64), TimeError> {
    let total = match unit {
        Unit::Days | Unit::WorkingDays => n,
        Unit::Weeks => n.checked_mul(7).ok_or(TimeError::OutOfRange)?,
        Unit::Months | Unit::Years => return Err(TimeError::PausedMonths),
    };
    let mut applied: Intervals = Vec::new();
    let mut d = event;
    let mut counted = 0;
    let mut paused_days = 0;
    while counted < total {
        d = step(d, true)?;
        let covering: Vec<&(NaiveDate, NaiveDate)> =
            intervals.iter().filter(|(from, to)| *from <= d && d <= *to).collect();
        if !covering.is_empty() {
            for p in covering {
                if !applied.contains(p) {
                    applied.push(*p);
                }
            }
            paused_days += 1;
            continue;
        }
        if unit == Unit::WorkingDays && non_working(cal.ok_or(TimeError::OutOfRange)?, d, enabled).is_some() {
            continue;
        }
        counted += 1;
    }
    Ok((d, applied, paused_days))
}

/// The first day on (or after) `from` that is one of `days` and a working day.
pub fn next_weekday(
    from: NaiveDate,
    days: &[Weekday],
    inclusive: bool,
    cal: &Calendar,
    enabled: &dyn Fn(usize) -> bool,
) -> Result<(NaiveDate, Vec<Skipped>), TimeError> {
    let mut d = if inclusive { in_range(from)? } else { step(from, true)? };
    let mut skipped = Vec::new();
    for _ in 0..370 {
        if days.contains(&d.weekday()) {
            match non_working(cal, d, enabled) {
                None => return Ok((d, skipped)),
                Some(why) => skipped.push(Skipped { day: d, why }),
            }
        }
        d = step(d, true)?;
    }
    Err(TimeError::OutOfRange)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::time::calendar::{Holiday, HolidayRule};

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    fn cal() -> Calendar {
        let easter_monday = Holiday {
            name: "Easter Monday".into(),
            names: None,
            rule: HolidayRule::Easter(1),
            if_saturday: 0,
            if_sunday: 0,
            from: FIRST_YEAR,
            until: LAST_YEAR,
            option: None,
            cite: None,
        };
        let mut weekend = [false; 7];
        weekend[5] = true;
        weekend[6] = true;
        Calendar::new("t".into(), "test".into(), None, weekend, vec![easter_monday])
    }

    #[test]
    fn fourteen_days_shift_over_weekend_and_easter_monday() {
        let all = |_: usize| true;
        // 2026-03-23 + 14 = 2026-04-06, Easter Monday → Tuesday 7 April
        let p = legal_period(d(2026, 3, 23), 14, Unit::Days, true, None, Some(&cal()), &all).unwrap();
        assert_eq!(p.first_day, d(2026, 3, 24));
        assert_eq!(p.raw_last, d(2026, 4, 6));
        assert_eq!(p.last, d(2026, 4, 7));
        assert_eq!(p.skipped.len(), 1);
        // ends on a Saturday: moves to Monday
        let p = legal_period(d(2026, 3, 7), 14, Unit::Days, true, None, Some(&cal()), &all).unwrap();
        assert_eq!(p.raw_last, d(2026, 3, 21));
        assert_eq!(p.last, d(2026, 3, 23));
        assert_eq!(p.skipped.iter().map(|s| s.why.as_str()).collect::<Vec<_>>(), ["Saturday", "Sunday"]);
        // contractual: no shift
        let p = legal_period(d(2026, 3, 7), 14, Unit::Days, false, None, Some(&cal()), &all).unwrap();
        assert_eq!(p.last, d(2026, 3, 21));
    }

    #[test]
    fn pauses_resume_or_restart() {
        let all = |_: usize| true;
        let dispute = [(d(2026, 3, 10), d(2026, 3, 19))]; // ten days
        let resume = Suspension { restart: false, intervals: &dispute };
        // 14 days after 5 March end 19 March; ten paused days push that to 29 March
        let p = legal_period(d(2026, 3, 5), 14, Unit::Days, false, Some(resume), Some(&cal()), &all).unwrap();
        assert_eq!(p.last, d(2026, 3, 29));
        assert_eq!(p.paused, dispute.to_vec());
        // restart: 14 days after the dispute ends on 19 March
        let restart = Suspension { restart: true, intervals: &dispute };
        let p = legal_period(d(2026, 3, 5), 14, Unit::Days, false, Some(restart), Some(&cal()), &all).unwrap();
        assert_eq!(p.last, d(2026, 4, 2));
        // a dispute opened after the end changes nothing
        let late = [(d(2026, 3, 20), d(2026, 3, 30))];
        let p = legal_period(
            d(2026, 3, 5),
            14,
            Unit::Days,
            false,
            Some(Suspension { restart: false, intervals: &late }),
            Some(&cal()),
            &all,
        )
        .unwrap();
        assert_eq!(p.last, d(2026, 3, 19));
        assert!(p.paused.is_empty());
    }

    #[test]
    fn months_clamp_to_the_last_day() {
        let none = |_: usize| false;
        assert_eq!(add_duration(d(2026, 1, 31), 1, Unit::Months, None, &none), Ok(d(2026, 2, 28)));
        assert_eq!(add_duration(d(2024, 2, 29), 1, Unit::Years, None, &none), Ok(d(2025, 2, 28)));
        assert_eq!(add_duration(d(2200, 12, 31), 1, Unit::Days, None, &none), Err(TimeError::OutOfRange));
        assert_eq!(add_duration(d(2026, 1, 1), i64::MAX, Unit::Weeks, None, &none), Err(TimeError::OutOfRange));
    }

    #[test]
    fn working_days_and_next_weekday() {
        let all = |_: usize| true;
        // Thursday 2 April 2026 + 3 working days: Fri 3, (Easter Monday 6 skipped) Tue 7, Wed 8
        assert_eq!(add_duration(d(2026, 4, 2), 3, Unit::WorkingDays, Some(&cal()), &all), Ok(d(2026, 4, 8)));
        // next Tuesday or Friday after Saturday 4 April 2026: Tuesday 7
        let (day, _) = next_weekday(d(2026, 4, 4), &[Weekday::Tue, Weekday::Fri], false, &cal(), &all).unwrap();
        assert_eq!(day, d(2026, 4, 7));
        // on or after a Friday: that Friday
        let (day, _) = next_weekday(d(2026, 4, 3), &[Weekday::Fri], true, &cal(), &all).unwrap();
        assert_eq!(day, d(2026, 4, 3));
    }
}
