//! Compiled evaluation: every rule's condition turned, once at load time,
//! into a form that runs without walking the checked tree. Slots are read in
//! place, an enumeration test is a comparison of symbols, and three-valued
//! logic is a `Result<bool, Gap>` that allocates nothing.
//!
//! The compiled form only decides what it can decide exactly. Where a
//! condition cannot be decided (it needs a fact the scenario did not give,
//! or the computation fails), the conclusion is decided again by the
//! interpreter ([`super::decide`]), which says which facts are needed or what
//! failed, so every outcome and every error is the interpreter's. The
//! interpreter also records the trace, and stays the reference the compiled
//! form is tested against (`tests` below).

use super::expr::{holds, Run, Stop};
use super::{coerce, decide, rule_outcome, Outcome, RuleBits, Verdicts};
use crate::check::ir::{Cmp, ConcId, FactId, FieldId, Ir, ListId, Op, OptId, Slot};
use crate::check::Program;
use crate::diagnostic::Diagnostics;
use crate::eval::{EvalError, OptionValues};
use crate::facts::Facts;
use crate::value::{compare, Sym, Value};
use std::borrow::Cow;

/// A checked program's conditions, compiled (see the module's documentation).
#[derive(Clone, Debug)]
pub struct Compiled {
    /// By rule id: its condition (`None`: it always applies).
    when: Vec<Option<Cond>>,
    /// By rule id: the value it gives.
    values: Vec<Val>,
    /// By check (`[[checks]]`): its condition.
    checks: Vec<Cond>,
    /// What the checks are run with: the default options and no conclusion.
    check_options: OptionValues,
    no_verdicts: Verdicts,
}

/// A rule's value, compiled where that is exact without the interpreter.
#[derive(Clone, Debug)]
enum Val {
    Const(Value),
    Src(Src),
    /// A condition's yes or no.
    Cond(Cond),
    /// Anything else (and anything deep): the interpreter's `eval`.
    Expr,
}

/// Why a condition has no value, as the interpreter's `Stop` says, without
/// saying which facts are missing or what failed (the interpreter finds out
/// when that matters). Ordered as `join` combines them: a failure wins.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    /// A conclusion it reads does not apply.
    Absent,
    /// It needs facts the scenario did not give.
    Missing,
    /// The computation failed (or an operand had an unexpected type).
    Failed,
}

fn join(a: Gap, b: Gap) -> Gap {
    a.max(b)
}

fn gap(stop: Stop) -> Gap {
    match stop {
        Stop::Absent => Gap::Absent,
        Stop::Missing(_) => Gap::Missing,
        Stop::Fail(_) => Gap::Failed,
    }
}

/// A slot whose value is stored, and so read in place.
#[derive(Clone, Copy, Debug)]
enum Src {
    Fact(FactId),
    Option(OptId),
    Conclusion(ConcId),
    ItemConclusion(ConcId),
    Field(ListId, FieldId),
}

impl Src {
    fn of(slot: Slot) -> Option<Src> {
        Some(match slot {
            Slot::Fact(f) => Src::Fact(f),
            Slot::Option(o) => Src::Option(o),
            Slot::Conclusion(c) => Src::Conclusion(c),
            Slot::ItemConclusion(c) => Src::ItemConclusion(c),
            Slot::Field(l, f) => Src::Field(l, f),
            Slot::ListField(..) | Slot::ListConclusion(_) | Slot::Records(_) => return None,
        })
    }
}

/// An operand of a comparison.
#[derive(Clone, Debug)]
enum Opd {
    Const(Value),
    Src(Src),
    /// `count(list)`: the number of records.
    Count(ListId),
    /// Computed by the interpreter.
    Expr(Box<Ir>),
}

