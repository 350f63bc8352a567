//! The typed syntax tree of expressions and type annotations. Every node has
//! a span in the rulebook file.

use crate::source::Span;
pub use crate::time::Unit;
use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;

/// An expression of the rule language, with where it was written.
#[derive(Clone, Debug)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Where it was written in the rulebook file.
    pub span: Span,
}

/// A binary operator.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    /// `a or b`.
    Or,
    /// `a and b`.
    And,
    /// `a otherwise b`: `a`, or `b` when `a` needs an absent fact or conclusion.
    Otherwise,
    /// `=` or `is`.
    Eq,
    /// `!=` or `is not`.
    Ne,
    /// `<` or `is before`.
    Lt,
    /// `<=` or `is on or before`.
    Le,
    /// `>` or `is after`.
    Gt,
    /// `>=` or `is on or after`.
    Ge,
    /// `+`.
    Add,
    /// `-`.
    Sub,
    /// `*`.
    Mul,
    /// `/`.
    Div,
}

impl BinOp {
    /// The operator as messages write it (`is` for `=`, `<` for `is before`).
    pub fn symbol(self) -> &'static str {
        match self {
            BinOp::Or => "or",
            BinOp::And => "and",
            BinOp::Otherwise => "otherwise",
            BinOp::Eq => "is",
            BinOp::Ne => "is not",
            BinOp::Lt => "<",
            BinOp::Le => "<=",
            BinOp::Gt => ">",
            BinOp::Ge => ">=",
            BinOp::Add => "+",
            BinOp::Sub => "-",
            BinOp::Mul => "*",
            BinOp::Div => "/",
        }
    }
}

/// The forms of expression.
#[derive(Clone, Debug)]
pub enum ExprKind {
    /// `true` or `false`.
    Bool(bool),
    /// A whole number, `42`.
    Int(i64),
    /// A decimal, `0.15`; a percentage (`15%`) is read as its decimal.
    Decimal(Decimal),
    /// A money literal, `EUR 40.00`.
    Money {
        /// The currency as written (`€` is read as `EUR`).
        currency: String,
        /// The amount.
        amount: Decimal,
    },
    /// A date, `2026-03-02`.
    Date(NaiveDate),
    /// A duration, `14 days`, `5 working days`.
    Duration(i64, Unit),
    /// `"text"`: what is between the quotes, as written.
    Text(String),
    /// A dotted name: fact, conclusion, option, item field or bare enumeration value.
    Name(String),
    /// `not a`.
    Not(Box<Expr>),
    /// `-a`.
    Neg(Box<Expr>),
    /// `a OP b`.
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a is one of (x, y)`; `negated` for `is not one of`.
    OneOf {
        /// The value tested.
        value: Box<Expr>,
        /// The values it is tested against.
        set: Vec<Expr>,
        /// `is not one of`.
        negated: bool,
    },
    /// `name is given` (`negated`: `is absent`).
    Given {
        /// The name tested.
        value: Box<Expr>,
        /// `is absent`.
        negated: bool,
    },
    /// `if c then a else b`: the condition, then the two branches.
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `period LENGTH after EVENT [without shift] [, paused during X | , restarting after X]`.
    Period {
        /// The duration (`14 days`).
        length: Box<Expr>,
        /// The day of the event; the period starts the day after.
        event: Box<Expr>,
        /// Whether a last day that is not a working day moves to the next one (`false` with `without shift`).
        shift: bool,
        /// `paused during X` or `restarting after X`, if written.
        suspension: Option<Suspension>,
    },
    /// `tiered AMOUNT: RATE of the first X, RATE of the next Y, RATE of the rest`.
    Tiered {
        /// The amount split into tranches.
        amount: Box<Expr>,
        /// The tranches, in the order written.
        tiers: Vec<Tier>,
    },
    /// `TABLE on DAY`: the value of a dated parameter table in force on a day.
    Lookup {
        /// The table's name, as written.
        table: String,
        /// Where the table's name was written.
        table_span: Span,
        /// The day.
        on: Box<Expr>,
    },
    /// `interest on AMOUNT at RATE from D1 to D2, days / BASIS[, compounded yearly]`.
    Interest(Box<InterestExpr>),
    /// `timeline("label": date or interval, …)`.
    Timeline(Vec<(String, Span, Expr)>),
    /// `next tuesday or friday [on or] after DATE`.
    Next {
        /// The weekdays searched for, as written.
        days: Vec<Weekday>,
        /// `on or after` (the start day itself may be the one found); else `after`.
        inclusive: bool,
        /// The day the search starts from.
        from: Box<Expr>,
    },
    /// A call of a built-in function, `f(a, b)`.
    Call {
        /// The function's name.
        func: String,
        /// Where its name was written.
        func_span: Span,
        /// The arguments, in order.
        args: Vec<Expr>,
    },
}

/// Intervals that stop a running period.
#[derive(Clone, Debug)]
pub struct Suspension {
    /// `restarting after`: the whole period runs again after the interval;
    /// `paused during`: the remaining days run on after it.
    pub restart: bool,
    /// The intervals `X` (one expression, or each of those in brackets).
    pub during: Vec<Expr>,
}

/// Simple interest accrued on an amount over a span of days, at a rate that
/// may change on the way (a dated table), with optional yearly compounding.
#[derive(Clone, Debug)]
pub struct InterestExpr {
    /// The amount the interest accrues on.
    pub amount: Expr,
    /// The yearly rate: a table's name (its value in force on each day) or any decimal expression.
    pub rate: Expr,
    /// The first day of interest (counted).
    pub from: Expr,
    /// The day interest stops (not counted): `days_between(from, to)` days accrue.
    pub to: Expr,
    /// How one day's share of the yearly rate is computed.
    pub day_count: DayCount,
    /// Where the day-count clause was written.
    pub day_count_span: Span,
    /// `compounded yearly`: after each full year from `from`, that year's interest is added to the amount.
    pub compounded: bool,
}

/// The day-count convention of an interest computation, stated in the rulebook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DayCount {
    /// `days / N`: each day earns 1/N of the yearly rate (`days / 365`).
    Fixed(i64),
    /// `days / year`: each day earns 1/365 of the yearly rate, or 1/366 in a leap year.
    ActualYear,
}

/// One tranche of a tiered schedule.
#[derive(Clone, Debug)]
pub struct Tier {
    /// The rate of this tranche (`15%`).
    pub rate: Expr,
    /// The size of the tranche; `None` for "the rest".
    pub size: Option<Expr>,
}

/// A type as written in a declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    /// `bool`.
    Bool,
    /// `integer`.
    Integer,
    /// `decimal`.
    Decimal,
    /// `money`.
    Money,
    /// `date`.
    Date,
    /// `duration`.
    Duration,
    /// `text`.
    Text,
    /// `weekday`.
    Weekday,
    /// `interval`.
    Interval,
    /// `timeline`.
    Timeline,
    /// `one of a, b, c`: the values, in the order written.
    Enum(Vec<String>),
    /// `list of date` and the like.
    List(Box<TypeExpr>),
    /// `list of item`: a list of records whose element is called `item`.
    Records(String),
    /// A type that did not parse (already reported).
    Unknown,
}
