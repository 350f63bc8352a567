//! The checked program's expressions: names resolved to slots, every node
//! typed. Evaluation walks this tree; it never looks a name up.

use crate::builtins::Builtin;
use crate::source::Span;
use crate::time::Unit;
use crate::value::Type;
use crate::value::Value;
use chrono::Weekday;

pub type FactId = u32;
pub type ListId = u32;
pub type FieldId = u32;
pub type OptId = u32;
pub type ConcId = u32;
pub type RuleId = u32;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Arith {
    Add,
    Sub,
    Mul,
    Div,
}

/// A reference to something with a value at evaluation time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Slot {
    Fact(FactId),
    Option(OptId),
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

#[derive(Clone, Debug)]
pub struct Ir {
    pub op: Op,
    pub ty: Type,
    pub span: Span,
}

#[derive(Clone, Debug)]
pub enum Op {
    Const(Value),
    Load(Slot),
    Not(Box<Ir>),
    Neg(Box<Ir>),
    And(Box<Ir>, Box<Ir>),
    Or(Box<Ir>, Box<Ir>),
    Otherwise(Box<Ir>, Box<Ir>),
    Cmp(Cmp, Box<Ir>, Box<Ir>),
    Arith(Arith, Box<Ir>, Box<Ir>),
    OneOf(Box<Ir>, Vec<Ir>, bool),
    /// `is given` (false) / `is absent` (true).
    Given(Box<Ir>, bool),
    If(Box<Ir>, Box<Ir>, Box<Ir>),
    /// A legal period; the length is a duration expression. `suspension`:
    /// (restart?, intervals or lists of intervals that stop it).
    Period {
        length: Box<Ir>,
        event: Box<Ir>,
        shift: bool,
        suspension: Option<(bool, Vec<Ir>)>,
    },
    /// A tiered schedule: (rate, tranche size or `None` for the rest).
    Tiered {
        amount: Box<Ir>,
        tiers: Vec<(Ir, Option<Ir>)>,
    },
    /// Labelled dates and intervals, put in order.
    Timeline(Vec<(std::sync::Arc<str>, Ir)>),
    /// The current element's position in its list, from 1.
    Position,
    Next {
        days: Vec<Weekday>,
        inclusive: bool,
        from: Box<Ir>,
    },
    /// A built-in function, an entry of [`crate::builtins::BUILTINS`].
    Call(&'static Builtin, Vec<Ir>),
    /// `n unit` where the count is computed (duration × integer).
    Duration(Box<Ir>, Unit),
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