/// A compiled condition; each variant means what the interpreter's
/// `Run::cond` (or, at the top of a rule, `Run::when`) means for the
/// expression it was compiled from.
#[derive(Clone, Debug)]
enum Cond {
    Const(bool),
    /// A yes/no slot; `strict`: another value is an internal error (inside a
    /// condition), not `false` (a rule's whole condition).
    Bool(Src, bool),
    /// `x is one of (a, b)` over enumeration constants (negated with `true`).
    EnumIn(Src, Box<[Sym]>, bool),
    /// `x is a` for an enumeration constant (`is not` with `true`).
    EnumIs(Src, Sym, bool),
    /// A comparison of a stored slot with a constant.
    CmpConst(Cmp, Src, Value),
    /// `is given` / `is absent` of a conclusion (or an option).
    GivenSrc(Src, bool),
    /// `is given` / `is absent` of a fact.
    GivenFact(FactId, bool),
    /// `is given` / `is absent` of a field of the current element.
    GivenField(ListId, FieldId, bool),
    Cmp(Cmp, Opd, Opd),
    Not(Box<Cond>),
    And(Box<[Cond; 2]>),
    Or(Box<[Cond; 2]>),
    /// Anything else, as a part of a condition: the interpreter's `cond`.
    Part(Box<Ir>),
    /// Anything else, as a rule's whole condition: the interpreter's `when`.
    Whole(Box<Ir>, bool),
}

impl Compiled {
    /// Compiles every rule's condition of `prog`.
    pub fn new(prog: &Program) -> Compiled {
        let when = prog
            .rules
            .iter()
            .map(|r| {
                r.when.as_ref().map(|w| match &w.op {
                    // a deep condition is evaluated on a guarded stack, by the interpreter
                    _ if r.deep => Cond::Whole(Box::new(w.clone()), true),
                    Op::Not(..) | Op::And(..) | Op::Or(..) | Op::Cmp(..) | Op::OneOf(..) | Op::Given(..) => cond(w),
                    Op::Load(s) => match Src::of(*s) {
                        Some(src) => Cond::Bool(src, false),
                        None => Cond::Whole(Box::new(w.clone()), false),
                    },
                    Op::Const(Value::Bool(b)) => Cond::Const(*b),
                    _ => Cond::Whole(Box::new(w.clone()), false),
                })
            })
            .collect();
        let values = prog
            .rules
            .iter()
            .map(|r| match &r.value.op {
                _ if r.deep => Val::Expr,
                Op::Const(v) => Val::Const(v.clone()),
                Op::Load(s) => Src::of(*s).map_or(Val::Expr, Val::Src),
                Op::Not(..) | Op::And(..) | Op::Or(..) | Op::Cmp(..) | Op::OneOf(..) | Op::Given(..) => {
                    Val::Cond(cond(&r.value))
                }
                _ => Val::Expr,
            })
            .collect();
        let checks = prog.checks.iter().map(|c| cond(&c.require)).collect();
        Compiled {
            when,
            values,
            checks,
            check_options: OptionValues::defaults(prog),
            no_verdicts: Verdicts::for_program(prog),
        }
    }

    /// Evaluates every conclusion for `facts`, as [`Program::evaluate`] does
    /// without a trace (same outcomes, same errors), for the program this was
    /// compiled from.
    pub fn evaluate(&self, prog: &Program, facts: &Facts, options: &OptionValues) -> Result<Verdicts, EvalError> {
        let mut out = Verdicts::for_program(prog);
        self.evaluate_into(prog, facts, options, &mut out)?;
        Ok(out)
    }

    /// As [`Compiled::evaluate`], into `out`, whose buffers are reused: a
    /// caller that evaluates many scenarios with one `out` allocates for the
    /// verdicts only when a scenario has more elements than any before it.
    /// On an error, `out` holds the conclusions decided before it.
    pub fn evaluate_into(
        &self,
        prog: &Program,
        facts: &Facts,
        options: &OptionValues,
        out: &mut Verdicts,
    ) -> Result<(), EvalError> {
        out.reset(prog);
        for &c in &prog.order {
            match prog.conclusions[c as usize].per_item {
                None => {
                    let outcome = self.decide(prog, facts, options, out, c, None)?;
                    out.global[c as usize] = outcome;
                }
                Some(list) => {
                    // (a per-item conclusion never reads its own outcomes)
                    let mut outcomes = std::mem::take(&mut out.per_item[c as usize]);
                    for i in 0..facts.lists[list as usize].len() {
                        outcomes.push(self.decide(prog, facts, options, out, c, Some(i))?);
                    }
                    out.per_item[c as usize] = outcomes;
                }
            }
        }
        Ok(())
    }

