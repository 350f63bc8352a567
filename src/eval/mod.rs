//! Evaluation: a checked program applied to one scenario's facts. Conclusions
//! are computed in dependency order; for each, default logic picks the rule
//! that decides, and (when asked) the trace records why.

mod compiled;
mod expr;
mod interest;
mod trace;

pub use compiled::Compiled;
pub use trace::{Explanation, FailedPart, Inputs, InterestSegment, InterestSteps, RuleStatus, Shown, Step, TierStep};

use crate::check::ir::{ConcId, FactId, ListId, OptId, RuleId};
use crate::check::{ConclusionDef, Program};
use crate::diagnostic::Diagnostic;
use crate::facts::Facts;
use crate::source::Span;
use crate::value::Type;
use crate::value::Value;
use expr::{Run, Stop};

/// Something a conclusion needs that the scenario did not give.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Need {
    /// A fact (or an option-less fact of the scenario), by id.
    Fact(FactId),
    /// A field of one element of a list.
    Field {
        /// The list fact.
        list: ListId,
        /// The element, from 0.
        item: u32,
        /// The field of the element.
        field: u32,
    },
}

impl Need {
    /// The fact's name as a scenario writes it (`items[1].received_on`).
    pub fn name(&self, prog: &Program) -> String {
        match *self {
            Need::Fact(f) => prog.facts[f as usize].name.clone(),
            Need::Field { list, item, field } => {
                let l = &prog.lists[list as usize];
                format!("{}[{item}].{}", prog.facts[l.fact as usize].name, l.fields[field as usize].name)
            }
        }
    }
}

/// The result for one conclusion (or one element of a per-item conclusion).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// Decided: this value.
    Value(Value),
    /// No rule applies: the conclusion does not apply to this scenario.
    Absent,
    /// Cannot decide: needs these facts.
    Undetermined(Vec<Need>),
}

/// Option values for one run: the rulebook's defaults, changed by `--set`.
#[derive(Clone, Debug)]
pub struct OptionValues {
    /// By option id.
    pub values: Vec<Value>,
    /// Which options were set explicitly.
    pub set: Vec<bool>,
}

impl OptionValues {
    /// Every option of `prog` at its default.
    pub fn defaults(prog: &Program) -> OptionValues {
        OptionValues {
            values: prog.options.iter().map(|o| o.default.clone()).collect(),
            set: vec![false; prog.options.len()],
        }
    }

    /// Sets an option from its written form (`false`, `receipt`, `14`, `2026-01-01`).
    pub fn set(&mut self, prog: &Program, id: OptId, text: &str) -> Result<(), String> {
        let def = &prog.options[id as usize];
        let v = parse_written(text, &def.ty, prog).ok_or_else(|| {
            format!("`{text}` is not a valid {} for option `{}`", prog.symbols.type_name(&def.ty), def.name)
        })?;
        self.values[id as usize] = v;
        self.set[id as usize] = true;
        Ok(())
    }
}

