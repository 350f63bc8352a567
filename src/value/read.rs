//! Reading a value of a known type from the spanned tree (a scenario's fact,
//! a rulebook's default or constant, a test's expectation), with located
//! errors for a wrong type, an enumeration value not allowed, a bad amount.

use super::{Event, Value};
use crate::diagnostic::{suggest, Diagnostic};
use crate::input::{Node, NodeKind};
use crate::source::Span;
use crate::time::{FIRST_YEAR, LAST_YEAR};
use crate::value::{Symbols, Type};
use chrono::Datelike;
use rust_decimal::Decimal;
use std::sync::Arc;

/// Converts a scenario or rulebook value to a value of type `ty`.
pub fn value_from_node(node: &Node, ty: &Type, symbols: &Symbols) -> Result<Value, Diagnostic> {
    let wrong = |what: &str, hint: &str| {
        Diagnostic::new("facts::wrong-type", format!("expected {what}, found {}", node.kind_name()), node.span)
            .label(format!("should be {what}"))
            .help(hint.to_string())
    };
    Ok(match ty {
        Type::Bool => Value::Bool(node.as_bool()?),
        Type::Int => Value::Int(node.as_int()?),
        Type::Date => {
            let d = node.as_date()?;
            if !date_in_range(d) {
                return Err(Diagnostic::new(
                    "facts::date-range",
                    format!("the date {d} is outside {FIRST_YEAR}–{LAST_YEAR}"),
                    node.span,
                )
                .label("out of range")
                .help(format!(
                    "verdict computes periods and holidays for {FIRST_YEAR} to {LAST_YEAR}; check the year"
                )));
            }
            Value::Date(d)
        }
        Type::Text => Value::Text(Arc::from(node.as_str()?)),
        Type::Decimal => Value::Decimal(decimal(node, false)?),
        Type::Money => Value::Money(decimal(node, true)?),
        Type::Enum(e) => {
            let text = node.as_str().map_err(|_| {
                wrong("one of the listed values", &format!("write one of: {}", symbols.value_names(*e).join(", ")))
            })?;
            Value::Enum(symbols.member(*e, text).ok_or_else(|| {
                Diagnostic::new("facts::not-in-enum", format!("`{text}` is not an allowed value"), node.span)
                    .label("not allowed")
                    .help(suggest(text, &symbols.value_names(*e), "value"))
            })?)
        }
        Type::List(inner) => {
            let items = node
                .as_array()
                .map_err(|_| wrong("a list", "write a list in brackets, e.g. [2026-03-04, 2026-03-09]"))?;
            if items.len() > MAX_LIST {
                return Err(too_long(node.span));
            }
            Value::List(items.iter().map(|n| value_from_node(n, inner, symbols)).collect::<Result<Vec<_>, _>>()?.into())
        }
        Type::Interval => {
            let t =
                node.as_table().map_err(|_| wrong("an interval", "write { from = 2026-03-01, to = 2026-03-14 }"))?;
            let get = |k: &str| {
                t.get(k).ok_or_else(|| {
                    Diagnostic::new("facts::interval", format!("an interval needs `{k}`"), node.span)
                        .label(format!("`{k}` is missing"))
                        .help("write { from = 2026-03-01, to = 2026-03-14 }")
                })
            };
            let (from, to) = (
                value_from_node(get("from")?, &Type::Date, symbols)?,
                value_from_node(get("to")?, &Type::Date, symbols)?,
            );
            match (from, to) {
                (Value::Date(a), Value::Date(b)) if b >= a => Value::Interval(a, b),
                (Value::Date(a), Value::Date(b)) => {
                    return Err(Diagnostic::new(
                        "facts::interval",
                        format!("the interval ends on {b}, before it starts on {a}"),
                        node.span,
                    )
                    .label("ends before it starts")
                    .help("swap the dates, or correct the one that is wrong"))
                }
                _ => unreachable!("dates were read as dates"),
            }
        }
        Type::Timeline => {
            let items = node.as_array().map_err(|_| {
                wrong(
                    "a timeline",
                    "write a list of { date = 2026-03-02, event = \"…\" } or { from = …, to = …, event = \"…\" }",
                )
            })?;
            let mut events = Vec::new();
            for item in items {
                let t = item.as_table()?;
                let label = t.get("event").ok_or_else(|| {
                    Diagnostic::new("facts::timeline", "a timeline event needs `event`", item.span)
                        .label("no `event`")
                        .help("write { date = 2026-03-02, event = \"Invoice sent\" }")
                })?;
                let label: std::sync::Arc<str> = label.as_str()?.into();
                let event = match (t.get("date"), t.get("from"), t.get("to")) {
                    (Some(d), None, None) => Event { label, from: d.as_date()?, to: None },
                    (None, Some(_), Some(_)) => match value_from_node(item, &Type::Interval, symbols)? {
                        Value::Interval(a, b) => Event { label, from: a, to: Some(b) },
                        _ => unreachable!("an interval was read"),
                    },
                    _ => {
                        return Err(Diagnostic::new(
                            "facts::timeline",
                            "a timeline event needs `date`, or `from` and `to`",
                            item.span,
                        )
                        .label("no day given")
                        .help("write { date = 2026-03-02, event = \"…\" } or { from = …, to = …, event = \"…\" }"))
                    }
                };
                events.push(event);
            }
            Value::Timeline(events.into())
        }
        Type::Duration | Type::Records(_) | Type::Error => {
            return Err(wrong("a value this rulebook can read", "durations are written in rules, not given as facts"))
        }
    })
}