    /// The rulebook's `[[checks]]` on a scenario's facts, as
    /// [`super::check_scenario`] runs them (same diagnostics): when every check
    /// holds on the compiled conditions, nothing else is done; otherwise the
    /// interpreter runs them all and reports.
    pub fn check_scenario(&self, prog: &Program, facts: &Facts, file: crate::source::Span) -> Diagnostics {
        for (check, require) in prog.checks.iter().zip(&self.checks) {
            let items = match check.each {
                Some(l) => facts.lists[l as usize].len(),
                None => 1,
            };
            for i in 0..items {
                let item = check.each.map(|_| i);
                let mut run = Run::new(prog, facts, &self.check_options.values, &self.no_verdicts, item, false);
                match run.test(require) {
                    // holds, or needs a fact that is absent
                    Ok(true) | Err(Gap::Absent | Gap::Missing) => {}
                    Ok(false) | Err(Gap::Failed) => return super::check_scenario(prog, facts, file),
                }
            }
        }
        Diagnostics::default()
    }

    /// Default logic for one conclusion (for one element) on the compiled
    /// conditions; where one cannot be decided, or two rules conflict, the
    /// interpreter decides.
    fn decide(
        &self,
        prog: &Program,
        facts: &Facts,
        options: &OptionValues,
        done: &Verdicts,
        c: ConcId,
        item: Option<usize>,
    ) -> Result<Outcome, EvalError> {
        let def = &prog.conclusions[c as usize];
        let mut run = Run::new(prog, facts, &options.values, done, item, false);
        let interpret = || interpret(prog, facts, options, done, c, item);
        #[cfg(test)]
        DECIDED.with(|d| d.set((d.get().0 + 1, d.get().1)));
        let mut applied = RuleBits::new(def.rules.len());
        for (k, &r) in def.rules.iter().enumerate() {
            match &self.when[r as usize] {
                None => applied.set(k),
                Some(w) => match run.test(w) {
                    Ok(true) => applied.set(k),
                    Ok(false) | Err(Gap::Absent) => {}
                    Err(Gap::Missing | Gap::Failed) => return interpret(),
                },
            }
        }
        let Ok(winner) = applied.winner(prog, &def.rules) else {
            return interpret(); // a conflict, reported by the interpreter
        };
        let Some(w) = winner else { return Ok(Outcome::Absent) };
        let value = match &self.values[w as usize] {
            Val::Const(v) => Ok(v.clone()),
            Val::Src(s) => run.read(*s).cloned(),
            Val::Cond(c) => run.test(c).map(Value::Bool),
            Val::Expr => Err(Gap::Failed),
        };
        match value {
            Ok(v) => return Ok(Outcome::Value(coerce(v, &def.ty))),
            Err(Gap::Absent) => return Ok(Outcome::Absent),
            Err(Gap::Missing | Gap::Failed) => {} // computed, or found out why not, by the interpreter
        }
        rule_outcome(&mut run, prog, def, w)
    }
}

/// A conclusion decided by the interpreter (apart, so that the compiled
/// `decide` stays small).
#[cold]
#[inline(never)]
fn interpret(
    prog: &Program,
    facts: &Facts,
    options: &OptionValues,
    done: &Verdicts,
    c: ConcId,
    item: Option<usize>,
) -> Result<Outcome, EvalError> {
    #[cfg(test)]
    DECIDED.with(|d| d.set((d.get().0, d.get().1 + 1)));
    decide(prog, facts, options, done, c, item, false, &mut Vec::new())
}