impl OptionValues {
    /// Sets an option from a JSON or TOML value (a request's `"options"`):
    /// `false`, `14`, `"receipt"`, `"2026-01-01"`, `"0.15"` or `0.15`, each
    /// read as [`OptionValues::set`] reads its written form. The error says
    /// what the option takes.
    ///
    /// ```
    /// use verdict::input::parse_json;
    /// use verdict::source::SourceId;
    /// let mut sources = verdict::SourceMap::new();
    /// let text = "[rulebook]\nid = \"x\"\ntitle = \"x\"\nversion = \"1\"\n\n[options.strict]\ntype = \"bool\"\ndefault = true\ndoc = \"Strict.\"\n";
    /// let rb = verdict::Rulebook::from_str(&mut sources, "x.toml", text).unwrap();
    /// let prog = &rb.program;
    /// let mut values = rb.default_options();
    /// let id = prog.option_id("strict").unwrap();
    /// values.set_node(prog, id, &parse_json(SourceId(0), "false").unwrap()).unwrap();
    /// assert_eq!(values.values[id as usize], verdict::Value::Bool(false));
    /// assert!(values.set_node(prog, id, &parse_json(SourceId(0), "\"maybe\"").unwrap()).is_err());
    /// assert!(values.set_node(prog, id, &parse_json(SourceId(0), "[true]").unwrap()).is_err());
    /// ```
    pub fn set_node(&mut self, prog: &Program, id: OptId, node: &crate::input::Node) -> Result<(), String> {
        use crate::input::NodeKind;
        let text = match &node.kind {
            NodeKind::Bool(b) => b.to_string(),
            NodeKind::Int(i) => i.to_string(),
            NodeKind::Float(f) => f.clone(),
            NodeKind::Str(s) => s.clone(),
            NodeKind::Date(d) => d.format("%Y-%m-%d").to_string(),
            _ => {
                let def = &prog.options[id as usize];
                return Err(format!(
                    "option `{}` takes {}, not {}",
                    def.name,
                    prog.symbols.type_name(&def.ty),
                    node.kind_name()
                ));
            }
        };
        self.set(prog, id, &text)
    }
}

fn parse_written(text: &str, ty: &Type, prog: &Program) -> Option<Value> {
    use rust_decimal::Decimal;
    Some(match ty {
        Type::Bool => match text {
            "true" | "yes" => Value::Bool(true),
            "false" | "no" => Value::Bool(false),
            _ => return None,
        },
        Type::Int => Value::Int(text.parse().ok()?),
        Type::Decimal => Value::Decimal(Decimal::from_str_exact(text).ok()?),
        Type::Money => Value::Money(Decimal::from_str_exact(text).ok().filter(|d| d.scale() <= 2)?),
        Type::Date => Value::Date(crate::input::parse_date(text)?),
        Type::Text => Value::Text(text.into()),
        Type::Enum(e) => Value::Enum(prog.symbols.member(*e, text)?),
        _ => return None,
    })
}

/// Every conclusion of one scenario, and (if traced) why. The default is
/// of no program yet: a buffer for [`crate::Rulebook::evaluate_into`], which
/// sizes it for the program it evaluates.
#[derive(Clone, Debug, Default)]
pub struct Verdicts {
    /// By conclusion id; per-item conclusions hold `Absent` here.
    pub global: Vec<Outcome>,
    /// By conclusion id: one outcome per element (empty for other conclusions).
    pub per_item: Vec<Vec<Outcome>>,
    /// One explanation per conclusion (and element), in evaluation order.
    pub trace: Vec<Explanation>,
    /// The conclusions' names, for [`Verdicts::get`].
    names: crate::check::ConclusionNames,
}

impl Verdicts {
    /// The explanation of conclusion `c` (of its element `item`), when the trace was recorded.
    pub fn explanation(&self, c: ConcId, item: Option<usize>) -> Option<&Explanation> {
        self.trace.iter().find(|e| e.conclusion == c && e.item == item)
    }

    /// The rule that decided conclusion `c` (its element `item`), when the
    /// trace was recorded and a rule did.
    pub fn decided_by(&self, c: ConcId, item: Option<usize>) -> Option<RuleId> {
        self.explanation(c, item).and_then(|e| e.decided_by)
    }

    /// No conclusion decided yet: every one absent, no element, no trace.
    pub fn for_program(prog: &Program) -> Verdicts {
        let n = prog.conclusions.len();
        Verdicts {
            global: std::iter::repeat_with(|| Outcome::Absent).take(n).collect(),
            per_item: std::iter::repeat_with(Vec::new).take(n).collect(),
            trace: Vec::new(),
            names: prog.conclusion_names.clone(),
        }
    }

