//! The rule language's built-in functions, one table entry each: name, arity,
//! type rule, a line of documentation and the evaluation. [`check`] looks
//! names up here, checks the number of arguments and asks the type rule for
//! the result type; [`eval`] calls the entry's evaluation with the argument
//! values. Adding a function means adding an entry to [`BUILTINS`] (and a row
//! to docs/LANGUAGE.md); nothing in `check` or `eval` changes.
//!
//! This module sits below both stages: it knows values, types and calendars,
//! never the checked program or the evaluator.
//!
//! [`check`]: crate::check
//! [`eval`]: crate::eval

use crate::diagnostic::Diagnostic;
use crate::source::Span;
use crate::time::Calendar;
use crate::value::{compare, num, Sym, Type, Value, WEEKDAY};
use chrono::Datelike;
use rust_decimal::{Decimal, RoundingStrategy};
use std::cmp::Ordering;

/// One built-in function.
pub struct Builtin {
    /// The name rules call it by.
    pub name: &'static str,
    /// How many arguments it takes.
    pub arity: Arity,
    /// What it computes, in one line.
    pub doc: &'static str,
    /// The result type for the argument types, or complaints in `Typing`.
    /// Called only with the right number of arguments.
    pub ty: fn(&mut Typing) -> Type,
    /// The result for argument values of the types the type rule accepted.
    pub eval: fn(&Call) -> Result<Value, Fault>,
}

impl std::fmt::Debug for Builtin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name)
    }
}

impl PartialEq for Builtin {
    /// Entries are identified by name (names are unique, see the tests).
    fn eq(&self, other: &Builtin) -> bool {
        self.name == other.name
    }
}

impl Eq for Builtin {}

/// How many arguments a function takes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arity {
    /// Exactly this many.
    Exactly(usize),
    /// One or more (`earliest(a, b, …)`).
    AtLeastOne,
}

impl Arity {
    /// Whether `n` arguments are allowed.
    pub fn admits(self, n: usize) -> bool {
        match self {
            Arity::Exactly(k) => n == k,
            Arity::AtLeastOne => n >= 1,
        }
    }

    /// As in "takes 2 argument(s)" / "takes at least 1 argument(s)".
    pub fn describe(self) -> String {
        match self {
            Arity::Exactly(k) => k.to_string(),
            Arity::AtLeastOne => "at least 1".to_string(),
        }
    }
}

/// The entry named `name`.
pub fn lookup(name: &str) -> Option<&'static Builtin> {
    BUILTINS.iter().find(|b| b.name == name)
}

/// Every function name, in table order.
pub fn names() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.name).collect()
}

// ---- typing ----

/// One checked argument, as the type rule sees it.
pub struct Arg<'a> {
    /// Its type.
    pub ty: &'a Type,
    /// Where it is written.
    pub span: Span,
    /// The value, when the argument is a literal.
    pub constant: Option<&'a Value>,
}

/// Something wrong with a call, for the checker to report.
#[derive(Debug, PartialEq)]
pub enum Complaint {
    /// Argument `.0` should be `.1` (e.g. "a date").
    Expected(usize, &'static str),
    /// The function needs the rulebook to select a holiday calendar.
    NeedsCalendar,
    /// Any other error, complete.
    Error(Diagnostic),
}

/// A type rule's input (the arguments) and output (complaints, in order).
pub struct Typing<'a> {
    /// The arguments of the call.
    pub args: &'a [Arg<'a>],
    /// What is wrong with them, in order.
    pub complaints: Vec<Complaint>,
}

impl<'a> Typing<'a> {
    /// A call with these arguments and no complaint yet.
    pub fn new(args: &'a [Arg<'a>]) -> Typing<'a> {
        Typing { args, complaints: Vec::new() }
    }

    fn ty(&self, i: usize) -> &'a Type {
        self.args[i].ty
    }

    /// Argument `i` is not `what`: a complaint, unless its type is already an
    /// error (reported where it arose). The result type is then unknown.
    fn expected(&mut self, i: usize, what: &'static str) -> Type {
        if *self.ty(i) != Type::Error {
            self.complaints.push(Complaint::Expected(i, what));
        }
        Type::Error
    }

    /// Every argument must be a date.
    fn dates(&mut self) {
        for i in 0..self.args.len() {
            if !matches!(self.ty(i), Type::Date | Type::Error) {
                self.expected(i, "a date");
            }
        }
    }
}

