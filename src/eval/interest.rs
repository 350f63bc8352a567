//! Interest on an amount over a span of days: simple interest per segment,
//! the span split wherever the rate changes (and at each 1 January when the
//! day count depends on the year), with each full year's interest added to
//! the amount when compounded yearly. Exact decimals; overflow is an error.
//! The rates and the day count come from the rulebook; nothing legal is here.

use super::trace::{InterestSegment, InterestSteps};
use crate::check::ir::DayCount;
use chrono::{Datelike, Months, NaiveDate};
use rust_decimal::Decimal;

/// Why interest could not be computed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum AccrualError {
    /// The span ends before it starts.
    Backwards,
    /// A day of the span comes before the first row of the rate table.
    BeforeTable {
        /// The first day interest is asked for.
        day: NaiveDate,
        /// The first day the table has a value.
        first: NaiveDate,
    },
    /// The numbers are too large to compute exactly.
    Overflow,
    /// A date beyond the calendar's range.
    OutOfRange,
}

/// What to compute: `amount` from `from` (counted) to `to` (not counted) at
/// the `rates` (first day in force, yearly rate; sorted by day).
pub(crate) struct Accrual<'r> {
    pub amount: Decimal,
    pub rates: &'r [(NaiveDate, Decimal)],
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub day_count: DayCount,
    pub compounded: bool,
}

impl Accrual<'_> {
    /// The interest, with every segment and every compounding step.
    pub fn compute(&self) -> Result<InterestSteps, AccrualError> {
        if self.to < self.from {
            return Err(AccrualError::Backwards);
        }
        if self.from < self.to {
            let first = self.rates.first().map(|r| r.0);
            if first.is_none_or(|f| f > self.from) {
                return Err(AccrualError::BeforeTable { day: self.from, first: first.unwrap_or(self.to) });
            }
        }
        let mut principal = self.amount;
        let mut total = Decimal::ZERO;
        let mut segments = Vec::new();
        let mut compounded = Vec::new();
        let mut year_start = self.from;
        let mut year = 1u32;
        while year_start < self.to {
            let year_end = if self.compounded {
                let months = year.checked_mul(12).ok_or(AccrualError::OutOfRange)?;
                self.from.checked_add_months(Months::new(months)).ok_or(AccrualError::OutOfRange)?.min(self.to)
            } else {
                self.to
            };
            let mut year_interest = Decimal::ZERO;
            let mut a = year_start;
            while a < year_end {
                let b = self.next_boundary(a, year_end)?;
                let rate = self.rate_on(a);
                let days = (b - a).num_days();
                let basis = match self.day_count {
                    DayCount::Fixed(n) => n,
                    DayCount::ActualYear => days_in_year(a.year()),
                };
                let part = principal
                    .checked_mul(rate)
                    .and_then(|x| x.checked_mul(Decimal::from(days)))
                    .and_then(|x| x.checked_div(Decimal::from(basis)))
                    .ok_or(AccrualError::Overflow)?;
                year_interest = year_interest.checked_add(part).ok_or(AccrualError::Overflow)?;
                segments.push(InterestSegment { from: a, to: b, days, basis, rate, principal, part });
                a = b;
            }
            total = total.checked_add(year_interest).ok_or(AccrualError::Overflow)?;
            if self.compounded && year_end < self.to {
                principal = principal.checked_add(year_interest).ok_or(AccrualError::Overflow)?;
                compounded.push((year_end, year_interest, principal));
            }
            year_start = year_end;
            year += 1;
        }
        Ok(InterestSteps {
            amount: self.amount,
            table: None,
            yearly: self.compounded,
            segments,
            compounded,
            total,
            money: false,
        })
    }

    /// The rate in force on `day` (the span was checked to start within the table).
    fn rate_on(&self, day: NaiveDate) -> Decimal {
        let after = self.rates.partition_point(|(from, _)| *from <= day);
        after.checked_sub(1).map_or(Decimal::ZERO, |i| self.rates[i].1)
    }

    /// The end of the segment starting on `a` (not counted): the next change
    /// of rate, the next 1 January for `days / year`, or `limit`.
    fn next_boundary(&self, a: NaiveDate, limit: NaiveDate) -> Result<NaiveDate, AccrualError> {
        let mut b = limit;
        if let Some((change, _)) = self.rates.iter().find(|(from, _)| *from > a) {
            b = b.min(*change);
        }
        if self.day_count == DayCount::ActualYear {
            let new_year = a.year().checked_add(1).and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1));
            b = b.min(new_year.ok_or(AccrualError::OutOfRange)?);
        }
        Ok(b)
    }
}

