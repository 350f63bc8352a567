//! Type checking of one expression: names → slots, operators → typed IR.

use super::ir::{Arith, Cmp, InterestIr, Ir, ListId, Op, Rate, Slot, TableId};
use super::{name_hint, Named, Program};
use crate::builtins::{self, Arg, Builtin, Complaint, Typing};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::Span;
use crate::syntax::ast::{BinOp, Expr, ExprKind, InterestExpr, Unit};
use crate::value::Type;
use crate::value::Value;
use std::collections::HashMap;
use std::sync::Arc;

pub(crate) struct ExprChecker<'a> {
    pub prog: &'a Program,
    pub names: &'a HashMap<String, Named>,
    /// The list whose elements a per-item rule is evaluated for.
    pub scope: Option<ListId>,
    /// The rulebook names a calendar (even one that failed to load: no second error).
    pub calendar_selected: bool,
    pub errors: &'a mut Diagnostics,
}

fn ir(op: Op, ty: Type, span: Span) -> Ir {
    Ir { op, ty, span }
}

fn is_num(t: &Type) -> bool {
    matches!(t, Type::Int | Type::Decimal)
}

impl ExprChecker<'_> {
    fn type_name(&self, t: &Type) -> String {
        self.prog.symbols.type_name(t)
    }

    fn error(&mut self, d: Diagnostic) -> Type {
        self.errors.push(d);
        Type::Error
    }

    fn mismatch(&mut self, span: Span, expected: &str, found: &Type, help: &str) -> Type {
        if *found == Type::Error {
            return Type::Error;
        }
        let found = self.type_name(found);
        self.error(
            Diagnostic::new("check::type", format!("expected {expected}, found {found}"), span)
                .label(format!("this is {found}"))
                .help(help.to_string()),
        )
    }

    /// Checks `e`, which should have type `want` (a hint for bare enumeration values).
    pub fn check(&mut self, e: &Expr, want: Option<&Type>) -> Ir {
        // deep expressions (up to syntax::MAX_DEPTH) get more stack when needed
        stacker::maybe_grow(64 * 1024, 8 * 1024 * 1024, || self.check_node(e, want))
    }

    fn check_node(&mut self, e: &Expr, want: Option<&Type>) -> Ir {
        let span = e.span;
        match &e.kind {
            ExprKind::Bool(b) => ir(Op::Const(Value::Bool(*b)), Type::Bool, span),
            ExprKind::Int(i) => ir(Op::Const(Value::Int(*i)), Type::Int, span),
            ExprKind::Decimal(d) => ir(Op::Const(Value::Decimal(*d)), Type::Decimal, span),
            ExprKind::Money { currency, amount } => {
                if *currency != self.prog.meta.currency {
                    let c = self.prog.meta.currency.clone();
                    self.error(
                        Diagnostic::new(
                            "check::currency",
                            format!("this rulebook counts in {c}, not {currency}"),
                            span,
                        )
                        .label("other currency")
                        .help(format!("write amounts as `{c} 40.00`, or set currency in [rulebook]")),
                    );
                }
                ir(Op::Const(Value::Money(*amount)), Type::Money, span)
            }
            ExprKind::Date(d) => ir(Op::Const(Value::Date(*d)), Type::Date, span),
            ExprKind::Duration(n, unit) => {
                if *unit == Unit::WorkingDays {
                    self.need_calendar(span, "working days");
                }
                ir(Op::Const(Value::Duration(*n, *unit)), Type::Duration, span)
            }
            ExprKind::Text(t) => ir(Op::Const(Value::Text(Arc::from(t.as_str()))), Type::Text, span),
            ExprKind::Name(n) => self.name(n, span, want),
            ExprKind::Not(a) => {
                let a = self.want(a, Type::Bool, "a condition (true or false)");
                ir(Op::Not(Box::new(a)), Type::Bool, span)
            }
            ExprKind::Neg(a) => {
                let a = self.check(a, want);
                let ty = match a.ty {
                    Type::Int | Type::Decimal | Type::Money | Type::Error => a.ty.clone(),
                    ref t => {
                        let t = t.clone();
                        self.mismatch(a.span, "a number or amount", &t, "only numbers and amounts can be negated")
                    }
                };
                ir(Op::Neg(Box::new(a)), ty, span)
            }
            ExprKind::Binary(op, a, b) => self.binary(*op, a, b, span, want),
            ExprKind::OneOf { value, set, negated } => {
                let v = self.check(value, None);
                if v.ty == Type::Error && set.iter().all(|x| self.bare_unknown(x)) {
                    return ir(Op::Const(Value::Bool(false)), Type::Error, span);
                }
                let set: Vec<Ir> = set
                    .iter()
                    .map(|x| {
                        let x = self.check(x, Some(&v.ty));
                        self.comparable(&v, &x);
                        x
                    })
                    .collect();
                ir(Op::OneOf(Box::new(v), set, *negated), Type::Bool, span)
            }
            ExprKind::Given { value, negated } => {
                let v = self.check(value, None);
                if !matches!(v.op, Op::Load(_)) && v.ty != Type::Error {
                    self.error(
                        Diagnostic::new(
                            "check::given",
                            "`is given` / `is absent` apply to a fact or a conclusion",
                            value.span,
                        )
                        .label("not a name")
                        .help("write `withdrawal.sent_on is given`"),
                    );
                }
                ir(Op::Given(Box::new(v), *negated), Type::Bool, span)
            }
            ExprKind::If(c, a, b) => {
                let c = self.want(c, Type::Bool, "a condition (true or false)");
                let a = self.check(a, want);
                let b = self.check(b, want.or(Some(&a.ty)));
                let ty = self.unify(&a, &b);
                ir(Op::If(Box::new(c), Box::new(a), Box::new(b)), ty, span)
            }
            ExprKind::Period { length, event, shift, suspension } => {
                let length = self.want(length, Type::Duration, "a duration such as `14 days`");
                let event = self.want(event, Type::Date, "a date (the event the period runs from)");
                if *shift {
                    self.need_calendar(span, "a period that moves past weekends and holidays");
                }
                let suspension = suspension.as_ref().map(|s| {
                    let during = s.during.iter().map(|d| self.intervals(d, "intervals that stop the period")).collect();
                    (s.restart, during)
                });
                let op = Op::Period { length: Box::new(length), event: Box::new(event), shift: *shift, suspension };
                ir(op, Type::Date, span)
            }
            ExprKind::Tiered { amount, tiers } => {
                let amount = self.check(amount, None);
                if !matches!(amount.ty, Type::Money | Type::Decimal | Type::Int | Type::Error) {
                    let t = amount.ty.clone();
                    self.mismatch(
                        amount.span,
                        "an amount or a number",
                        &t,
                        "a tiered schedule applies rates to an amount",
                    );
                }
                let mut checked = Vec::new();
                for (i, t) in tiers.iter().enumerate() {
                    let rate = self.want(&t.rate, Type::Decimal, "a rate such as `15%`");
                    if t.size.is_none() && i + 1 != tiers.len() {
                        self.error(
                            Diagnostic::new("check::tiers", "`of the rest` must be the last tranche", t.rate.span)
                                .label("nothing is left after this")
                                .help("move `… of the rest` to the end"),
                        );
                    }
                    let size = t.size.as_ref().map(|s| {
                        let x = self.check(s, Some(&amount.ty));
                        let same_kind = is_num(&x.ty) && is_num(&amount.ty);
                        if !(self.prog.symbols.fits(&x.ty, &amount.ty) || same_kind) {
                            let ty = x.ty.clone();
                            let want = self.type_name(&amount.ty);
                            self.mismatch(x.span, &want, &ty, "a tranche is measured like the amount it splits");
                        }
                        x
                    });
                    checked.push((rate, size));
                }
                let ty = if amount.ty == Type::Int { Type::Decimal } else { amount.ty.clone() };
                ir(Op::Tiered { amount: Box::new(amount), tiers: checked }, ty, span)
            }
            ExprKind::Timeline(events) => {
                let events = events
                    .iter()
                    .map(|(label, _, e)| {
                        let x = self.check(e, None);
                        let ok = |t: &Type| matches!(t, Type::Date | Type::Interval | Type::Error);
                        let fine = match &x.ty {
                            Type::List(inner) => ok(inner),
                            t => ok(t),
                        };
                        if !fine {
                            let t = x.ty.clone();
                            self.mismatch(x.span, "a date or an interval", &t, "a timeline lists dated events");
                        }
                        (std::sync::Arc::from(label.as_str()), x)
                    })
                    .collect();
                ir(Op::Timeline(events), Type::Timeline, span)
            }
            ExprKind::Next { days, inclusive, from } => {
                let from = self.want(from, Type::Date, "a date");
                self.need_calendar(span, "`next …`, which skips days that are not working days");
                ir(Op::Next { days: days.clone(), inclusive: *inclusive, from: Box::new(from) }, Type::Date, span)
            }
            ExprKind::Call { func, func_span, args } => self.call(func, *func_span, args, span),
            ExprKind::Lookup { table, table_span, on } => {
                let on = self.want(on, Type::Date, "a date (the day the table is read on)");
                match self.table(table, *table_span) {
                    Some(t) => {
                        let ty = self.prog.tables[t as usize].ty.clone();
                        ir(Op::Lookup { table: t, on: Box::new(on) }, ty, span)
                    }
                    None => ir(Op::Const(Value::Bool(false)), Type::Error, span),
                }
            }
            ExprKind::Interest(i) => self.interest(i, span),
        }
    }

    /// A table by name; an unknown one is reported with the nearest names.
    fn table(&mut self, name: &str, span: Span) -> Option<TableId> {
        if let Some(t) = self.prog.table_id(name) {
            return Some(t);
        }
        let names: Vec<&str> = self.prog.tables.iter().map(|t| t.name.as_str()).collect();
        let help = if names.is_empty() {
            "declare it under [tables], e.g. [tables.NAME] with type, cite and rows".to_string()
        } else {
            crate::diagnostic::suggest(name, &names, "table")
        };
        self.error(
            Diagnostic::new("check::unknown-table", format!("unknown table `{name}`"), span)
                .label("no such table")
                .help(help),
        );
        None
    }

    /// `interest on A at RATE from D1 to D2, …`: an amount, a decimal rate
    /// (a table of decimals, or an expression), two dates.
    fn interest(&mut self, i: &InterestExpr, span: Span) -> Ir {
        let amount = self.check(&i.amount, None);
        if !matches!(amount.ty, Type::Money | Type::Decimal | Type::Int | Type::Error) {
            let t = amount.ty.clone();
            self.mismatch(amount.span, "an amount or a number", &t, "interest accrues on an amount");
        }
        let rate = match &i.rate.kind {
            ExprKind::Name(n) if !n.contains('.') && self.prog.table_id(n).is_some() => {
                let t = self.prog.table_id(n).unwrap_or(0);
                let ty = self.prog.tables[t as usize].ty.clone();
                if !matches!(ty, Type::Decimal | Type::Int | Type::Error) {
                    self.mismatch(
                        i.rate.span,
                        "a table of rates (decimal)",
                        &ty,
                        "a rate table has type = \"decimal\"",
                    );
                }
                Rate::Table(t)
            }
            // a bare word that names nothing: most likely a misspelt table
            ExprKind::Name(n) if !n.contains('.') && !self.names.contains_key(n) && !self.prog.tables.is_empty() => {
                self.table(n, i.rate.span);
                Rate::Fixed(ir(Op::Const(Value::Decimal(rust_decimal::Decimal::ZERO)), Type::Error, i.rate.span))
            }
            _ => Rate::Fixed(self.want(
                &i.rate,
                Type::Decimal,
                "a yearly rate (a table of rates, or a decimal such as `8%`)",
            )),
        };
        let from = self.want(&i.from, Type::Date, "a date (the first day of interest)");
        let to = self.want(&i.to, Type::Date, "a date (the day interest stops, not counted)");
        let ty = if amount.ty == Type::Money { Type::Money } else { Type::Decimal };
        let op = Op::Interest(Box::new(InterestIr {
            amount,
            rate,
            from,
            to,
            day_count: i.day_count,
            compounded: i.compounded,
        }));
        ir(op, ty, span)
    }

    /// An interval or a list of intervals.
    fn intervals(&mut self, e: &Expr, what: &str) -> Ir {
        let x = self.check(e, None);
        let fine = match &x.ty {
            Type::List(inner) => matches!(**inner, Type::Interval | Type::Error),
            t => matches!(t, Type::Interval | Type::Error),
        };
        if !fine {
            let t = x.ty.clone();
            self.mismatch(
                x.span,
                &format!("an interval or a list of intervals ({what})"),
                &t,
                "make one with interval(from, to)",
            );
        }
        x
    }

    /// A bare word that names nothing: an enumeration value whose type is
    /// unknown because the other side already failed (no second error).
    fn bare_unknown(&self, e: &Expr) -> bool {
        matches!(&e.kind, ExprKind::Name(n) if !n.contains('.') && !self.names.contains_key(n))
    }

    fn want(&mut self, e: &Expr, t: Type, what: &str) -> Ir {
        let x = self.check(e, Some(&t));
        if !self.prog.symbols.fits(&x.ty, &t) {
            let ty = x.ty.clone();
            self.mismatch(x.span, what, &ty, "see docs/LANGUAGE.md for what each operator takes");
        }
        x
    }

    fn need_calendar(&mut self, span: Span, what: &str) {
        if self.prog.calendar.is_none() && !self.calendar_selected {
            self.error(
                Diagnostic::new("check::calendar", format!("{what} needs a holiday calendar"), span)
                    .label("uses working days")
                    .help("select one in [rulebook], e.g. calendar = \"../calendars/nl.toml\""),
            );
        }
    }

    fn name(&mut self, n: &str, span: Span, want: Option<&Type>) -> Ir {
        // the current element: `item.field` or `item.conclusion`
        if let Some((head, rest)) = n.split_once('.') {
            let in_scope = self.scope.filter(|l| self.prog.lists[*l as usize].element == head);
            let any = self.prog.lists.iter().position(|l| l.element == head).map(|i| i as ListId);
            if let Some(list_id) = in_scope.or(any) {
                let list = &self.prog.lists[list_id as usize];
                if self.scope != Some(list_id) {
                    let list_name = self.prog.facts[list.fact as usize].name.clone();
                    return ir(
                        Op::Const(Value::Bool(false)),
                        self.error(
                            Diagnostic::new("check::element", format!("`{n}` only exists in rules for one element of `{list_name}`"), span)
                                .label("no current element here")
                                .help(format!("use it in a rule for a per-item conclusion `{list_name}.…`, or use `{list_name}.{rest}` for the list of all values")),
                        ),
                        span,
                    );
                }
                if let Some(f) = list.fields.iter().position(|f| f.name == rest) {
                    let ty = list.fields[f].ty.clone();
                    return ir(Op::Load(Slot::Field(list_id, f as u32)), ty, span);
                }
                if rest == "position" {
                    return ir(Op::Position, Type::Int, span);
                }
                let full = format!("{}.{rest}", self.prog.facts[list.fact as usize].name);
                if let Some(Named::Conclusion(c)) = self.names.get(&full) {
                    let ty = self.prog.conclusions[*c as usize].ty.clone();
                    return ir(Op::Load(Slot::ItemConclusion(*c)), ty, span);
                }
                let mut cands: Vec<String> = list.fields.iter().map(|f| format!("{head}.{}", f.name)).collect();
                let prefix = format!("{}.", self.prog.facts[list.fact as usize].name);
                for c in &self.prog.conclusions {
                    if let Some(r) = c.name.strip_prefix(&prefix) {
                        cands.push(format!("{head}.{r}"));
                    }
                }
                let refs: Vec<&str> = cands.iter().map(String::as_str).collect();
                let help = name_hint(n, &refs);
                return ir(
                    Op::Const(Value::Bool(false)),
                    self.error(
                        Diagnostic::new(
                            "check::unknown-name",
                            format!("`{head}` has no field or conclusion `{rest}`"),
                            span,
                        )
                        .label("unknown")
                        .help(help),
                    ),
                    span,
                );
            }
        }
        match self.names.get(n) {
            Some(Named::Fact(f)) => {
                let def = &self.prog.facts[*f as usize];
                match def.records {
                    Some(l) => ir(Op::Load(Slot::Records(l)), Type::Records(l), span),
                    None => ir(Op::Load(Slot::Fact(*f)), def.ty.clone(), span),
                }
            }
            Some(Named::Option(o)) => ir(Op::Load(Slot::Option(*o)), self.prog.options[*o as usize].ty.clone(), span),
            Some(Named::Conclusion(c)) => {
                let def = &self.prog.conclusions[*c as usize];
                match def.per_item {
                    Some(_) => ir(Op::Load(Slot::ListConclusion(*c)), Type::List(Box::new(def.ty.clone())), span),
                    None => ir(Op::Load(Slot::Conclusion(*c)), def.ty.clone(), span),
                }
            }
            Some(Named::ListField(l, f)) => {
                let ty = self.prog.lists[*l as usize].fields[*f as usize].ty.clone();
                ir(Op::Load(Slot::ListField(*l, *f)), Type::List(Box::new(ty)), span)
            }
            None => {
                if let Some(Type::Enum(e)) = want {
                    if let Some(sym) = self.prog.symbols.member(*e, n) {
                        return ir(Op::Const(Value::Enum(sym)), Type::Enum(*e), span);
                    }
                }
                let allowed: Vec<&str> = match want {
                    Some(Type::Enum(e)) => self.prog.symbols.value_names(*e),
                    _ => Vec::new(),
                };
                let what = match want {
                    Some(Type::Enum(e)) => format!(
                        "`{n}` is not a known name, nor a value of {}",
                        self.prog.symbols.type_name(&Type::Enum(*e))
                    ),
                    _ => format!("unknown name `{n}`"),
                };
                let mut help = super::hints::unknown_name(self.prog, self.names, self.scope, n, &allowed);
                if let (Some(list), Some((_, rest))) = (self.scope, n.split_once('.')) {
                    let l = &self.prog.lists[list as usize];
                    let list_name = &self.prog.facts[l.fact as usize].name;
                    if self.names.contains_key(&format!("{list_name}.{rest}")) {
                        help = format!(
                            "one element of `{list_name}` is called `{}` here: write `{}.{rest}`",
                            l.element, l.element
                        );
                    }
                }
                ir(
                    Op::Const(Value::Bool(false)),
                    self.error(Diagnostic::new("check::unknown-name", what, span).label("not declared").help(help)),
                    span,
                )
            }
        }
    }

    fn comparable(&mut self, a: &Ir, b: &Ir) {
        let s = &self.prog.symbols;
        let ok = s.fits(&a.ty, &b.ty) || s.fits(&b.ty, &a.ty) || (is_num(&a.ty) && is_num(&b.ty));
        if !ok {
            let (ta, tb) = (self.type_name(&a.ty), self.type_name(&b.ty));
            self.error(
                Diagnostic::new("check::type", format!("cannot compare {ta} with {tb}"), b.span)
                    .label(format!("this is {tb}"))
                    .also(a.span, format!("this is {ta}"))
                    .help(if matches!((&a.ty, &b.ty), (Type::Enum(_), Type::Text) | (Type::Text, Type::Enum(_))) {
                        "an enumeration value is written bare, without quotes: `contrat.kind is goods`"
                    } else {
                        "compare values of the same type; enumeration values are written bare"
                    }),
            );
        }
    }

    fn unify(&mut self, a: &Ir, b: &Ir) -> Type {
        let s = &self.prog.symbols;
        if s.fits(&b.ty, &a.ty) {
            if a.ty == Type::Int && b.ty == Type::Decimal {
                return Type::Decimal;
            }
            return if a.ty == Type::Error { b.ty.clone() } else { a.ty.clone() };
        }
        if s.fits(&a.ty, &b.ty) {
            return b.ty.clone();
        }
        let (ta, tb) = (self.type_name(&a.ty), self.type_name(&b.ty));
        self.error(
            Diagnostic::new("check::type", format!("the two branches differ: {ta} and {tb}"), b.span)
                .label(format!("this is {tb}"))
                .also(a.span, format!("this is {ta}"))
                .help("both branches must give the same type"),
        )
    }

    fn binary(&mut self, op: BinOp, a: &Expr, b: &Expr, span: Span, want: Option<&Type>) -> Ir {
        match op {
            BinOp::And | BinOp::Or => {
                let x = self.want(a, Type::Bool, "a condition (true or false)");
                let y = self.want(b, Type::Bool, "a condition (true or false)");
                let o =
                    if op == BinOp::And { Op::And(Box::new(x), Box::new(y)) } else { Op::Or(Box::new(x), Box::new(y)) };
                ir(o, Type::Bool, span)
            }
            BinOp::Otherwise => {
                let x = self.check(a, want);
                let y = self.check(b, want.or(Some(&x.ty)));
                let ty = self.unify(&x, &y);
                ir(Op::Otherwise(Box::new(x), Box::new(y)), ty, span)
            }
            BinOp::Eq | BinOp::Ne => {
                let x = self.check(a, None);
                if x.ty == Type::Error && self.bare_unknown(b) {
                    return ir(Op::Const(Value::Bool(false)), Type::Error, span);
                }
                let y = self.check(b, Some(&x.ty));
                self.comparable(&x, &y);
                let c = if op == BinOp::Eq { Cmp::Eq } else { Cmp::Ne };
                ir(Op::Cmp(c, Box::new(x), Box::new(y)), Type::Bool, span)
            }
            BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge => {
                let x = self.check(a, None);
                let y = self.check(b, Some(&x.ty));
                let ordered =
                    matches!(x.ty, Type::Int | Type::Decimal | Type::Money | Type::Date | Type::Duration | Type::Error);
                if !ordered {
                    let t = x.ty.clone();
                    self.mismatch(x.span, "a number, amount, date or duration", &t, "only these have an order");
                } else {
                    self.comparable(&x, &y);
                }
                let c = match op {
                    BinOp::Lt => Cmp::Lt,
                    BinOp::Le => Cmp::Le,
                    BinOp::Gt => Cmp::Gt,
                    _ => Cmp::Ge,
                };
                ir(Op::Cmp(c, Box::new(x), Box::new(y)), Type::Bool, span)
            }
            BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div => {
                let x = self.check(a, None);
                let y = self.check(b, None);
                let ty = self.arith_type(op, &x, &y, span);
                let o = match op {
                    BinOp::Add => Arith::Add,
                    BinOp::Sub => Arith::Sub,
                    BinOp::Mul => Arith::Mul,
                    _ => Arith::Div,
                };
                ir(Op::Arith(o, Box::new(x), Box::new(y)), ty, span)
            }
        }
    }

    fn arith_type(&mut self, op: BinOp, x: &Ir, y: &Ir, span: Span) -> Type {
        use Type::*;
        let t = match (op, &x.ty, &y.ty) {
            (_, Error, _) | (_, _, Error) => Some(Error),
            (BinOp::Add | BinOp::Sub | BinOp::Mul, Int, Int) => Some(Int),
            (BinOp::Div, Int | Decimal, Int | Decimal) => Some(Decimal),
            (_, Int | Decimal, Int | Decimal) => Some(Decimal),
            (BinOp::Add | BinOp::Sub, Money, Money) => Some(Money),
            (BinOp::Mul, Money, Int | Decimal) | (BinOp::Mul, Int | Decimal, Money) => Some(Money),
            (BinOp::Div, Money, Int | Decimal) => Some(Money),
            (BinOp::Div, Money, Money) => Some(Decimal),
            (BinOp::Add | BinOp::Sub, Date, Duration) => Some(Date),
            (BinOp::Mul, Duration, Int) | (BinOp::Mul, Int, Duration) => Some(Duration),
            _ => None,
        };
        t.unwrap_or_else(|| {
            let (tx, ty) = (self.type_name(&x.ty), self.type_name(&y.ty));
            let help = if x.ty == Date && y.ty == Date {
                "to count days between two dates use days_between(a, b)"
            } else {
                "numbers and amounts combine with + - * /; a date takes + or - a duration such as `1 day`"
            };
            self.error(
                Diagnostic::new("check::type", format!("cannot apply `{}` to {tx} and {ty}", op.symbol()), span)
                    .label(format!("{tx} {} {ty}", op.symbol()))
                    .help(help),
            )
        })
    }

    fn call(&mut self, func: &str, func_span: Span, args: &[Expr], span: Span) -> Ir {
        let Some(f) = builtins::lookup(func) else {
            let names = builtins::names();
            let help = match crate::diagnostic::did_you_mean(func, names.iter().copied()) {
                Some(near) => format!("did you mean `{near}`?"),
                None => format!("the functions are {} (docs/LANGUAGE.md, Built-in functions)", names.join(", ")),
            };
            for a in args {
                self.check(a, None);
            }
            return ir(
                Op::Const(Value::Bool(false)),
                self.error(
                    Diagnostic::new("check::unknown-function", format!("unknown function `{func}`"), func_span)
                        .label("not a built-in function")
                        .help(help),
                ),
                span,
            );
        };
        let args: Vec<Ir> = args.iter().map(|a| self.check(a, None)).collect();
        if !f.arity.admits(args.len()) {
            let want = f.arity.describe();
            let ty = self.error(
                Diagnostic::new("check::arity", format!("`{func}` takes {want} argument(s), not {}", args.len()), span)
                    .label("wrong number of arguments")
                    .help("see the built-in functions in docs/LANGUAGE.md"),
            );
            return ir(Op::Call(f, args), ty, span);
        }
        let ty = self.call_type(f, &args, span);
        ir(Op::Call(f, args), ty, span)
    }

    /// The result type by the function's type rule, its complaints reported.
    fn call_type(&mut self, f: &Builtin, args: &[Ir], span: Span) -> Type {
        let typed: Vec<Arg> = args
            .iter()
            .map(|a| Arg {
                ty: &a.ty,
                span: a.span,
                constant: match &a.op {
                    Op::Const(v) => Some(v),
                    _ => None,
                },
            })
            .collect();
        let mut typing = Typing::new(&typed);
        let ty = (f.ty)(&mut typing);
        for complaint in typing.complaints {
            match complaint {
                Complaint::Expected(i, what) => {
                    let help = format!("see `{}` in docs/LANGUAGE.md", f.name);
                    self.mismatch(args[i].span, what, &args[i].ty, &help);
                }
                Complaint::NeedsCalendar => self.need_calendar(span, &format!("`{}`", f.name)),
                Complaint::Error(d) => {
                    self.error(d);
                }
            }
        }
        ty
    }
}