    /// Back to [`Verdicts::for_program`], keeping the buffers.
    fn reset(&mut self, prog: &Program) {
        let n = prog.conclusions.len();
        if !std::sync::Arc::ptr_eq(&self.names, &prog.conclusion_names) {
            self.names = prog.conclusion_names.clone();
        }
        self.global.clear();
        self.global.resize_with(n, || Outcome::Absent);
        self.per_item.truncate(n);
        self.per_item.iter_mut().for_each(Vec::clear);
        self.per_item.resize_with(n, Vec::new);
        self.trace.clear();
    }

    /// The outcome of a conclusion decided once per scenario, by name, e.g.
    /// `withdrawal.deadline`. `None` when the rulebook has no such conclusion
    /// or it is decided per item (see [`Verdicts::per_item`]).
    pub fn get(&self, name: &str) -> Option<&Outcome> {
        match self.id(name)? {
            (_, true) => None,
            (c, false) => self.global.get(c),
        }
    }

    /// The outcomes of a per-item conclusion by name, one per element of its
    /// list, e.g. `items.withdrawable`. `None` when the rulebook has no such
    /// conclusion or it is decided once (see [`Verdicts::get`]).
    pub fn per_item(&self, name: &str) -> Option<&[Outcome]> {
        match self.id(name)? {
            (c, true) => self.per_item.get(c).map(Vec::as_slice),
            (_, false) => None,
        }
    }

    /// One element's outcome of a per-item conclusion, e.g. `items.withdrawable`, 1.
    pub fn item(&self, name: &str, index: usize) -> Option<&Outcome> {
        self.per_item(name)?.get(index)
    }

    /// Every conclusion's name and whether it is per item, in declaration order.
    pub fn names(&self) -> impl Iterator<Item = (&str, bool)> {
        self.names.iter().map(|(n, p)| (n.as_str(), *p))
    }

    fn id(&self, name: &str) -> Option<(usize, bool)> {
        self.names.iter().position(|(n, _)| n == name).map(|c| (c, self.names[c].1))
    }
}

/// An evaluation that could not finish: a conflict between rules, an
/// overflow, a date out of range.
pub type EvalError = Box<Diagnostic>;

impl Program {
    /// Evaluates every conclusion for `facts`. With `explain`, builds the trace.
    pub fn evaluate(&self, facts: &Facts, options: &OptionValues, explain: bool) -> Result<Verdicts, EvalError> {
        let mut out = Verdicts::for_program(self);
        let mut trace = Vec::new();
        for &c in &self.order {
            let def = &self.conclusions[c as usize];
            match def.per_item {
                None => {
                    let outcome = decide(self, facts, options, &out, c, None, explain, &mut trace)?;
                    out.global[c as usize] = outcome;
                }
                Some(list) => {
                    let len = facts.lists[list as usize].len();
                    let mut outcomes = Vec::with_capacity(len);
                    for i in 0..len {
                        outcomes.push(decide(self, facts, options, &out, c, Some(i), explain, &mut trace)?);
                    }
                    out.per_item[c as usize] = outcomes;
                }
            }
        }
        out.trace = trace;
        Ok(out)
    }
}

/// Bits over the rules of one conclusion (by their place among them).
struct RuleBits {
    small: [u64; 4],
    large: Vec<u64>,
}

impl RuleBits {
    fn new(n: usize) -> RuleBits {
        let words = n.div_ceil(64);
        RuleBits { small: [0; 4], large: if words > 4 { vec![0; words] } else { Vec::new() } }
    }
    fn words(&self) -> &[u64] {
        if self.large.is_empty() {
            &self.small
        } else {
            &self.large
        }
    }
    fn set(&mut self, k: usize) {
        let w = if self.large.is_empty() { &mut self.small[..] } else { &mut self.large[..] };
        w[k / 64] |= 1 << (k % 64);
    }
    fn has(&self, k: usize) -> bool {
        self.words()[k / 64] & (1 << (k % 64)) != 0
    }
    /// Whether any of `mask` is set here.
    fn meets(&self, mask: &[u64]) -> bool {
        mask.iter().zip(self.words()).any(|(a, b)| a & b != 0)
    }