/// Compiles an expression in the place of a condition.
fn cond(ir: &Ir) -> Cond {
    let part = || Cond::Part(Box::new(ir.clone()));
    match &ir.op {
        Op::Not(a) => Cond::Not(Box::new(cond(a))),
        Op::And(a, b) => Cond::And(Box::new([cond(a), cond(b)])),
        Op::Or(a, b) => Cond::Or(Box::new([cond(a), cond(b)])),
        Op::Cmp(c, a, b) => match (*c, operand(a), operand(b)) {
            (Cmp::Eq, Opd::Src(s), Opd::Const(Value::Enum(y))) => Cond::EnumIs(s, y, false),
            (Cmp::Ne, Opd::Src(s), Opd::Const(Value::Enum(y))) => Cond::EnumIs(s, y, true),
            (c, Opd::Src(s), Opd::Const(k)) => Cond::CmpConst(c, s, k),
            (c, x, y) => Cond::Cmp(c, x, y),
        },
        Op::OneOf(a, set, negated) => {
            let syms: Option<Box<[Sym]>> = set
                .iter()
                .map(|s| match &s.op {
                    Op::Const(Value::Enum(x)) => Some(*x),
                    _ => None,
                })
                .collect();
            match (&a.op, syms) {
                (Op::Load(s), Some(syms)) => match Src::of(*s) {
                    Some(src) => Cond::EnumIn(src, syms, *negated),
                    None => part(),
                },
                _ => part(),
            }
        }
        Op::Given(a, negated) => match &a.op {
            Op::Load(Slot::Fact(f)) => Cond::GivenFact(*f, *negated),
            Op::Load(Slot::Field(l, f)) => Cond::GivenField(*l, *f, *negated),
            Op::Load(s) => Src::of(*s).map_or_else(part, |src| Cond::GivenSrc(src, *negated)),
            _ => part(),
        },
        Op::Const(Value::Bool(b)) => Cond::Const(*b),
        Op::Load(s) => match Src::of(*s) {
            Some(src) => Cond::Bool(src, true),
            None => part(),
        },
        _ => part(),
    }
}

fn operand(ir: &Ir) -> Opd {
    match &ir.op {
        Op::Const(v) => Opd::Const(v.clone()),
        // the interpreter counts the records without building the list, too
        Op::Call(f, args) if f.name == "count" => match args.as_slice() {
            [Ir { op: Op::Load(Slot::Records(l)), .. }] => Opd::Count(*l),
            _ => Opd::Expr(Box::new(ir.clone())),
        },
        Op::Load(s) => Src::of(*s).map_or_else(|| Opd::Expr(Box::new(ir.clone())), Opd::Src),
        _ => Opd::Expr(Box::new(ir.clone())),
    }
}

fn outcome(o: &Outcome) -> Result<&Value, Gap> {
    match o {
        Outcome::Value(v) => Ok(v),
        Outcome::Absent => Err(Gap::Absent),
        Outcome::Undetermined(_) => Err(Gap::Missing),
    }
}

