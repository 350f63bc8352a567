//! Values and their types, shared by every stage from checking to output.
//! Money and decimals are exact; dates are calendar days.

mod read;
pub mod types;

pub(crate) use read::too_long;
pub(crate) use read::{date_in_range, read_decimal};
pub use read::{value_from_node, MAX_AMOUNT, MAX_LIST};
pub use types::{EnumId, Sym, Symbols, Type, WEEKDAY};

use crate::time::Unit;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::cmp::Ordering;
use std::sync::Arc;

/// A value of the rule language: a fact, an option, a conclusion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    /// Yes or no.
    Bool(bool),
    /// A whole number.
    Int(i64),
    /// An exact decimal number (a rate, a share).
    Decimal(Decimal),
    /// An exact amount in the rulebook's currency.
    Money(Decimal),
    /// A calendar day.
    Date(NaiveDate),
    /// A length of time: a count of a unit.
    Duration(i64, Unit),
    /// Free text.
    Text(Arc<str>),
    /// A value of an enumeration (`goods`, `distance`).
    Enum(Sym),
    /// A list of values of one type.
    List(Arc<[Value]>),
    /// First and last day, both included.
    Interval(NaiveDate, NaiveDate),
    /// Dated events, in order.
    Timeline(Arc<[Event]>),
}

/// One entry of a timeline: a day, or a span of days.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Event {
    /// What happened.
    pub label: Arc<str>,
    /// The day, or the first day.
    pub from: NaiveDate,
    /// The last day of a span of days.
    pub to: Option<NaiveDate>,
}

impl Value {
    /// The value as the JSON contract writes it (dates and amounts as strings).
    pub fn to_json(&self, symbols: &Symbols) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::List(items) => J::Array(items.iter().map(|v| v.to_json(symbols)).collect()),
            Value::Interval(a, b) => serde_json::json!({"from": day(*a), "to": day(*b)}),
            Value::Timeline(events) => J::Array(
                events
                    .iter()
                    .map(|e| match e.to {
                        None => serde_json::json!({"date": day(e.from), "event": &*e.label}),
                        Some(to) => serde_json::json!({"from": day(e.from), "to": day(to), "event": &*e.label}),
                    })
                    .collect(),
            ),
            other => J::String(other.display(symbols)),
        }
    }

    /// The value as a person reads it.
    pub fn display(&self, symbols: &Symbols) -> String {
        match self {
            Value::Bool(b) => if *b { "yes" } else { "no" }.to_string(),
            Value::Int(i) => i.to_string(),
            Value::Decimal(d) => d.normalize().to_string(),
            Value::Money(m) => money(*m),
            Value::Date(d) => day(*d),
            Value::Interval(a, b) => format!("{} to {}", day(*a), day(*b)),
            Value::Timeline(events) => {
                let parts: Vec<String> = events
                    .iter()
                    .map(|e| match e.to {
                        None => format!("{} {}", day(e.from), e.label),
                        Some(to) => format!("{} to {} {}", day(e.from), day(to), e.label),
                    })
                    .collect();
                parts.join("; ")
            }
            Value::Duration(n, u) => format!("{n} {}", u.name(*n)),
            Value::Text(t) => t.to_string(),
            Value::Enum(s) => symbols.name(*s).to_string(),
            Value::List(items) => {
                let parts: Vec<String> = items.iter().map(|v| v.display(symbols)).collect();
                format!("[{}]", parts.join(", "))
            }
        }
    }
}

/// A date as the contract writes it.
pub fn day(d: NaiveDate) -> String {
    match day_ascii(d) {
        Some(digits) => digits.iter().map(|&b| b as char).collect(),
        // chrono writes a sign and more digits for these
        None => d.format("%Y-%m-%d").to_string(),
    }
}

/// The ten characters of [`day`] for years 0 to 9999 (`None` for others),
/// written digit by digit: chrono's formatter parses the pattern every time.
pub fn day_ascii(d: NaiveDate) -> Option<[u8; 10]> {
    use chrono::Datelike;
    let year = u32::try_from(d.year()).ok().filter(|y| *y <= 9999)?;
    let (month, day) = (d.month(), d.day());
    let digit = |n: u32| b'0' + n as u8;
    Some([
        digit(year / 1000),
        digit(year / 100 % 10),
        digit(year / 10 % 10),
        digit(year % 10),
        b'-',
        digit(month / 10),
        digit(month % 10),
        b'-',
        digit(day / 10),
        digit(day % 10),
    ])
}

/// Money with exactly two decimals (more only if the amount has more).
pub fn money(m: Decimal) -> String {
    // written out rather than rescaled: a 28-digit amount has no room for cents
    let mut text = m.normalize().to_string();
    text.push_str(cents_padding(text.as_bytes()));
    text
}

/// What makes a normalized amount's text show at least two decimals: `.00`
/// for a whole amount, `0` for one decimal, nothing otherwise.
pub fn cents_padding(normalized: &[u8]) -> &'static str {
    match normalized.iter().position(|&b| b == b'.') {
        None => ".00",
        Some(p) if normalized.len() - p == 2 => "0",
        Some(_) => "",
    }
}

/// A number's or amount's exact value; `None` for anything else.
pub fn num(v: &Value) -> Option<Decimal> {
    match v {
        Value::Int(i) => Some((*i).into()),
        Value::Decimal(d) | Value::Money(d) => Some(*d),
        _ => None,
    }
}

/// Order of two values of comparable types.
#[inline]
pub fn compare(a: &Value, b: &Value) -> Option<Ordering> {
    use Value::*;
    match (a, b) {
        (Bool(x), Bool(y)) => Some(x.cmp(y)),
        (Date(x), Date(y)) => Some(x.cmp(y)),
        (Money(x), Money(y)) => Some(x.cmp(y)),
        (Text(x), Text(y)) => Some(x.cmp(y)),
        (Enum(x), Enum(y)) => Some(if x == y { Ordering::Equal } else { x.cmp(y) }),
        (Duration(n, u), Duration(m, v)) if u == v => Some(n.cmp(m)),
        (Duration(n, Unit::Days), Duration(m, Unit::Weeks)) => n.checked_cmp_weeks(*m, false),
        (Duration(n, Unit::Weeks), Duration(m, Unit::Days)) => m.checked_cmp_weeks(*n, true),
        (List(x), List(y)) => Some(if x == y { Ordering::Equal } else { Ordering::Less }),
        (x, y) => Some(num(x)?.cmp(&num(y)?)),
    }
}

trait WeekCompare {
    fn checked_cmp_weeks(self, weeks: i64, reverse: bool) -> Option<Ordering>;
}

impl WeekCompare for i64 {
    fn checked_cmp_weeks(self, weeks: i64, reverse: bool) -> Option<Ordering> {
        let o = self.cmp(&weeks.checked_mul(7)?);
        Some(if reverse { o.reverse() } else { o })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_as_chrono_writes_them() {
        for (y, m, d) in [(2026, 3, 2), (1, 1, 1), (999, 12, 31), (9999, 12, 31), (0, 1, 1), (10000, 1, 1), (-1, 5, 9)]
        {
            let date = NaiveDate::from_ymd_opt(y, m, d).unwrap();
            assert_eq!(day(date), date.format("%Y-%m-%d").to_string());
        }
    }

    #[test]
    fn money_has_two_decimals() {
        assert_eq!(money(Decimal::new(9490, 2)), "94.90");
        assert_eq!(money(Decimal::new(40, 0)), "40.00");
        assert_eq!(money(Decimal::new(123456, 4)), "12.3456");
    }
}