    /// The winner among `rules` (of one conclusion) when these are the ones
    /// that apply: the applying rule that no applying rule overrides, `None`
    /// when none applies; `Err` with the first two that conflict.
    fn winner(&self, prog: &Program, rules: &[RuleId]) -> Result<Option<RuleId>, (RuleId, RuleId)> {
        let mut winner = None;
        for (k, &r) in rules.iter().enumerate() {
            if self.has(k) && !self.meets(&prog.rules[r as usize].defeaters_mask) {
                if let Some(w) = winner {
                    return Err((w, r));
                }
                winner = Some(r);
            }
        }
        Ok(winner)
    }
}

/// The outcome of rule `w`'s value, the rule that won for conclusion `def`.
fn rule_outcome(run: &mut Run, prog: &Program, def: &ConclusionDef, w: RuleId) -> Result<Outcome, EvalError> {
    let rule = &prog.rules[w as usize];
    match run.eval_rule(&rule.value, rule.deep) {
        Ok(v) => Ok(Outcome::Value(coerce(v, &def.ty))),
        Err(Stop::Absent) => Ok(Outcome::Absent),
        Err(Stop::Missing(n)) => Ok(Outcome::Undetermined(sorted(n))),
        Err(Stop::Fail(e)) => Err(e),
    }
}

/// Default logic for one conclusion (for one element); with `explain`, its
/// explanation is added to `trace`.
#[allow(clippy::too_many_arguments, reason = "the evaluation context of one conclusion, passed as it is")]
fn decide(
    prog: &Program,
    facts: &Facts,
    options: &OptionValues,
    done: &Verdicts,
    c: ConcId,
    item: Option<usize>,
    explain: bool,
    trace: &mut Vec<Explanation>,
) -> Result<Outcome, EvalError> {
    let def = &prog.conclusions[c as usize];
    let mut run = Run::new(prog, facts, &options.values, done, item, explain);
    // 1. which rules apply (and which cannot be decided)
    let mut applied = RuleBits::new(def.rules.len());
    let mut unknown: Vec<(usize, Vec<Need>)> = Vec::new();
    for (k, &r) in def.rules.iter().enumerate() {
        let rule = &prog.rules[r as usize];
        match rule.when.as_ref().map(|w| run.when(w, rule.deep)) {
            None | Some(Ok(true)) => applied.set(k),
            Some(Ok(false) | Err(Stop::Absent)) => {}
            Some(Err(Stop::Missing(needs))) => unknown.push((k, needs)),
            Some(Err(Stop::Fail(e))) => return Err(e),
        }
    }
    // 2. the winner: an applying rule that no applying rule overrides
    let winner = applied.winner(prog, &def.rules).map_err(|(a, b)| conflict(prog, &run, def, item, a, b))?;
    // 3. an undetermined rule that could override or conflict with the winner
    let mut needs: Vec<Need> = Vec::new();
    for (k, n) in &unknown {
        let r = def.rules[*k];
        let below_winner = winner.is_some_and(|w| prog.rules[w as usize].defeats.contains(&r));
        let defeated = applied.meets(&prog.rules[r as usize].defeaters_mask);
        if !below_winner && !defeated {
            needs.extend(n.iter().copied());
        }
    }
    let (outcome, decided_by) = if !needs.is_empty() {
        (Outcome::Undetermined(sorted(needs)), None)
    } else if let Some(w) = winner {
        (rule_outcome(&mut run, prog, def, w)?, Some(w))
    } else {
        (Outcome::Absent, None)
    };
    if !explain {
        return Ok(outcome);
    }
    trace.push(explanation(prog, &mut run, c, item, &applied, &unknown, winner, decided_by, outcome.clone()));
    Ok(outcome)
}