impl<'a> Run<'a> {
    /// A stored slot's value, in place.
    #[inline]
    fn read(&self, src: Src) -> Result<&'a Value, Gap> {
        let (facts, done): (&'a Facts, &'a Verdicts) = (self.facts, self.done);
        let item = self.item.unwrap_or(0);
        match src {
            Src::Fact(f) => facts.values[f as usize].as_ref().ok_or(Gap::Missing),
            Src::Option(o) => Ok(&self.options[o as usize]),
            Src::Conclusion(c) => outcome(&done.global[c as usize]),
            Src::ItemConclusion(c) => done.per_item[c as usize].get(item).map_or(Err(Gap::Absent), outcome),
            Src::Field(l, f) => {
                facts.lists[l as usize].get(item).and_then(|r| r[f as usize].as_ref()).ok_or(Gap::Missing)
            }
        }
    }

    fn opd<'x>(&mut self, o: &'x Opd) -> Result<Cow<'x, Value>, Gap>
    where
        'a: 'x,
    {
        match o {
            Opd::Const(v) => Ok(Cow::Borrowed(v)),
            Opd::Src(s) => self.read(*s).map(Cow::Borrowed),
            Opd::Count(l) => Ok(Cow::Owned(Value::Int(self.facts.lists[*l as usize].len() as i64))),
            Opd::Expr(ir) => self.eval(ir).map(Cow::Owned).map_err(gap),
        }
    }

    /// A condition's value, with a conclusion that does not apply read as false.
    fn logic_test(&mut self, c: &Cond) -> Result<bool, Gap> {
        match self.test(c) {
            Err(Gap::Absent) => Ok(false),
            other => other,
        }
    }

    /// A compiled condition's value.
    fn test(&mut self, c: &Cond) -> Result<bool, Gap> {
        match c {
            Cond::Const(b) => Ok(*b),
            Cond::Bool(s, strict) => match self.read(*s)? {
                Value::Bool(b) => Ok(*b),
                _ if *strict => Err(Gap::Failed),
                _ => Ok(false),
            },
            Cond::EnumIn(s, set, negated) => {
                let found = matches!(self.read(*s)?, Value::Enum(x) if set.contains(x));
                Ok(found != *negated)
            }
            Cond::EnumIs(s, y, negated) => match self.read(*s)? {
                Value::Enum(x) => Ok((x == y) != *negated),
                _ => Err(Gap::Failed), // not comparable: an internal error, as the interpreter says
            },
            Cond::CmpConst(op, s, k) => Ok(holds(*op, compare(self.read(*s)?, k).ok_or(Gap::Failed)?)),
            Cond::GivenSrc(s, negated) => match self.read(*s) {
                Ok(_) => Ok(!negated),
                Err(Gap::Absent) => Ok(*negated),
                Err(e) => Err(e),
            },
            Cond::GivenFact(f, negated) => Ok(self.facts.values[*f as usize].is_some() != *negated),
            Cond::GivenField(l, f, negated) => {
                let given =
                    self.facts.lists[*l as usize].get(self.item.unwrap_or(0)).is_some_and(|r| r[*f as usize].is_some());
                Ok(given != *negated)
            }
            Cond::Not(a) => Ok(!self.test(a)?),
            Cond::And(ab) | Cond::Or(ab) => {
                let is_and = matches!(c, Cond::And(..));
                let x = self.logic_test(&ab[0]);
                if let Ok(v) = x {
                    if v != is_and {
                        return Ok(v);
                    }
                }
                match (x, self.logic_test(&ab[1])) {
                    (Ok(_), Ok(v)) => Ok(v),
                    (_, Ok(v)) if v != is_and => Ok(v),
                    (Err(e), Ok(_)) | (Ok(_), Err(e)) => Err(e),
                    (Err(e1), Err(e2)) => Err(join(e1, e2)),
                }
            }
            Cond::Cmp(..) | Cond::Part(_) | Cond::Whole(..) => self.test_rare(c),
        }
    }

    /// The conditions that build operands or call the interpreter, apart so
    /// that [`Run::test`] stays small (its frame is set up on every call).
    #[inline(never)]
    fn test_rare(&mut self, c: &Cond) -> Result<bool, Gap> {
        match c {
            Cond::Cmp(op, a, b) => {
                let (x, y) = match (self.opd(a), self.opd(b)) {
                    (Ok(x), Ok(y)) => (x, y),
                    (Err(e), Ok(_)) | (Ok(_), Err(e)) => return Err(e),
                    (Err(e1), Err(e2)) => return Err(join(e1, e2)),
                };
                Ok(holds(*op, compare(&x, &y).ok_or(Gap::Failed)?))
            }
            Cond::Part(ir) => self.cond(ir).map_err(gap),
            Cond::Whole(ir, deep) => self.when(ir, *deep).map_err(gap),
            _ => self.test(c),
        }
    }
}