/// Amounts (and decimals) in a scenario stay below this, so sums, rates and
/// tiers computed from them keep every cent within the 28 digits of a decimal.
pub const MAX_AMOUNT: i64 = 1_000_000_000_000_000;

/// Longest list accepted in a scenario.
pub const MAX_LIST: usize = 10_000;

pub(crate) fn too_long(span: Span) -> Diagnostic {
    Diagnostic::new("facts::too-long", format!("the list has more than {MAX_LIST} elements"), span)
        .label("too long")
        .help("split the scenario; one scenario is one purchase")
}

fn decimal(node: &Node, money: bool) -> Result<Decimal, Diagnostic> {
    let what = if money { "an amount" } else { "a decimal number" };
    let int;
    let text = match &node.kind {
        NodeKind::Str(s) => s.as_str(),
        NodeKind::Float(s) => s.as_str(),
        NodeKind::Int(i) => {
            int = i.to_string();
            int.as_str()
        }
        _ => {
            return Err(Diagnostic::new(
                "facts::wrong-type",
                format!("expected {what}, found {}", node.kind_name()),
                node.span,
            )
            .label(format!("should be {what}"))
            .help(if money {
                "write an amount as a string, e.g. \"94.90\""
            } else {
                "write a decimal as a string, e.g. \"0.15\""
            }))
        }
    };
    read_decimal(text, money).map_err(|fault| match fault {
        DecimalFault::NotANumber => Diagnostic::new("facts::bad-number", format!("`{text}` is not {what}"), node.span)
            .label("not a number")
            .help(if money {
                "write digits with a decimal point, e.g. \"94.90\""
            } else {
                "write digits with a decimal point, e.g. \"0.15\""
            }),
        DecimalFault::Negative => {
            Diagnostic::new("facts::negative-amount", format!("the amount `{text}` is negative"), node.span)
                .label("negative amount")
                .help("amounts in a scenario are what was paid or charged: write them as positive numbers")
        }
        DecimalFault::TooLarge => {
            Diagnostic::new("facts::amount-range", format!("the amount `{text}` is too large"), node.span)
                .label("out of range")
                .help(format!("amounts must stay below {MAX_AMOUNT} so that every sum and rate stays exact"))
        }
        DecimalFault::Cents => {
            Diagnostic::new("facts::cents", format!("the amount `{text}` has more than two decimals"), node.span)
                .label("fractions of a cent")
                .help("write amounts in euro and cents, e.g. \"94.90\"")
        }
    })
}

/// Why a scenario's number is not a decimal (or, with `money`, not an amount).
pub(crate) enum DecimalFault {
    /// Not digits with at most one decimal point.
    NotANumber,
    /// A negative amount.
    Negative,
    /// An amount of [`MAX_AMOUNT`] or more.
    TooLarge,
    /// An amount with fractions of a cent.
    Cents,
}

