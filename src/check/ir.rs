//! The checked program's expressions: names resolved to slots, every node
//! typed. Evaluation walks this tree; it never looks a name up.

use crate::builtins::Builtin;
use crate::source::Span;
use crate::time::Unit;
use crate::value::Type;
use crate::value::Value;
use chrono::Weekday;

/// A fact, by its index in `Program::facts`.
pub type FactId = u32;
/// A list of records, by its index in `Program::lists`.
pub type ListId = u32;
/// A field of a list of records, by its index in `ListDef::fields`.
pub type FieldId = u32;
/// An option, by its index in `Program::options`.
pub type OptId = u32;
/// A conclusion, by its index in `Program::conclusions`.
pub type ConcId = u32;
/// A rule, by its index in `Program::rules` (declaration order).
pub type RuleId = u32;
/// A dated table, by its index in `Program::tables`.
pub type TableId = u32;
pub use crate::syntax::ast::DayCount;

/// A comparison.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    /// `=`
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
}

/// An arithmetic operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
}

/// A reference to something with a value at evaluation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    /// A fact of the scenario.
    Fact(FactId),
    /// An option of the run.
    Option(OptId),
    /// A conclusion decided once per scenario.
    Conclusion(ConcId),
    /// A field of the current element (per-item rules).
    Field(ListId, FieldId),
    /// A per-item conclusion of the current element.
    ItemConclusion(ConcId),
    /// A field of every element, as a list.
    ListField(ListId, FieldId),
    /// A per-item conclusion of every element, as a list.
    ListConclusion(ConcId),
    /// The list of records itself.
    Records(ListId),
}

/// A typed expression of the checked program.
#[derive(Clone, Debug)]
pub struct Ir {
    /// What it computes.
    pub op: Op,
    /// Its type, as checked.
    pub ty: Type,
    /// Where it is written in the rulebook.
    pub span: Span,
}