#[cfg(test)]
thread_local! {
    /// How many conclusions were decided here, and how many of them were
    /// handed to the interpreter (for the tests: the fast way must be usual).
    static DECIDED: std::cell::Cell<(u64, u64)> = const { std::cell::Cell::new((0, 0)) };
}

#[cfg(test)]
mod tests {
    //! The compiled form against the interpreter, on random facts for every
    //! shipped rulebook and each of its versions: the same outcomes for every
    //! conclusion and element, or the same error.
    use super::DECIDED;
    use crate::check::Program;
    use crate::eval::OptionValues;
    use crate::facts::Facts;
    use crate::value::{Type, Value};
    use crate::{Rulebook, SourceMap};
    use chrono::NaiveDate;
    use rust_decimal::Decimal;

    /// A small deterministic generator (same cases every run).
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
        fn pick<'x, T>(&mut self, from: &'x [T]) -> &'x T {
            &from[self.below(from.len())]
        }
    }

    /// A random value of a type, or `None` (not given); amounts and counts
    /// include ones that overflow, so errors are compared too.
    fn value(rng: &mut Rng, prog: &Program, ty: &Type) -> Option<Value> {
        let dec = |s: &&str| Decimal::from_str_exact(s).unwrap();
        let day = |rng: &mut Rng| {
            NaiveDate::from_ymd_opt(2013, 1, 1).unwrap() + chrono::Days::new(rng.below(15 * 366) as u64)
        };
        if rng.below(6) == 0 {
            return None;
        }
        Some(match ty {
            Type::Bool => Value::Bool(rng.below(2) == 0),
            Type::Int => Value::Int(*rng.pick(&[0, 1, 2, 3, 5, 14, 30, 100, -1, i64::MAX])),
            Type::Decimal => Value::Decimal(dec(rng.pick(&["0", "0.5", "0.15", "1", "2.25", "100"]))),
            Type::Money => Value::Money(dec(rng.pick(&[
                "0.00",
                "4.95",
                "19.99",
                "40.00",
                "100.00",
                "250.00",
                "2500.00",
                "99999.99",
                "79228162514264337593543950.33",
            ]))),
            Type::Date => Value::Date(if rng.below(4) == 0 {
                NaiveDate::from_ymd_opt(2026, 6, 1).unwrap() + chrono::Days::new(rng.below(60) as u64)
            } else {
                day(rng)
            }),
            Type::Text => Value::Text("x".into()),
            Type::Enum(e) => Value::Enum(*rng.pick(prog.symbols.values(*e))),
            Type::Interval => {
                let a = day(rng);
                Value::Interval(a, a + chrono::Days::new(rng.below(30) as u64))
            }
            Type::List(inner) => {
                let n = rng.below(3);
                Value::List((0..n).filter_map(|_| value(rng, prog, inner)).collect::<Vec<_>>().into())
            }
            _ => return None,
        })
    }

    fn facts(rng: &mut Rng, prog: &Program) -> Facts {
        let mut f = Facts {
            values: vec![None; prog.facts.len()],
            defaulted: vec![false; prog.facts.len()],
            lists: vec![Vec::new(); prog.lists.len()],
            spans: vec![None; prog.facts.len()],
            record_spans: vec![Vec::new(); prog.lists.len()],
        };
        for (i, def) in prog.facts.iter().enumerate() {
            match def.records {
                Some(l) => {
                    let list = &prog.lists[l as usize];
                    let n = *rng.pick(&[0, 1, 1, 1, 2, 3, 5]);
                    f.lists[l as usize] =
                        (0..n).map(|_| list.fields.iter().map(|field| value(rng, prog, &field.ty)).collect()).collect();
                    let at = |k: usize| crate::source::Span::new(crate::source::SourceId(0), k, k + 1);
                    f.record_spans[l as usize] =
                        (0..n).map(|k| (at(k), (0..list.fields.len()).map(|j| Some(at(100 + j))).collect())).collect();
                }
                None => f.values[i] = value(rng, prog, &def.ty),
            }
        }
        f
    }

    fn options(rng: &mut Rng, prog: &Program) -> OptionValues {
        let mut o = OptionValues::defaults(prog);
        if rng.below(3) == 0 {
            for (i, def) in prog.options.iter().enumerate() {
                if let Some(v) = value(rng, prog, &def.ty) {
                    o.values[i] = v;
                }
            }
        }
        o
    }

    #[test]
    fn the_compiled_form_decides_as_the_interpreter_on_random_facts() {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/rulebooks");
        let mut paths: Vec<std::path::PathBuf> = ["nl", "be", "nl/history", "be/history"]
            .iter()
            .flat_map(|d| std::fs::read_dir(format!("{root}/{d}")).unwrap().flatten().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "toml"))
            .collect();
        paths.sort();
        assert!(paths.len() >= 12, "the shipped rulebooks: {paths:?}");
        let mut rng = Rng(7);
        let (mut cases, mut errors, mut failed_checks) = (0, 0, 0);
        // one buffer for every case of every rulebook, as a batch reuses it
        let mut reused =
            crate::Verdicts::for_program(&Rulebook::load(&mut SourceMap::new(), &paths[0]).unwrap().program);
        DECIDED.with(|d| d.set((0, 0)));
        for path in &paths {
            let mut sources = SourceMap::new();
            let rb = Rulebook::load(&mut sources, path).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            for version in std::iter::once(&rb).chain(&rb.versions) {
                let prog = &version.program;
                for case in 0..600 {
                    let facts = facts(&mut rng, prog);
                    let opts = options(&mut rng, prog);
                    let file = crate::source::Span::new(crate::source::SourceId(0), 0, 10);
                    let shown = |d: crate::diagnostic::Diagnostics| -> Vec<(String, crate::source::Span)> {
                        d.0.iter().map(|d| (d.message.clone(), d.span())).collect()
                    };
                    let checked = shown(crate::eval::check_scenario(prog, &facts, file));
                    assert_eq!(
                        checked,
                        shown(version.compiled.check_scenario(prog, &facts, file)),
                        "{}",
                        path.display()
                    );
                    failed_checks += checked.len();
                    let interpreted = prog.evaluate(&facts, &opts, false);
                    let compiled = version.compiled.evaluate(prog, &facts, &opts);
                    let at = || {
                        format!(
                            "{} version {} case {case}: {facts:?} {:?}",
                            path.display(),
                            prog.meta.version,
                            opts.values
                        )
                    };
                    match (interpreted, compiled) {
                        (Ok(a), Ok(b)) => {
                            assert_eq!(a.global, b.global, "{}", at());
                            assert_eq!(a.per_item, b.per_item, "{}", at());
                            version.evaluate_into(&facts, &opts, &mut reused).unwrap();
                            assert_eq!((&a.global, &a.per_item), (&reused.global, &reused.per_item), "{}", at());
                            assert_eq!(a.names().collect::<Vec<_>>(), reused.names().collect::<Vec<_>>());
                        }
                        (Err(a), Err(b)) => {
                            assert_eq!((a.code, &a.message, a.span()), (b.code, &b.message, b.span()), "{}", at());
                            errors += 1;
                        }
                        (a, b) => panic!("{}: interpreter {:?}, compiled {:?}", at(), a.err(), b.err()),
                    }
                    cases += 1;
                }
            }
        }
        let (all, interpreted) = DECIDED.with(|d| d.get());
        let fast = all - interpreted;
        eprintln!(
            "{cases} cases ({errors} errors, {failed_checks} failed checks); conclusions decided compiled {fast}, by the interpreter {interpreted}"
        );
        assert!(errors > 0, "no case reached an error: the errors are not compared");
        assert!(failed_checks > 0, "no case failed a check: the check reports are not compared");
        assert!(fast > 2 * interpreted, "the compiled form decided {fast}, the interpreter {interpreted}");
    }
}