/// Why one conclusion came out as it did: what happened to every rule.
#[allow(clippy::too_many_arguments, reason = "the evaluation context of one conclusion, passed as it is")]
#[inline(never)]
fn explanation(
    prog: &Program,
    run: &mut Run,
    c: ConcId,
    item: Option<usize>,
    applied: &RuleBits,
    unknown: &[(usize, Vec<Need>)],
    winner: Option<RuleId>,
    decided_by: Option<RuleId>,
    outcome: Outcome,
) -> Explanation {
    let def = &prog.conclusions[c as usize];
    let mut considered = Vec::with_capacity(def.rules.len());
    for (k, &r) in def.rules.iter().enumerate() {
        let rule = &prog.rules[r as usize];
        let status = if Some(r) == winner {
            RuleStatus::Applied
        } else if applied.has(k) {
            let by = def
                .rules
                .iter()
                .enumerate()
                .find(|(j, _)| applied.has(*j) && rule.defeaters_mask[j / 64] & (1 << (j % 64)) != 0);
            RuleStatus::Overridden(by.map_or(r, |(_, x)| *x))
        } else if let Some((_, n)) = unknown.iter().find(|(j, _)| *j == k) {
            RuleStatus::Unknown(n.clone())
        } else {
            RuleStatus::NotApplicable { failed: rule.when.as_ref().and_then(|w| run.explain_false(w)) }
        };
        considered.push((r, status));
    }
    let inputs = decided_by.map(|w| run.inputs(&prog.rules[w as usize].reads)).unwrap_or_default();
    let steps = run.take_steps();
    Explanation { conclusion: c, item, outcome, decided_by, considered, inputs, steps }
}

/// Two rules apply and neither overrides the other: an error with both, and
/// the values that made their conditions hold.
fn conflict(prog: &Program, run: &Run, def: &ConclusionDef, item: Option<usize>, a: RuleId, b: RuleId) -> EvalError {
    let (a, b) = (&prog.rules[a as usize], &prog.rules[b as usize]);
    let at = item.map(|i| format!(" (element {i})")).unwrap_or_default();
    let mut reads = Vec::new();
    for r in [a, b] {
        if let Some(w) = &r.when {
            w.slots(&mut reads);
        }
    }
    let values: Vec<String> = run
        .inputs(&reads)
        .into_iter()
        .map(|(slot, shown)| match shown {
            Shown::Value(v) => format!("{} = {v}", prog.slot_name(slot)),
            _ => format!("{} not given", prog.slot_name(slot)),
        })
        .collect();
    let with = if values.is_empty() { String::new() } else { format!(" (with {})", values.join(", ")) };
    Box::new(
        Diagnostic::new(
            "eval::conflict",
            format!("rules `{}` and `{}` both apply to `{}`{at} and neither overrides the other", a.id, b.id, def.name),
            b.span,
        )
        .label("applies")
        .also(a.span, "also applies")
        .help(format!(
            "both conditions hold{with}; decide which rule wins: add overrides = \"{}\" to `{}` (or the reverse), or make their conditions exclusive",
            a.id, b.id
        )),
    )
}

/// The rulebook's `[[checks]]` on a scenario's facts, each failure reported
/// where the scenario wrote the first fact the check reads.
pub fn check_scenario(prog: &Program, facts: &Facts, file: Span) -> crate::diagnostic::Diagnostics {
    let mut out = crate::diagnostic::Diagnostics::default();
    if prog.checks.is_empty() {
        return out;
    }
    let options = OptionValues::defaults(prog);
    let none = Verdicts::for_program(prog);
    for check in &prog.checks {
        let items: Vec<Option<usize>> = match check.each {
            Some(l) => (0..facts.lists[l as usize].len()).map(Some).collect(),
            None => vec![None],
        };
        for item in items {
            let mut run = Run::new(prog, facts, &options.values, &none, item, false);
            match run.eval(&check.require) {
                Ok(Value::Bool(false)) => {}
                Err(Stop::Fail(e)) => {
                    out.push(*e);
                    continue;
                }
                _ => continue, // holds, or needs a fact that is absent
            }
            let mut slots = Vec::new();
            check.require.slots(&mut slots);
            let at = slots.iter().find_map(|s| match (*s, item) {
                (crate::check::ir::Slot::Fact(f), _) => facts.spans[f as usize],
                (crate::check::ir::Slot::Field(l, f), Some(i)) => facts.record_spans[l as usize][i].1[f as usize],
                _ => None,
            });
            let at = at
                .or_else(|| item.zip(check.each).map(|(i, l)| facts.record_spans[l as usize][i].0))
                .unwrap_or(Span { end: file.start, ..file });
            let mut d =
                Diagnostic::new("facts::check", check.message.clone(), at).label(format!("fails check `{}`", check.id));
            if let Some(h) = &check.hint {
                d = d.help(h.clone());
            }
            out.push(d);
        }
    }
    out
}