fn is_num(t: &Type) -> bool {
    matches!(t, Type::Int | Type::Decimal)
}

/// The element type of a list (or of a list of lists); other types as they are.
fn elem(t: &Type) -> Type {
    match t {
        Type::List(inner) => match &**inner {
            Type::List(i2) => (**i2).clone(),
            other => other.clone(),
        },
        other => other.clone(),
    }
}

// ---- evaluation ----

/// What evaluation has for a call.
pub struct Call<'a> {
    /// The argument values, of the types the type rule accepted.
    pub args: &'a [Value],
    /// The result type the type rule gave.
    pub ty: &'a Type,
    /// The rulebook's calendar, if it selected one.
    pub calendar: Option<&'a Calendar>,
    /// Whether the holiday at an index of the calendar is switched on.
    pub enabled: &'a dyn Fn(usize) -> bool,
}

/// Why a call has no value.
#[derive(Debug, PartialEq)]
pub enum Fault {
    /// The result does not exist (e.g. the first element of an empty list).
    Absent,
    /// The numbers are too large to compute exactly.
    Overflow,
    /// A value has a type the type rule did not allow (an internal error).
    Bug,
    /// The computation fails for these values; reported at the call.
    Fail {
        /// The diagnostic code.
        code: &'static str,
        /// What went wrong.
        message: String,
        /// What to do about it.
        help: &'static str,
    },
}

/// The argument as a list: its elements, or the value alone.
fn list(v: &Value) -> &[Value] {
    match v {
        Value::List(items) => items,
        other => std::slice::from_ref(other),
    }
}

fn flatten(v: &Value, out: &mut Vec<Value>) {
    match v {
        Value::List(items) => items.iter().for_each(|i| flatten(i, out)),
        other => out.push(other.clone()),
    }
}

fn date(v: &Value) -> Result<chrono::NaiveDate, Fault> {
    match v {
        Value::Date(d) => Ok(*d),
        _ => Err(Fault::Bug),
    }
}

/// The element of all arguments (lists taken element by element) that comes
/// first in order `want`; absent if there are none.
fn extreme(c: &Call, want: Ordering) -> Result<Value, Fault> {
    let mut items = Vec::new();
    for v in c.args {
        flatten(v, &mut items);
    }
    let mut best: Option<Value> = None;
    for v in items {
        if best.as_ref().is_none_or(|b| compare(&v, b).unwrap_or(Ordering::Equal) == want) {
            best = Some(v);
        }
    }
    best.ok_or(Fault::Absent)
}

fn round(c: &Call, strategy: RoundingStrategy) -> Result<Value, Fault> {
    let Value::Int(places) = c.args[1] else {
        return Err(Fault::Bug);
    };
    let places = places.clamp(0, 28) as u32;
    match &c.args[0] {
        Value::Money(m) => Ok(Value::Money(m.round_dp_with_strategy(places, strategy))),
        other => Ok(Value::Decimal(num(other).ok_or(Fault::Bug)?.round_dp_with_strategy(places, strategy))),
    }
}

/// Whether a day is a holiday of the calendar (that is switched on).
fn holiday<'a>(c: &Call<'a>) -> Result<(bool, chrono::NaiveDate, &'a Calendar), Fault> {
    let d = date(&c.args[0])?;
    let cal = c.calendar.ok_or(Fault::Bug)?;
    Ok((cal.holiday_on(d, c.enabled).is_some(), d, cal))
}

// ---- type rules shared by several entries ----

fn dates_or_lists(t: &mut Typing) -> Type {
    for i in 0..t.args.len() {
        if !matches!(elem(t.ty(i)), Type::Date | Type::Error) {
            t.expected(i, "a date or a list of dates");
        }
    }
    Type::Date
}