fn days_in_year(year: i32) -> i64 {
    if NaiveDate::from_ymd_opt(year, 2, 29).is_some() {
        366
    } else {
        365
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::from_str(s).unwrap()
    }

    fn dec(s: &str) -> Decimal {
        Decimal::from_str(s).unwrap()
    }

    fn accrue(amount: &str, rates: &[(&str, &str)], from: &str, to: &str, dc: DayCount, c: bool) -> InterestSteps {
        let rates: Vec<_> = rates.iter().map(|(f, r)| (d(f), dec(r))).collect();
        Accrual { amount: dec(amount), rates: &rates, from: d(from), to: d(to), day_count: dc, compounded: c }
            .compute()
            .unwrap()
    }

    #[test]
    fn one_rate_is_one_segment() {
        // 1000 × 4% × 73 / 365 = 8
        let s = accrue("1000", &[("2023-01-01", "0.04")], "2023-03-01", "2023-05-13", DayCount::Fixed(365), false);
        assert_eq!(s.segments.len(), 1);
        assert_eq!(s.segments[0].days, 73);
        assert_eq!(s.total, dec("8"));
    }

    #[test]
    fn the_span_is_split_where_the_rate_changes() {
        // 2023-06-01..2023-07-01: 30 days at 4% → 1000 × 0.04 × 30/365 = 3.2876…
        // 2023-07-01..2023-07-31: 30 days at 6% → 1000 × 0.06 × 30/365 = 4.9315…
        let rates = [("2023-01-01", "0.04"), ("2023-07-01", "0.06")];
        let s = accrue("1000", &rates, "2023-06-01", "2023-07-31", DayCount::Fixed(365), false);
        assert_eq!(s.segments.iter().map(|x| x.days).collect::<Vec<_>>(), vec![30, 30]);
        assert_eq!(s.total.round_dp(2), dec("8.22"));
    }

    #[test]
    fn yearly_compounding_adds_each_full_years_interest() {
        // year 1: 1000 × 2% = 20 (365 days); year 2 on 1020: 1020 × 2% × 122/365 = 6.8186…
        let s = accrue("1000", &[("2015-01-01", "0.02")], "2016-09-01", "2018-01-01", DayCount::Fixed(365), true);
        assert_eq!(s.compounded.len(), 1);
        assert_eq!(s.compounded[0].0, d("2017-09-01"));
        assert_eq!(s.compounded[0].2, dec("1020"));
        assert_eq!(s.total.round_dp(2), dec("26.82"));
    }

    #[test]
    fn actual_days_of_the_year_split_at_new_year() {
        // 2023-12-01..2024-01-01: 31/365; 2024-01-01..2024-02-01: 31/366; 3650 × 10% each
        let s = accrue("3650", &[("2020-01-01", "0.10")], "2023-12-01", "2024-02-01", DayCount::ActualYear, false);
        assert_eq!(s.segments.iter().map(|x| x.basis).collect::<Vec<_>>(), vec![365, 366]);
        assert_eq!(s.segments[0].part, dec("31"));
    }

    #[test]
    fn bad_spans_are_errors() {
        let rates = [(d("2015-01-01"), dec("0.02"))];
        let a = |from: &str, to: &str| {
            Accrual {
                amount: dec("1"),
                rates: &rates,
                from: d(from),
                to: d(to),
                day_count: DayCount::Fixed(365),
                compounded: false,
            }
            .compute()
        };
        assert_eq!(a("2020-01-02", "2020-01-01").unwrap_err(), AccrualError::Backwards);
        assert!(matches!(a("2014-12-31", "2020-01-01").unwrap_err(), AccrualError::BeforeTable { .. }));
        assert_eq!(a("2014-12-31", "2014-12-31").unwrap().total, Decimal::ZERO);
        let huge = Accrual {
            amount: Decimal::MAX,
            rates: &rates,
            from: d("2020-01-01"),
            to: d("2021-01-01"),
            day_count: DayCount::Fixed(365),
            compounded: false,
        };
        assert_eq!(huge.compute().unwrap_err(), AccrualError::Overflow);
    }
}