/// A scenario's decimal number, or with `money` its amount, from its written
/// form (`"94.90"`, `0.15`, `14`): what both ways of reading a scenario accept.
pub(crate) fn read_decimal(text: &str, money: bool) -> Result<Decimal, DecimalFault> {
    let d = match plain_decimal(text) {
        Some(d) => d,
        None => {
            let valid = !text.is_empty()
                && text
                    .trim_start_matches('-')
                    .split_once('.')
                    .map_or(text.trim_start_matches('-'), |(a, _)| a)
                    .chars()
                    .all(|c| c.is_ascii_digit())
                && text.matches('.').count() <= 1;
            Decimal::from_str_exact(text).ok().filter(|_| valid).ok_or(DecimalFault::NotANumber)?
        }
    };
    if money {
        if d.is_sign_negative() && !d.is_zero() {
            return Err(DecimalFault::Negative);
        }
        // |d| >= MAX_AMOUNT, on the mantissa and scale (cheaper than comparing
        // decimals); a limit beyond u128 is beyond every mantissa
        let limit = u128::try_from(MAX_AMOUNT).ok().and_then(|m| m.checked_mul(10u128.checked_pow(d.scale())?));
        if limit.is_some_and(|limit| d.mantissa().unsigned_abs() >= limit) {
            return Err(DecimalFault::TooLarge);
        }
        if d.scale() > 2 {
            return Err(DecimalFault::Cents);
        }
    }
    Ok(d)
}

/// The common case of [`read_decimal`] without its general parser: digits,
/// at most one point with digits after it, no sign, at most 18 digits. The
/// same value and scale as `Decimal::from_str_exact` (a test compares them);
/// anything else is `None`, and the general parser reads it.
fn plain_decimal(text: &str) -> Option<Decimal> {
    let (int, frac) = match text.split_once('.') {
        Some((int, frac)) => (int, frac),
        None => (text, ""),
    };
    // 18 digits always fit an i64; a 19th could overflow it
    if int.is_empty() || int.len() + frac.len() > 18 || (text.len() > int.len() && frac.is_empty()) {
        return None;
    }
    let mut m: i64 = 0;
    for c in int.bytes().chain(frac.bytes()) {
        if !c.is_ascii_digit() {
            return None;
        }
        m = m * 10 + i64::from(c - b'0');
    }
    Some(Decimal::new(m, frac.len() as u32))
}

/// Whether a scenario's date is within the years verdict computes for.
pub(crate) fn date_in_range(d: chrono::NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

#[cfg(test)]
mod tests {
    use super::{plain_decimal, read_decimal};
    use rust_decimal::Decimal;

    #[test]
    fn the_plain_reading_is_the_general_parser_s_value_and_scale() {
        let mut texts: Vec<String> = ["0", "00", "0.0", "007.50", "10", "10.5", "10.50", "999999999999999999"]
            .into_iter()
            .map(String::from)
            .collect();
        for i in 0..20_000u64 {
            let n = i.wrapping_mul(2_654_435_761) % 10u64.pow(1 + (i % 18) as u32);
            let s = n.to_string();
            let cut = (i % 5) as usize;
            texts.push(if cut > 0 && cut < s.len() {
                format!("{}.{}", &s[..s.len() - cut], &s[s.len() - cut..])
            } else {
                s
            });
        }
        for t in &texts {
            let plain = plain_decimal(t).unwrap_or_else(|| panic!("`{t}` is plain"));
            let general = Decimal::from_str_exact(t).unwrap();
            assert_eq!(
                (plain, plain.scale(), plain.to_string()),
                (general, general.scale(), general.to_string()),
                "{t}"
            );
        }
        // what the plain reading leaves to the general parser, and the faults it still finds
        for t in ["", "-1", "+1", "1.", ".5", "1.2.3", "1e3", "12345678901234567890", "9999999999999999999", "١٢"] {
            assert_eq!(plain_decimal(t), None, "{t}");
        }
        assert!(read_decimal("10.505", true).is_err());
        assert!(read_decimal("1000000000000000", true).is_err());
        // the limit on amounts as the general parser reads them, at every scale
        for (t, too_large) in [
            ("999999999999999.99", false),
            ("1000000000000000.00", true),
            ("1000000000000000.5", true),
            ("0.0000000000000000000000000001", false),
        ] {
            assert_eq!(matches!(read_decimal(t, true), Err(super::DecimalFault::TooLarge)), too_large, "{t}");
        }
        assert_eq!(read_decimal("10.505", false).ok().map(|d| d.to_string()).as_deref(), Some("10.505"));
    }
}
