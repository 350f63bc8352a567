//! Evaluation of one expression. Undetermined parts follow three-valued
//! logic: `false and ?` is false, `true or ?` is true, anything else that
//! touches a missing fact needs it.

use super::trace::{FailedPart, Inputs, Shown, Step, TierStep};
use super::{fail, Need, Outcome, Verdicts};
use crate::builtins::{Builtin, Call, Fault};
use crate::check::ir::{Arith, Cmp, InterestIr, Ir, Op, Rate, Slot, TableId};
use crate::check::Program;
use crate::diagnostic::Diagnostic;
use crate::facts::Facts;
use crate::time::{add_duration, legal_period, next_weekday, Suspension, TimeError};
use crate::value::{compare, num, Event, Value};
use chrono::NaiveDate;
use rust_decimal::Decimal as Dec;
use std::borrow::Cow;
use std::cmp::Ordering;

/// Why an expression has no value.
pub(crate) enum Stop {
    /// It needs facts the scenario did not give.
    Missing(Vec<Need>),
    /// It reads a conclusion that does not apply.
    Absent,
    /// The computation itself failed (overflow, date out of range).
    Fail(Box<Diagnostic>),
}

type R = Result<Value, Stop>;

pub(crate) struct Run<'a> {
    prog: &'a Program,
    pub(super) facts: &'a Facts,
    pub(super) options: &'a [Value],
    pub(super) done: &'a Verdicts,
    pub(super) item: Option<usize>,
    steps: Option<Vec<Step>>,
}

fn missing(n: Need) -> Stop {
    Stop::Missing(vec![n])
}

fn overflow(ir: &Ir) -> Stop {
    fail(
        "eval::overflow",
        "arithmetic overflow".into(),
        ir.span,
        "the numbers are too large to compute exactly; check the amounts given",
    )
}

fn time_error(ir: &Ir, e: TimeError) -> Stop {
    fail("eval::date", e.to_string(), ir.span, "check the dates in the scenario")
}

fn join(a: Stop, b: Stop) -> Stop {
    match (a, b) {
        (Stop::Missing(mut x), Stop::Missing(y)) => {
            x.extend(y);
            Stop::Missing(x)
        }
        (Stop::Fail(e), _) | (_, Stop::Fail(e)) => Stop::Fail(e),
        (Stop::Missing(x), Stop::Absent) | (Stop::Absent, Stop::Missing(x)) => Stop::Missing(x),
        (Stop::Absent, Stop::Absent) => Stop::Absent,
    }
}

