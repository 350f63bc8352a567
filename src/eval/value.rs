//! Runtime values. Money and decimals are exact; dates are calendar days.

use crate::check::types::{Sym, Symbols};
use crate::syntax::ast::Unit;
use chrono::NaiveDate;
use rust_decimal::Decimal;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Value {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    Money(Decimal),
    Date(NaiveDate),
    Duration(i64, Unit),
    Text(Arc<str>),
    Enum(Sym),
    List(Arc<[Value]>),
}

impl Value {
    /// The value as the JSON contract writes it (dates and amounts as strings).
    pub fn to_json(&self, symbols: &Symbols) -> serde_json::Value {
        use serde_json::Value as J;
        match self {
            Value::Bool(b) => J::Bool(*b),
            Value::Int(i) => J::from(*i),
            Value::List(items) => J::Array(items.iter().map(|v| v.to_json(symbols)).collect()),
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
            Value::Date(d) => d.format("%Y-%m-%d").to_string(),
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

/// Money with exactly two decimals (more only if the amount has more).
pub fn money(m: Decimal) -> String {
    let mut m = m.normalize();
    if m.scale() < 2 {
        m.rescale(2);
    }
    m.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn money_has_two_decimals() {
        assert_eq!(money(Decimal::new(9490, 2)), "94.90");
        assert_eq!(money(Decimal::new(40, 0)), "40.00");
        assert_eq!(money(Decimal::new(123456, 4)), "12.3456");
    }
}