/// The operations of a typed expression.
#[derive(Clone, Debug)]
pub enum Op {
    /// A literal.
    Const(Value),
    /// The value in a slot.
    Load(Slot),
    /// `not a`
    Not(Box<Ir>),
    /// `-a`
    Neg(Box<Ir>),
    /// `a and b` (`false and ?` is false)
    And(Box<Ir>, Box<Ir>),
    /// `a or b` (`true or ?` is true)
    Or(Box<Ir>, Box<Ir>),
    /// `a otherwise b`: `b` where `a` has no value
    Otherwise(Box<Ir>, Box<Ir>),
    /// A comparison.
    Cmp(Cmp, Box<Ir>, Box<Ir>),
    /// An arithmetic operation (exact; overflow is an error).
    Arith(Arith, Box<Ir>, Box<Ir>),
    /// `a is one of (…)`, or with `true` `a is not one of (…)`.
    OneOf(Box<Ir>, Vec<Ir>, bool),
    /// `is given` (false) / `is absent` (true).
    Given(Box<Ir>, bool),
    /// `if c then a else b`
    If(Box<Ir>, Box<Ir>, Box<Ir>),
    /// A legal period; the length is a duration expression. `suspension`:
    /// (restart?, intervals or lists of intervals that stop it).
    Period {
        /// The period's length, a duration.
        length: Box<Ir>,
        /// The day of the event it runs from.
        event: Box<Ir>,
        /// Whether a last day on a weekend or holiday moves to the next working day.
        shift: bool,
        /// What pauses (`false`) or restarts (`true`) it.
        suspension: Option<(bool, Vec<Ir>)>,
    },
    /// A tiered schedule: (rate, tranche size or `None` for the rest).
    Tiered {
        /// The amount the rates apply to.
        amount: Box<Ir>,
        /// The tranches, in order.
        tiers: Vec<(Ir, Option<Ir>)>,
    },
    /// `TABLE on D`: the value of a dated table in force on day `D`.
    Lookup {
        /// The table.
        table: TableId,
        /// The day.
        on: Box<Ir>,
    },
    /// Interest on an amount over a span of days.
    Interest(Box<InterestIr>),
    /// Labelled dates and intervals, put in order.
    Timeline(Vec<(std::sync::Arc<str>, Ir)>),
    /// The current element's position in its list, from 1.
    Position,
    /// `next monday or friday on or after D`
    Next {
        /// The weekdays looked for.
        days: Vec<Weekday>,
        /// Whether `D` itself counts (`on or after`) or not (`after`).
        inclusive: bool,
        /// The day the search starts from.
        from: Box<Ir>,
    },
    /// A built-in function, an entry of [`crate::builtins::BUILTINS`].
    Call(&'static Builtin, Vec<Ir>),
    /// `n unit` where the count is computed (duration × integer).
    Duration(Box<Ir>, Unit),
}

/// The yearly rate interest accrues at.
#[derive(Clone, Debug)]
pub enum Rate {
    /// The value of a dated table in force on each day: the period is split where it changes.
    Table(TableId),
    /// One rate for the whole span.
    Fixed(Ir),
}

/// `interest on AMOUNT at RATE from D1 to D2, days / BASIS[, compounded yearly]`.
#[derive(Clone, Debug)]
pub struct InterestIr {
    /// The amount interest accrues on (money or a number).
    pub amount: Ir,
    /// The yearly rate.
    pub rate: Rate,
    /// The first day of interest.
    pub from: Ir,
    /// The day interest stops (not counted).
    pub to: Ir,
    /// The day-count convention the rulebook states.
    pub day_count: DayCount,
    /// Whether each full year's interest is added to the amount.
    pub compounded: bool,
}

impl Ir {
    /// The direct sub-expressions.
    pub fn children(&self) -> Vec<&Ir> {
        let mut out: Vec<&Ir> = Vec::new();
        match &self.op {
            Op::Const(_) | Op::Load(_) | Op::Position => {}
            Op::Not(a) | Op::Neg(a) | Op::Given(a, _) | Op::Duration(a, _) | Op::Next { from: a, .. } => out.push(a),
            Op::And(a, b) | Op::Or(a, b) | Op::Otherwise(a, b) | Op::Cmp(_, a, b) | Op::Arith(_, a, b) => {
                out.extend([&**a, &**b])
            }
            Op::Period { length, event, suspension, .. } => {
                out.extend([&**length, &**event]);
                if let Some((_, during)) = suspension {
                    out.extend(during);
                }
            }
            Op::Tiered { amount, tiers } => {
                out.push(amount);
                for (rate, size) in tiers {
                    out.push(rate);
                    out.extend(size);
                }
            }
            Op::Timeline(events) => out.extend(events.iter().map(|(_, e)| e)),
            Op::Lookup { on, .. } => out.push(on),
            Op::Interest(i) => {
                out.push(&i.amount);
                if let Rate::Fixed(r) = &i.rate {
                    out.push(r);
                }
                out.extend([&i.from, &i.to]);
            }
            Op::OneOf(a, set, _) => {
                out.push(a);
                out.extend(set);
            }
            Op::If(c, a, b) => out.extend([&**c, &**a, &**b]),
            Op::Call(_, args) => out.extend(args),
        }
        out
    }

    /// Calls `f` on each direct sub-expression.
    pub fn each_child(&self, f: &mut dyn FnMut(&Ir)) {
        for c in self.children() {
            f(c);
        }
    }

    /// How deep the tree is (measured without recursion).
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack = vec![(self, 1)];
        while let Some((ir, d)) = stack.pop() {
            deepest = deepest.max(d);
            stack.extend(ir.children().into_iter().map(|c| (c, d + 1)));
        }
        deepest
    }

    /// Every slot this expression reads, in order of first appearance.
    pub fn slots(&self, out: &mut Vec<Slot>) {
        if let Op::Load(s) = &self.op {
            if !out.contains(s) {
                out.push(*s);
            }
        }
        self.each_child(&mut |c| c.slots(out));
    }
}