impl<'a> Run<'a> {
    pub fn new(
        prog: &'a Program,
        facts: &'a Facts,
        options: &'a [Value],
        done: &'a Verdicts,
        item: Option<usize>,
        explain: bool,
    ) -> Run<'a> {
        Run { prog, facts, options, done, item, steps: explain.then(Vec::new) }
    }

    pub fn take_steps(&mut self) -> Vec<Step> {
        self.steps.take().unwrap_or_default()
    }

    fn enabled(&self) -> impl Fn(usize) -> bool + '_ {
        move |i| {
            let gates = self.prog.calendar.as_ref().map(|c| &c.gates);
            match gates.and_then(|g| g.get(i).copied().flatten()) {
                Some(o) => self.options[o as usize] == Value::Bool(true),
                None => true,
            }
        }
    }

    /// A slot's value, read in place where it is stored.
    #[inline]
    fn peek(&self, slot: Slot) -> Result<Cow<'a, Value>, Stop> {
        let (facts, done): (&'a Facts, &'a Verdicts) = (self.facts, self.done);
        let item = self.item.unwrap_or(0);
        match slot {
            Slot::Fact(f) => facts.values[f as usize].as_ref().map(Cow::Borrowed).ok_or_else(|| missing(Need::Fact(f))),
            Slot::Option(o) => Ok(Cow::Borrowed(&self.options[o as usize])),
            Slot::Conclusion(c) => outcome_ref(&done.global[c as usize]),
            Slot::ItemConclusion(c) => done.per_item[c as usize].get(item).map_or(Err(Stop::Absent), outcome_ref),
            Slot::Field(l, f) => facts.lists[l as usize]
                .get(item)
                .and_then(|r| r[f as usize].as_ref())
                .map(Cow::Borrowed)
                .ok_or_else(|| missing(Need::Field { list: l, item: item as u32, field: f })),
            _ => self.load(slot).map(Cow::Owned),
        }
    }

    /// An operand: constants and stored values by reference, anything else computed.
    fn operand<'x>(&mut self, ir: &'x Ir) -> Result<Cow<'x, Value>, Stop>
    where
        'a: 'x,
    {
        match &ir.op {
            Op::Const(v) => Ok(Cow::Borrowed(v)),
            Op::Load(s) => self.peek(*s),
            _ => self.eval(ir).map(Cow::Owned),
        }
    }

    pub fn load(&self, slot: Slot) -> R {
        match slot {
            Slot::Fact(_) | Slot::Option(_) | Slot::Conclusion(_) | Slot::ItemConclusion(_) | Slot::Field(..) => {
                self.peek(slot).map(Cow::into_owned)
            }
            Slot::ListField(l, f) => {
                let mut out = Vec::new();
                let mut needs = Vec::new();
                for (i, r) in self.facts.lists[l as usize].iter().enumerate() {
                    match &r[f as usize] {
                        Some(v) => out.push(v.clone()),
                        None => needs.push(Need::Field { list: l, item: i as u32, field: f }),
                    }
                }
                if needs.is_empty() {
                    Ok(Value::List(out.into()))
                } else {
                    Err(Stop::Missing(needs))
                }
            }
            Slot::ListConclusion(c) => {
                let mut out = Vec::new();
                let mut needs = Vec::new();
                for o in &self.done.per_item[c as usize] {
                    match o {
                        Outcome::Value(v) => out.push(v.clone()),
                        Outcome::Absent => {}
                        Outcome::Undetermined(n) => needs.extend(n.iter().copied()),
                    }
                }
                if needs.is_empty() {
                    Ok(Value::List(out.into()))
                } else {
                    Err(Stop::Missing(needs))
                }
            }
            Slot::Records(l) => {
                let n = self.facts.lists[l as usize].len();
                Ok(Value::List((0..n as i64).map(Value::Int).collect::<Vec<_>>().into()))
            }
        }
    }

    /// A condition's value, computed without building a `Value`.
    pub(super) fn cond(&mut self, ir: &Ir) -> Result<bool, Stop> {
        match &ir.op {
            Op::Not(a) => Ok(!self.cond(a)?),
            Op::And(a, b) | Op::Or(a, b) => {
                let is_and = matches!(ir.op, Op::And(..));
                let x = self.logic(a);
                if let Ok(v) = x {
                    if v != is_and {
                        return Ok(v);
                    }
                }
                let y = self.logic(b);
                match (x, y) {
                    (Ok(_), Ok(v)) => Ok(v),
                    (_, Ok(v)) if v != is_and => Ok(v),
                    (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
                    (Err(e1), Err(e2)) => Err(join(e1, e2)),
                }
            }
            Op::Cmp(c, a, b) => {
                let x = self.operand(a);
                let y = self.operand(b);
                let (x, y) = match (x, y) {
                    (Ok(x), Ok(y)) => (x, y),
                    (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
                    (Err(e1), Err(e2)) => return Err(join(e1, e2)),
                };
                Ok(holds(*c, compare(&x, &y).ok_or_else(|| bug(ir))?))
            }
            Op::OneOf(a, set, negated) => {
                let v = self.operand(a)?;
                let mut found = false;
                for s in set {
                    if compare(&v, &*self.operand(s)?) == Some(Ordering::Equal) {
                        found = true;
                        break;
                    }
                }
                Ok(found != *negated)
            }
            Op::Given(a, negated) => match &a.op {
                // a fact or field not given is exactly the need `is_direct` accepts
                Op::Load(Slot::Fact(f)) => Ok(self.facts.values[*f as usize].is_some() != *negated),
                Op::Load(Slot::Field(l, f)) => {
                    let given = self.facts.lists[*l as usize]
                        .get(self.item.unwrap_or(0))
                        .is_some_and(|r| r[*f as usize].is_some());
                    Ok(given != *negated)
                }
                _ => match self.operand(a) {
                    Ok(_) => Ok(!negated),
                    Err(Stop::Absent) => Ok(*negated),
                    Err(Stop::Missing(n)) if is_direct(a, &n) => Ok(*negated),
                    Err(e) => Err(e),
                },
            },
            Op::Const(Value::Bool(b)) => Ok(*b),
            Op::Load(s) => match *self.peek(*s)? {
                Value::Bool(b) => Ok(b),
                _ => Err(bug(ir)),
            },
            _ => match self.eval(ir)? {
                Value::Bool(b) => Ok(b),
                _ => Err(bug(ir)),
            },
        }
    }

    /// Evaluates a rule's condition: whether it holds (a value other than
    /// `true` does not). A deep one gets more stack when needed.
    pub fn when(&mut self, ir: &Ir, deep: bool) -> Result<bool, Stop> {
        if deep {
            stacker::maybe_grow(64 * 1024, 8 * 1024 * 1024, || self.when_shallow(ir))
        } else {
            self.when_shallow(ir)
        }
    }

    fn when_shallow(&mut self, ir: &Ir) -> Result<bool, Stop> {
        match &ir.op {
            Op::Not(..) | Op::And(..) | Op::Or(..) | Op::Cmp(..) | Op::OneOf(..) | Op::Given(..) => self.cond(ir),
            Op::Load(s) => Ok(matches!(*self.peek(*s)?, Value::Bool(true))),
            _ => Ok(matches!(self.eval(ir)?, Value::Bool(true))),
        }
    }

    /// Evaluates a rule's expression; a deep one gets more stack when needed.
    pub fn eval_rule(&mut self, ir: &Ir, deep: bool) -> R {
        if deep {
            stacker::maybe_grow(64 * 1024, 8 * 1024 * 1024, || self.eval(ir))
        } else {
            self.eval(ir)
        }
    }

    pub fn eval(&mut self, ir: &Ir) -> R {
        match &ir.op {
            Op::Const(v) => Ok(v.clone()),
            Op::Load(s) => self.load(*s),
            Op::Neg(a) => match self.eval(a)? {
                Value::Int(i) => i.checked_neg().map(Value::Int).ok_or_else(|| overflow(ir)),
                Value::Decimal(d) => Ok(Value::Decimal(-d)),
                Value::Money(d) => Ok(Value::Money(-d)),
                _ => Err(bug(ir)),
            },
            Op::Not(..) | Op::And(..) | Op::Or(..) | Op::Cmp(..) | Op::OneOf(..) | Op::Given(..) => {
                self.cond(ir).map(Value::Bool)
            }
            Op::Otherwise(a, b) => match self.eval(a) {
                Ok(v) => Ok(v),
                Err(Stop::Fail(e)) => Err(Stop::Fail(e)),
                Err(_) => self.eval(b),
            },
            Op::Arith(op, a, b) => {
                let x = self.eval(a);
                let y = self.eval(b);
                match (x, y) {
                    (Ok(x), Ok(y)) => self.arith(ir, *op, x, y),
                    (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
                    (Err(e1), Err(e2)) => Err(join(e1, e2)),
                }
            }
            Op::If(c, a, b) => {
                if self.cond(c)? {
                    self.eval(a)
                } else {
                    self.eval(b)
                }
            }
            Op::Period { length, event, shift, suspension } => {
                let (n, unit) = match self.eval(length)? {
                    Value::Duration(n, u) => (n, u),
                    _ => return Err(bug(ir)),
                };
                let event = self.date(event)?;
                let mut intervals = Vec::new();
                if let Some((_, during)) = suspension {
                    for d in during {
                        match self.eval(d) {
                            Ok(v) => collect_intervals(&v, &mut intervals),
                            Err(Stop::Absent) => {}
                            Err(e) => return Err(e),
                        }
                    }
                }
                let suspension =
                    suspension.as_ref().map(|(restart, _)| Suspension { restart: *restart, intervals: &intervals });
                let cal = self.prog.calendar.as_ref().map(|c| &c.calendar);
                let steps = legal_period(event, n, unit, *shift, suspension, cal, &self.enabled())
                    .map_err(|e| time_error(ir, e))?;
                let last = steps.last;
                if let Some(s) = &mut self.steps {
                    s.push(Step::Period(steps));
                }
                Ok(Value::Date(last))
            }
            Op::Next { days, inclusive, from } => {
                let from = self.date(from)?;
                let cal = &self.prog.calendar.as_ref().ok_or_else(|| bug(ir))?.calendar;
                let (found, skipped) =
                    next_weekday(from, days, *inclusive, cal, &self.enabled()).map_err(|e| time_error(ir, e))?;
                if let Some(s) = &mut self.steps {
                    s.push(Step::Next { from, found, skipped });
                }
                Ok(Value::Date(found))
            }
            Op::Duration(n, unit) => match self.eval(n)? {
                Value::Int(n) => Ok(Value::Duration(n, *unit)),
                _ => Err(bug(ir)),
            },
            Op::Call(f, args) => self.call(ir, f, args),
            Op::Position => Ok(Value::Int(self.item.map_or(0, |i| i as i64 + 1))),
            Op::Tiered { amount, tiers } => self.tiered(ir, amount, tiers),
            Op::Lookup { table, on } => self.lookup(ir, *table, on),
            Op::Interest(i) => self.interest(ir, i),
            Op::Timeline(events) => {
                let mut out = Vec::new();
                for (label, e) in events {
                    match self.eval(e) {
                        Ok(v) => add_events(label, &v, &mut out),
                        Err(Stop::Fail(e)) => return Err(Stop::Fail(e)),
                        Err(_) => {} // an event that does not apply, or is not known yet, is left out
                    }
                }
                out.sort_by_key(|e| (e.from, e.to));
                Ok(Value::Timeline(out.into()))
            }
        }
    }

    /// A condition's value, with a conclusion that does not apply read as false.
    fn logic(&mut self, ir: &Ir) -> Result<bool, Stop> {
        match self.cond(ir) {
            Err(Stop::Absent) => Ok(false),
            other => other,
        }
    }

    fn date(&mut self, ir: &Ir) -> Result<NaiveDate, Stop> {
        match self.eval(ir)? {
            Value::Date(d) => Ok(d),
            _ => Err(bug(ir)),
        }
    }

    fn arith(&mut self, ir: &Ir, op: Arith, x: Value, y: Value) -> R {
        use Value::*;
        let dec = |op: Arith, a: Dec, b: Dec| -> Result<Dec, Stop> {
            let r = match op {
                Arith::Add | Arith::Sub | Arith::Mul => {
                    let r = match op {
                        Arith::Add => a.checked_add(b),
                        Arith::Sub => a.checked_sub(b),
                        _ => a.checked_mul(b),
                    };
                    // a result with fewer decimals than the exact one was rounded:
                    // the 28 digits of a decimal are not enough
                    let exact_scale = match op {
                        Arith::Mul => a.scale() + b.scale(),
                        _ => a.scale().max(b.scale()),
                    };
                    // (checked by undoing the operation: an exact result undoes exactly)
                    let undo = |x: Dec| match op {
                        Arith::Add => x.checked_sub(b) == Some(a),
                        Arith::Sub => x.checked_add(b) == Some(a),
                        _ => exact_product(a, b, x),
                    };
                    return match r {
                        Some(x) if x.scale() < exact_scale.min(28) && !undo(x) => Err(fail(
                            "eval::precision",
                            format!(
                                "the exact result has more than 28 digits ({a} {} {b})",
                                match op {
                                    Arith::Add => "+",
                                    Arith::Sub => "-",
                                    _ => "×",
                                }
                            ),
                            ir.span,
                            "the amounts are too large to compute to the cent; check the scenario's amounts",
                        )),
                        Some(x) => Ok(x),
                        None => Err(overflow(ir)),
                    };
                }
                Arith::Div => {
                    if b.is_zero() {
                        return Err(fail(
                            "eval::division-by-zero",
                            "division by zero".into(),
                            ir.span,
                            "guard the division with a condition that the divisor is not 0",
                        ));
                    }
                    a.checked_div(b)
                }
            };
            r.ok_or_else(|| overflow(ir))
        };
        Ok(match (x, y) {
            (Int(a), Int(b)) if op != Arith::Div => Int(match op {
                Arith::Add => a.checked_add(b),
                Arith::Sub => a.checked_sub(b),
                _ => a.checked_mul(b),
            }
            .ok_or_else(|| overflow(ir))?),
            (Money(a), Money(b)) if op == Arith::Div => Decimal(dec(op, a, b)?),
            (Money(a), Money(b)) => Money(dec(op, a, b)?),
            (Money(a), b) => Money(dec(op, a, num(&b).ok_or_else(|| bug(ir))?)?),
            (a, Money(b)) => Money(dec(op, num(&a).ok_or_else(|| bug(ir))?, b)?),
            (Date(d), Duration(n, unit)) => {
                let n = if op == Arith::Sub { n.checked_neg().ok_or_else(|| overflow(ir))? } else { n };
                let cal = self.prog.calendar.as_ref().map(|c| &c.calendar);
                Date(add_duration(d, n, unit, cal, &self.enabled()).map_err(|e| time_error(ir, e))?)
            }
            (Duration(n, u), Int(k)) | (Int(k), Duration(n, u)) => {
                Duration(n.checked_mul(k).ok_or_else(|| overflow(ir))?, u)
            }
            (a, b) => match (num(&a), num(&b)) {
                (Some(a), Some(b)) => Decimal(dec(op, a, b)?),
                _ => return Err(bug(ir)),
            },
        })
    }

    fn call(&mut self, ir: &Ir, f: &Builtin, args: &[Ir]) -> R {
        // the number of records, without building the list of their indices
        // (`count(items)` is on the path of every withdrawal scenario); the
        // table's `count` gives the same number for the built list
        if let ("count", [Ir { op: Op::Load(Slot::Records(l)), .. }]) = (f.name, args) {
            return Ok(Value::Int(self.facts.lists[*l as usize].len() as i64));
        }
        let mut vals = Vec::with_capacity(args.len());
        let mut stop: Option<Stop> = None;
        for a in args {
            match self.eval(a) {
                Ok(v) => vals.push(v),
                Err(e) => {
                    stop = Some(match stop.take() {
                        Some(s) => join(s, e),
                        None => e,
                    })
                }
            }
        }
        if let Some(s) = stop {
            return Err(s);
        }
        let enabled = self.enabled();
        let call = Call {
            args: &vals,
            ty: &ir.ty,
            calendar: self.prog.calendar.as_ref().map(|c| &c.calendar),
            enabled: &enabled,
        };
        (f.eval)(&call).map_err(|fault| match fault {
            Fault::Absent => Stop::Absent,
            Fault::Overflow => overflow(ir),
            Fault::Bug => bug(ir),
            Fault::Fail { code, message, help } => fail(code, message, ir.span, help),
        })
    }

    /// A tiered schedule: each tranche's rate applied to its part of the amount.
    fn tiered(&mut self, ir: &Ir, amount: &Ir, tiers: &[(Ir, Option<Ir>)]) -> R {
        let total = self.eval(amount)?;
        let is_money = matches!(total, Value::Money(_));
        let mut remaining = num(&total).ok_or_else(|| bug(ir))?.max(Dec::ZERO);
        let mut fee = Dec::ZERO;
        let mut parts = Vec::new();
        for (rate, size) in tiers {
            let rate = num(&self.eval(rate)?).ok_or_else(|| bug(ir))?;
            let portion = match size {
                Some(s) => remaining.min(num(&self.eval(s)?).ok_or_else(|| bug(ir))?.max(Dec::ZERO)),
                None => remaining,
            };
            let part = rate.checked_mul(portion).ok_or_else(|| overflow(ir))?;
            fee = fee.checked_add(part).ok_or_else(|| overflow(ir))?;
            remaining -= portion;
            parts.push(TierStep { rate, portion, part });
        }
        if let Some(s) = &mut self.steps {
            s.push(Step::Tiers { amount: num(&total).unwrap_or_default(), parts, total: fee, money: is_money });
        }
        Ok(if is_money { Value::Money(fee) } else { Value::Decimal(fee) })
    }

    /// `TABLE on D`: the row in force on `D`; before the first row, an error.
    fn lookup(&mut self, ir: &Ir, table: TableId, on: &Ir) -> R {
        let day = self.date(on)?;
        let t = &self.prog.tables[table as usize];
        let Some((row_from, value)) = t.row_on(day) else {
            let first = t.rows.first().map_or_else(|| "-".to_string(), |r| r.0.to_string());
            return Err(fail(
                "eval::table-before-first-row",
                format!("table `{}` has no value on {day}: its first row is from {first}", t.name),
                ir.span,
                "the rulebook's table does not reach back that far; check the date, or add the earlier rows to the table",
            ));
        };
        if let Some(s) = &mut self.steps {
            let shown = value.display(&self.prog.symbols);
            let note = t.note(*row_from).cloned();
            s.push(Step::Lookup { table: t.name.clone(), on: day, row_from: *row_from, value: shown, note });
        }
        Ok(value.clone())
    }

    /// `interest on A at RATE from D1 to D2, …`, split where the rate changes.
    fn interest(&mut self, ir: &Ir, i: &InterestIr) -> R {
        use super::interest::{Accrual, AccrualError};
        let amount = self.eval(&i.amount)?;
        let is_money = matches!(amount, Value::Money(_));
        let amount = num(&amount).ok_or_else(|| bug(ir))?;
        let from = self.date(&i.from)?;
        let to = self.date(&i.to)?;
        let (rates, table): (Vec<(NaiveDate, Dec)>, Option<&str>) = match &i.rate {
            Rate::Fixed(r) => (vec![(from, num(&self.eval(r)?).ok_or_else(|| bug(ir))?)], None),
            Rate::Table(t) => {
                let t = &self.prog.tables[*t as usize];
                let rows = t.rows.iter().map(|(d, v)| num(v).map(|r| (*d, r))).collect::<Option<Vec<_>>>();
                (rows.ok_or_else(|| bug(ir))?, Some(t.name.as_str()))
            }
        };
        let accrual = Accrual { amount, rates: &rates, from, to, day_count: i.day_count, compounded: i.compounded };
        let mut steps = accrual.compute().map_err(|e| match e {
            AccrualError::Backwards => fail(
                "eval::interest-backwards",
                format!("interest cannot run backwards: from {from} to {to}"),
                ir.span,
                "the day interest stops must be on or after its first day; check the dates in the scenario",
            ),
            AccrualError::BeforeTable { day, first } => fail(
                "eval::table-before-first-row",
                format!("table `{}` has no rate on {day}: its first row is from {first}", table.unwrap_or("?")),
                ir.span,
                "the rulebook's table does not reach back that far; check the dates, or add the earlier rows",
            ),
            AccrualError::Overflow => overflow(ir),
            AccrualError::OutOfRange => fail(
                "eval::date",
                "a date of the interest computation is out of range".into(),
                ir.span,
                "check the dates in the scenario",
            ),
        })?;
        steps.money = is_money;
        steps.table = table.map(str::to_string);
        let total = steps.total;
        if let Some(s) = &mut self.steps {
            s.push(Step::Interest(steps));
        }
        Ok(if is_money { Value::Money(total) } else { Value::Decimal(total) })
    }

    /// For a condition that was false: the first conjunct that was false, and
    /// the values it read.
    pub fn explain_false(&mut self, when: &Ir) -> Option<FailedPart> {
        self.steps.as_ref()?;
        let mut part = when;
        while let Op::And(a, b) = &part.op {
            part = if matches!(self.eval(a), Ok(Value::Bool(true))) { b } else { a };
        }
        let mut slots = Vec::new();
        part.slots(&mut slots);
        Some(FailedPart { span: part.span, inputs: self.inputs(&slots) })
    }

    /// Current values of some slots, for the trace.
    pub fn inputs(&self, slots: &[Slot]) -> Inputs {
        slots
            .iter()
            .filter(|s| !matches!(s, Slot::Records(_)))
            .map(|s| {
                let shown = match self.load(*s) {
                    Ok(v) => Shown::Value(v.display(&self.prog.symbols)),
                    Err(Stop::Absent) => Shown::DoesNotApply,
                    Err(Stop::Missing(n))
                        if matches!(s, Slot::Fact(_) | Slot::Field(..) | Slot::ListField(..)) && !n.is_empty() =>
                    {
                        Shown::NotGiven
                    }
                    Err(Stop::Missing(n)) => Shown::CannotDecide(n),
                    Err(Stop::Fail(_)) => Shown::NotGiven,
                };
                (*s, shown)
            })
            .collect()
    }
}

fn collect_intervals(v: &Value, out: &mut Vec<(NaiveDate, NaiveDate)>) {
    match v {
        Value::Interval(a, b) => out.push((*a, *b)),
        Value::List(items) => items.iter().for_each(|i| collect_intervals(i, out)),
        _ => {}
    }
}

fn add_events(label: &std::sync::Arc<str>, v: &Value, out: &mut Vec<Event>) {
    match v {
        Value::Date(d) => out.push(Event { label: label.clone(), from: *d, to: None }),
        Value::Interval(a, b) => out.push(Event { label: label.clone(), from: *a, to: Some(*b) }),
        Value::List(items) => items.iter().for_each(|i| add_events(label, i, out)),
        _ => {}
    }
}

/// Whether `x` is exactly `a × b`: the product of the two mantissas, at the
/// sum of the scales, must equal `x` (with trailing zeros dropped to match).
fn exact_product(a: Dec, b: Dec, x: Dec) -> bool {
    let Some(p) = a.mantissa().checked_mul(b.mantissa()) else { return false };
    let drop = (a.scale() + b.scale()).saturating_sub(x.scale());
    let Some(unit) = 10i128.checked_pow(drop) else { return false };
    p % unit == 0 && p / unit == x.mantissa()
}

/// A missing-fact result that is exactly the fact `ir` names.
fn is_direct(ir: &Ir, needs: &[Need]) -> bool {
    match (&ir.op, needs) {
        (Op::Load(Slot::Fact(f)), [Need::Fact(n)]) => f == n,
        (Op::Load(Slot::Field(l, f)), [Need::Field { list, field, .. }]) => l == list && f == field,
        _ => false,
    }
}

/// Whether a comparison holds, given the operands' order.
pub(super) fn holds(op: Cmp, ord: Ordering) -> bool {
    match op {
        Cmp::Eq => ord == Ordering::Equal,
        Cmp::Ne => ord != Ordering::Equal,
        Cmp::Lt => ord == Ordering::Less,
        Cmp::Le => ord != Ordering::Greater,
        Cmp::Gt => ord == Ordering::Greater,
        Cmp::Ge => ord != Ordering::Less,
    }
}

/// A conclusion's outcome as an operand, its value read in place.
fn outcome_ref(o: &Outcome) -> Result<Cow<'_, Value>, Stop> {
    match o {
        Outcome::Value(v) => Ok(Cow::Borrowed(v)),
        Outcome::Absent => Err(Stop::Absent),
        Outcome::Undetermined(n) => Err(Stop::Missing(n.clone())),
    }
}

fn bug(ir: &Ir) -> Stop {
    fail(
        "eval::internal",
        "internal error: a value has an unexpected type".into(),
        ir.span,
        "please report this rulebook and scenario",
    )
}