fn sorted(mut needs: Vec<Need>) -> Vec<Need> {
    needs.sort();
    needs.dedup();
    needs
}

fn coerce(v: Value, ty: &Type) -> Value {
    match (v, ty) {
        (Value::Int(i), Type::Decimal) => Value::Decimal(i.into()),
        (v, _) => v,
    }
}

/// Where a failure happened, for eval errors.
pub(crate) fn fail(code: &'static str, message: String, span: Span, help: &str) -> Stop {
    Stop::Fail(Box::new(Diagnostic::new(code, message, span).label("here").help(help.to_string())))
}

#[cfg(test)]
mod tests {
    use crate::test_support::evaluates_to;

    const FEES: &str = r#"
[facts.order.total]
type = "money"
doc = "Total."

[facts.order.express]
type = "bool"
doc = "Express delivery."
optional = true

[conclusions.order.fee]
type = "money"
doc = "The delivery fee."

[conclusions.order.free]
type = "bool"
doc = "Delivery is free."

[[rules]]
id = "fee"
concludes = "order.fee"
value = 'EUR 4.95'
cite = "LAW art. 1"

[[rules]]
id = "fee.express"
concludes = "order.fee"
when = 'order.express'
value = 'EUR 9.95'
overrides = "fee"
cite = "LAW art. 2"

[[rules]]
id = "fee.large"
concludes = "order.fee"
when = 'order.total >= EUR 100.00'
value = 'EUR 0.00'
overrides = "fee.express"
cite = "LAW art. 3"

[[rules]]
id = "free"
concludes = "order.free"
when = 'order.total >= EUR 100.00 or order.express'
value = 'true'
cite = "LAW art. 3"
"#;

    const RATES: &str = r#"
[tables.rate_table]
type = "decimal"
doc = "Yearly rates."
cite = "LAW art. 9"
rows = [
  { from = 2015-01-01, value = "0.02" },
  { from = 2023-01-01, value = "0.04" },
  { from = 2023-07-01, value = "0.06" },
]

[facts.amount]
type = "money"
doc = "The principal."

[facts.from]
type = "date"
doc = "First day of interest."

[facts.to]
type = "date"
doc = "Day interest stops."

[conclusions.rate]
type = "decimal"
doc = "The rate on `to`."

[conclusions.simple]
type = "money"
doc = "Simple interest."

[conclusions.compound]
type = "money"
doc = "Interest compounded yearly."

[conclusions.fixed]
type = "money"
doc = "Interest at 8%, actual days of the year."

[[rules]]
id = "rate"
concludes = "rate"
value = 'rate_table on to'
cite = "LAW art. 9"

[[rules]]
id = "simple"
concludes = "simple"
value = 'round(interest on amount at rate_table from from to to, days / 365, 2)'
cite = "LAW art. 10"

[[rules]]
id = "compound"
concludes = "compound"
value = 'round(interest on amount at rate_table from from to to, days / 365, compounded yearly, 2)'
cite = "LAW art. 10"

[[rules]]
id = "fixed"
concludes = "fixed"
value = 'round(interest on amount at 8% from from to to, days / year, 2)'
cite = "LAW art. 11"
"#;

