//! The typed syntax tree of expressions and type annotations. Every node has
//! a span in the rulebook file.

use crate::source::Span;
pub use crate::time::Unit;
use chrono::{NaiveDate, Weekday};
use rust_decimal::Decimal;

#[derive(Clone, Debug)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinOp {
    Or,
    And,
    Otherwise,
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    Add,
    Sub,
    Mul,
    Div,
}

impl BinOp {
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

#[derive(Clone, Debug)]
pub enum ExprKind {
    Bool(bool),
    Int(i64),
    Decimal(Decimal),
    Money {
        currency: String,
        amount: Decimal,
    },
    Date(NaiveDate),
    Duration(i64, Unit),
    Text(String),
    /// A dotted name: fact, conclusion, option, item field or bare enumeration value.
    Name(String),
    Not(Box<Expr>),
    Neg(Box<Expr>),
    Binary(BinOp, Box<Expr>, Box<Expr>),
    /// `a is one of (x, y)`; `negated` for `is not one of`.
    OneOf {
        value: Box<Expr>,
        set: Vec<Expr>,
        negated: bool,
    },
    /// `name is given` (`negated`: `is absent`).
    Given {
        value: Box<Expr>,
        negated: bool,
    },
    If(Box<Expr>, Box<Expr>, Box<Expr>),
    /// `period LENGTH after EVENT [without shift] [, paused during X | , restarting after X]`.
    Period {
        length: Box<Expr>,
        event: Box<Expr>,
        shift: bool,
        suspension: Option<Suspension>,
    },
    /// `tiered AMOUNT: RATE of the first X, RATE of the next Y, RATE of the rest`.
    Tiered {
        amount: Box<Expr>,
        tiers: Vec<Tier>,
    },
    /// `timeline("label": date or interval, …)`.
    Timeline(Vec<(String, Span, Expr)>),
    /// `next tuesday or friday [on or] after DATE`.
    Next {
        days: Vec<Weekday>,
        inclusive: bool,
        from: Box<Expr>,
    },
    Call {
        func: String,
        func_span: Span,
        args: Vec<Expr>,
    },
}

/// Intervals that stop a running period.
#[derive(Clone, Debug)]
pub struct Suspension {
    /// `restarting after`: the whole period runs again after the interval;
    /// `paused during`: the remaining days run on after it.
    pub restart: bool,
    pub during: Vec<Expr>,
}

/// One tranche of a tiered schedule.
#[derive(Clone, Debug)]
pub struct Tier {
    pub rate: Expr,
    /// The size of the tranche; `None` for "the rest".
    pub size: Option<Expr>,
}

/// A type as written in a declaration.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum TypeExpr {
    Bool,
    Integer,
    Decimal,
    Money,
    Date,
    Duration,
    Text,
    Weekday,
    Interval,
    Timeline,
    Enum(Vec<String>),
    /// `list of date` and the like.
    List(Box<TypeExpr>),
    /// `list of item`: a list of records whose element is called `item`.
    Records(String),
    /// A type that did not parse (already reported).
    Unknown,
}