fn amounts_of_one_kind(t: &mut Typing) -> Type {
    let first = elem(t.ty(0));
    for i in 0..t.args.len() {
        let ty = elem(t.ty(i));
        let ok = matches!(ty, Type::Error)
            || (matches!(ty, Type::Int | Type::Decimal | Type::Money)
                && (ty == first || (is_num(&ty) && is_num(&first))));
        if !ok {
            t.expected(i, "numbers or amounts of one kind");
        }
    }
    if t.args.iter().any(|a| elem(a.ty) == Type::Decimal) {
        Type::Decimal
    } else {
        first
    }
}

fn bools(t: &mut Typing) -> Type {
    match t.ty(0) {
        Type::List(e) if **e == Type::Bool => Type::Bool,
        Type::Error => Type::Bool,
        _ => t.expected(0, "a list of true/false values"),
    }
}

fn calendar_day(t: &mut Typing) -> Type {
    t.dates();
    t.complaints.push(Complaint::NeedsCalendar);
    Type::Bool
}

fn rounding(t: &mut Typing) -> Type {
    let places_ok = matches!(t.args[1].constant, Some(Value::Int(n)) if (0..=28).contains(n));
    if !places_ok {
        t.complaints.push(Complaint::Error(
            Diagnostic::new(
                "check::round",
                "the number of decimals must be a whole number from 0 to 28",
                t.args[1].span,
            )
            .label("not a fixed number of decimals")
            .help("write e.g. round(x, 2) for cents"),
        ));
    }
    match t.ty(0) {
        Type::Int | Type::Decimal => Type::Decimal,
        Type::Money => Type::Money,
        Type::Error => Type::Error,
        _ => t.expected(0, "a number or amount"),
    }
}

// ---- the table ----