    fn span(amount: &str, from: &str, to: &str) -> String {
        format!("amount = \"{amount}\"\nfrom = {from}\nto = {to}\n")
    }

    #[test]
    fn a_table_gives_the_row_in_force_on_the_day() {
        evaluates_to(RATES, &span("1.00", "2015-01-01", "2015-01-01"), &[("rate", "0.02")]);
        evaluates_to(RATES, &span("1.00", "2015-01-01", "2022-12-31"), &[("rate", "0.02")]);
        evaluates_to(RATES, &span("1.00", "2015-01-01", "2023-01-01"), &[("rate", "0.04")]);
        evaluates_to(RATES, &span("1.00", "2015-01-01", "2099-06-30"), &[("rate", "0.06")]);
    }

    #[test]
    #[should_panic(expected = "table `rate_table` has no value on 2014-12-31: its first row is from 2015-01-01")]
    fn a_day_before_the_first_row_is_an_error() {
        evaluates_to(RATES, &span("1.00", "2015-01-01", "2014-12-31"), &[]);
    }

    #[test]
    fn interest_is_split_where_the_rate_changes() {
        // 2022-09-01..2023-01-01: 122 days × 2% × 1000 / 365 = 6.684932
        // 2023-01-01..2023-07-01: 181 days × 4% → 19.835616
        // 2023-07-01..2023-12-01: 153 days × 6% → 25.150685; total 51.671233 → 51.67
        // compounded: after 2023-09-01, 36.712329 is added; 91 days × 6% on 1036.712329
        // = 15.508080 instead of 15.958904: total 52.220409 → 52.22
        evaluates_to(
            RATES,
            &span("1000.00", "2022-09-01", "2023-12-01"),
            &[("simple", "51.67"), ("compound", "52.22")],
        );
        // no days, no interest
        evaluates_to(RATES, &span("1000.00", "2023-03-01", "2023-03-01"), &[("simple", "0.00")]);
    }

    #[test]
    fn a_fixed_rate_with_actual_days_splits_at_new_year() {
        // 2023-12-01..2024-01-01: 31 days × 8% × 3650 / 365 = 24.80
        // 2024-01-01..2024-03-01: 60 days × 8% × 3650 / 366 = 47.868852; total 72.668852 → 72.67
        evaluates_to(RATES, &span("3650.00", "2023-12-01", "2024-03-01"), &[("fixed", "72.67")]);
    }

    #[test]
    #[should_panic(expected = "interest cannot run backwards")]
    fn interest_cannot_run_backwards() {
        evaluates_to(RATES, &span("1.00", "2023-03-02", "2023-03-01"), &[]);
    }

    #[test]
    fn the_most_specific_applicable_rule_decides() {
        evaluates_to(FEES, "order.total = \"20.00\"\norder.express = false\n", &[("order.fee", "4.95")]);
        evaluates_to(FEES, "order.total = \"20.00\"\norder.express = true\n", &[("order.fee", "9.95")]);
        // the exception to the exception wins, through the chain
        evaluates_to(FEES, "order.total = \"120.00\"\norder.express = true\n", &[("order.fee", "0.00")]);
    }

    #[test]
    fn a_missing_fact_is_needed_only_where_it_could_change_the_verdict() {
        // without `express`, the express exception might apply: cannot decide
        evaluates_to(FEES, "order.total = \"20.00\"\n", &[("order.fee", "needs order.express")]);
        // a large order is decided whatever `express` is: `true or ?` is true
        evaluates_to(FEES, "order.total = \"120.00\"\n", &[("order.fee", "0.00"), ("order.free", "yes")]);
    }

    #[test]
    fn a_conclusion_no_rule_applies_to_is_absent() {
        evaluates_to(FEES, "order.total = \"20.00\"\norder.express = false\n", &[("order.free", "absent")]);
    }
}