/// Every built-in function. The order is the order of suggestions for a
/// misspelt name.
pub static BUILTINS: &[Builtin] = &[
    Builtin {
        name: "earliest",
        arity: Arity::AtLeastOne,
        doc: "the earliest date of the arguments, lists taken element by element; absent if none",
        ty: dates_or_lists,
        eval: |c| extreme(c, Ordering::Less),
    },
    Builtin {
        name: "latest",
        arity: Arity::AtLeastOne,
        doc: "the latest date of the arguments, lists taken element by element; absent if none",
        ty: dates_or_lists,
        eval: |c| extreme(c, Ordering::Greater),
    },
    Builtin {
        name: "min",
        arity: Arity::AtLeastOne,
        doc: "the smallest number or amount of the arguments, lists taken element by element",
        ty: amounts_of_one_kind,
        eval: |c| extreme(c, Ordering::Less),
    },
    Builtin {
        name: "max",
        arity: Arity::AtLeastOne,
        doc: "the largest number or amount of the arguments, lists taken element by element",
        ty: amounts_of_one_kind,
        eval: |c| extreme(c, Ordering::Greater),
    },
    Builtin {
        name: "sum",
        arity: Arity::Exactly(1),
        doc: "the total of a list of numbers or amounts",
        ty: |t| match elem(t.ty(0)) {
            e @ (Type::Int | Type::Decimal | Type::Money | Type::Error)
                if matches!(t.ty(0), Type::List(_) | Type::Error) =>
            {
                e
            }
            _ => t.expected(0, "a list of numbers or amounts"),
        },
        eval: |c| {
            let mut items = Vec::new();
            for v in c.args {
                flatten(v, &mut items);
            }
            let mut total = Decimal::ZERO;
            let mut int_total: i64 = 0;
            for v in &items {
                match v {
                    Value::Int(i) => int_total = int_total.checked_add(*i).ok_or(Fault::Overflow)?,
                    other => total = total.checked_add(num(other).ok_or(Fault::Bug)?).ok_or(Fault::Overflow)?,
                }
            }
            Ok(match c.ty {
                Type::Int => Value::Int(int_total),
                Type::Money => Value::Money(total),
                _ => Value::Decimal(total.checked_add(int_total.into()).ok_or(Fault::Overflow)?),
            })
        },
    },
    Builtin {
        name: "count",
        arity: Arity::Exactly(1),
        doc: "the number of elements of a list",
        ty: |t| match t.ty(0) {
            Type::List(_) | Type::Records(_) | Type::Error => Type::Int,
            _ => t.expected(0, "a list"),
        },
        eval: |c| Ok(Value::Int(list(&c.args[0]).len() as i64)),
    },
    Builtin {
        name: "any",
        arity: Arity::Exactly(1),
        doc: "whether some element of a list of bools is true",
        ty: bools,
        eval: |c| Ok(Value::Bool(list(&c.args[0]).contains(&Value::Bool(true)))),
    },
    Builtin {
        name: "all",
        arity: Arity::Exactly(1),
        doc: "whether every element of a list of bools is true",
        ty: bools,
        eval: |c| Ok(Value::Bool(list(&c.args[0]).iter().all(|v| *v == Value::Bool(true)))),
    },
    Builtin {
        name: "first",
        arity: Arity::Exactly(1),
        doc: "the first element of a list that is present; absent if none",
        ty: |t| match t.ty(0) {
            Type::List(e) => (**e).clone(),
            Type::Error => Type::Error,
            _ => t.expected(0, "a list"),
        },
        eval: |c| list(&c.args[0]).first().cloned().ok_or(Fault::Absent),
    },
    Builtin {
        name: "days_between",
        arity: Arity::Exactly(2),
        doc: "whole days from date a to date b (negative if b is earlier)",
        ty: |t| {
            t.dates();
            Type::Int
        },
        eval: |c| Ok(Value::Int((date(&c.args[1])? - date(&c.args[0])?).num_days())),
    },
    Builtin {
        name: "weekday",
        arity: Arity::Exactly(1),
        doc: "the weekday of a date",
        ty: |t| {
            t.dates();
            Type::Enum(WEEKDAY)
        },
        eval: |c| Ok(Value::Enum(Sym(date(&c.args[0])?.weekday().num_days_from_monday()))),
    },
    Builtin {
        name: "is_working_day",
        arity: Arity::Exactly(1),
        doc: "whether a date is neither a weekend day nor a holiday of the rulebook's calendar",
        ty: calendar_day,
        eval: |c| {
            let (holiday, d, cal) = holiday(c)?;
            Ok(Value::Bool(!holiday && !cal.is_weekend(d)))
        },
    },
    Builtin {
        name: "is_holiday",
        arity: Arity::Exactly(1),
        doc: "whether a date is a holiday of the rulebook's calendar",
        ty: calendar_day,
        eval: |c| Ok(Value::Bool(holiday(c)?.0)),
    },
    Builtin {
        name: "round",
        arity: Arity::Exactly(2),
        doc: "x to n decimals, halves away from zero",
        ty: rounding,
        eval: |c| round(c, RoundingStrategy::MidpointAwayFromZero),
    },
    Builtin {
        name: "round_down",
        arity: Arity::Exactly(2),
        doc: "x to n decimals, toward zero",
        ty: rounding,
        eval: |c| round(c, RoundingStrategy::ToZero),
    },
    Builtin {
        name: "round_up",
        arity: Arity::Exactly(2),
        doc: "x to n decimals, away from zero",
        ty: rounding,
        eval: |c| round(c, RoundingStrategy::AwayFromZero),
    },
    Builtin {
        name: "interval",
        arity: Arity::Exactly(2),
        doc: "the days from date a to date b, both included; an error if b is before a",
        ty: |t| {
            t.dates();
            Type::Interval
        },
        eval: |c| {
            let (a, b) = (date(&c.args[0])?, date(&c.args[1])?);
            if b >= a {
                Ok(Value::Interval(a, b))
            } else {
                Err(Fault::Fail {
                    code: "eval::interval",
                    message: format!("the interval ends on {b}, before it starts on {a}"),
                    help: "check the two dates in the scenario: the end cannot come before the start",
                })
            }
        },
    },
    Builtin {
        name: "year",
        arity: Arity::Exactly(1),
        doc: "the year of a date, as a number",
        ty: |t| {
            t.dates();
            Type::Int
        },
        eval: |c| Ok(Value::Int(date(&c.args[0])?.year().into())),
    },
];

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn d(s: &str) -> Value {
        Value::Date(s.parse::<NaiveDate>().unwrap())
    }

    /// Evaluates `name` on `args` (result type `ty`), without a calendar.
    fn run(name: &str, args: &[Value], ty: Type) -> Result<Value, Fault> {
        let b = lookup(name).unwrap();
        assert!(b.arity.admits(args.len()), "{name} takes {}", b.arity.describe());
        (b.eval)(&Call { args, ty: &ty, calendar: None, enabled: &|_| true })
    }

    /// The type rule of `name` for argument types.
    fn typing(name: &str, tys: &[Type]) -> (Type, Vec<Complaint>) {
        let args: Vec<Arg> = tys.iter().map(|ty| Arg { ty, span: Span::default(), constant: None }).collect();
        let mut t = Typing::new(&args);
        let ty = (lookup(name).unwrap().ty)(&mut t);
        (ty, t.complaints)
    }

    #[test]
    fn names_are_unique_and_documented() {
        let docs = include_str!("../docs/LANGUAGE.md");
        for (i, b) in BUILTINS.iter().enumerate() {
            assert!(BUILTINS[..i].iter().all(|o| o.name != b.name), "{} twice", b.name);
            assert!(docs.contains(&format!("`{}(", b.name)), "{} is not in docs/LANGUAGE.md", b.name);
            assert!(!b.doc.is_empty() && !b.doc.contains('\n'), "{}: doc is one line", b.name);
        }
    }

    #[test]
    fn arity() {
        assert!(Arity::AtLeastOne.admits(3) && !Arity::AtLeastOne.admits(0));
        assert_eq!(Arity::AtLeastOne.describe(), "at least 1");
        assert_eq!(lookup("interval").unwrap().arity.describe(), "2");
        assert!(lookup("nope").is_none());
    }

    #[test]
    fn type_rules_complain_about_the_argument() {
        assert_eq!(
            typing("days_between", &[Type::Date, Type::Money]),
            (Type::Int, vec![Complaint::Expected(1, "a date")])
        );
        // an argument that is already an error is not reported again
        assert_eq!(typing("first", &[Type::Error]), (Type::Error, vec![]));
        assert_eq!(typing("is_holiday", &[Type::Date]), (Type::Bool, vec![Complaint::NeedsCalendar]));
    }

    #[test]
    fn evaluation() {
        assert_eq!(run("days_between", &[d("2026-03-02"), d("2026-02-27")], Type::Int), Ok(Value::Int(-3)));
        assert_eq!(run("latest", &[d("2026-03-02"), d("2026-02-27")], Type::Date), Ok(d("2026-03-02")));
        assert_eq!(run("first", &[Value::List(Vec::new().into())], Type::Int), Err(Fault::Absent));
        assert_eq!(
            run("sum", &[Value::List(vec![Value::Int(i64::MAX), Value::Int(1)].into())], Type::Int),
            Err(Fault::Overflow)
        );
        assert!(matches!(
            run("interval", &[d("2026-03-02"), d("2026-02-27")], Type::Interval),
            Err(Fault::Fail { .. })
        ));
    }

    #[test]
    fn year_of_a_date() {
        assert_eq!(run("year", &[d("2026-03-02")], Type::Int), Ok(Value::Int(2026)));
        assert_eq!(run("year", &[d("1999-12-31")], Type::Int), Ok(Value::Int(1999)));
        assert_eq!(typing("year", &[Type::Date]), (Type::Int, vec![]));
        assert_eq!(typing("year", &[Type::Money]), (Type::Int, vec![Complaint::Expected(0, "a date")]));
        assert_eq!(lookup("year").unwrap().arity, Arity::Exactly(1));
    }
}
