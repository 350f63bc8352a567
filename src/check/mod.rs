//! Check: declarations → a [`Program`]. Names are resolved to slots, every
//! expression is typed, rule order and the exception graph are built, and
//! conflicts, missing citations and cycles are reported — all errors at once.

mod declarations;
mod exceptions;
mod expr;
mod hints;
pub mod ir;
pub mod labels;
mod letters;
pub mod lints;
mod order;
mod rules;

use crate::diagnostic::{suggest, Diagnostics};
use crate::rulebook::{Declarations, Meta, SourceDecl, TestDecl};
use crate::source::{SourceId, Span};
use crate::text::Text;
use crate::time::Calendar;
use crate::value::Value;
use crate::value::{Symbols, Type};
pub use letters::{LetterDef, LetterPiece};

use declarations::Declared;
use ir::{ConcId, FactId, Ir, ListId, OptId, RuleId, Slot};
use std::collections::HashMap;

/// An option of the rulebook: a choice the law leaves open, with its default.
#[derive(Clone, Debug)]
pub struct OptionDef {
    /// Its name, as rules and `--set` write it.
    pub name: String,
    /// Where it is declared.
    pub span: Span,
    /// Its type.
    pub ty: Type,
    /// The value used unless it is set.
    pub default: Value,
    /// What it means.
    pub doc: Option<Text>,
}

/// A fact or a field of a list of records.
#[derive(Clone, Debug)]
pub struct FactDef {
    /// The full name (`contract.kind`, or a field's own name).
    pub name: String,
    /// Where it is declared.
    pub span: Span,
    /// Its type.
    pub ty: Type,
    /// Whether a scenario may leave it out.
    pub optional: bool,
    /// The value taken when a scenario leaves it out.
    pub default: Option<Value>,
    /// What it means (shown in errors and explanations).
    pub doc: Option<Text>,
    /// Set for a list of records.
    pub records: Option<ListId>,
}

/// A list of records (`items`), with its fields.
#[derive(Clone, Debug)]
pub struct ListDef {
    /// The list fact itself.
    pub fact: FactId,
    /// What one element is called in rules (`item`).
    pub element: String,
    /// The fields of one element.
    pub fields: Vec<FactDef>,
}

/// A conclusion: what the rulebook decides.
#[derive(Clone, Debug)]
pub struct ConclusionDef {
    /// Its name (`withdrawal.deadline`).
    pub name: String,
    /// Where it is declared.
    pub span: Span,
    /// Its type.
    pub ty: Type,
    /// The list it is decided for element by element, if any.
    pub per_item: Option<ListId>,
    /// A step towards other conclusions, left out of the output.
    pub internal: bool,
    /// What it means.
    pub doc: Option<Text>,
    /// The rules that decide it.
    pub rules: Vec<RuleId>,
}

/// A checked rule.
#[derive(Clone, Debug)]
pub struct RuleDef {
    /// Its id.
    pub id: String,
    /// Where its id is written.
    pub span: Span,
    /// The conclusion it decides.
    pub conclusion: ConcId,
    /// The condition under which it applies (always when `None`).
    pub when: Option<Ir>,
    /// The value it gives the conclusion.
    pub value: Ir,
    /// The reason, as a person reads it.
    pub because: Option<Text>,
    /// The citation of the law (`CRD art. 9(1)`).
    pub cite: String,
    /// Rules that override this one, directly or through a chain.
    pub defeaters: Vec<RuleId>,
    /// Rules this one overrides, directly or through a chain.
    pub defeats: Vec<RuleId>,
    /// This rule's place among its conclusion's rules, and the two lists
    /// above as bit sets over those places (for evaluation).
    pub local: u32,
    /// `defeaters` as a bit set over `local` places.
    pub defeaters_mask: Vec<u64>,
    /// `defeats` as a bit set over `local` places.
    pub defeats_mask: Vec<u64>,
    /// What the rule reads, for the trace.
    pub reads: Vec<Slot>,
    /// Its expressions are deep enough to need a guarded stack when evaluated.
    pub deep: bool,
}

/// A dated parameter table: each row's value is in force from its day until
/// the next row's day; before the first row the table has no value.
#[derive(Clone, Debug)]
pub struct TableDef {
    /// Its name, as `NAME on D` and `interest … at NAME` write it.
    pub name: String,
    /// Where it is declared.
    pub span: Span,
    /// The type of its values.
    pub ty: Type,
    /// What it holds.
    pub doc: Option<Text>,
    /// Where its values come from.
    pub cite: Option<String>,
    /// The rows: first day in force and value, in strictly increasing day order.
    pub rows: Vec<(chrono::NaiveDate, Value)>,
    /// Each row's `note`, by the row's first day.
    pub notes: Vec<(chrono::NaiveDate, Text)>,
}

impl TableDef {
    /// The row in force on `day`: its first day and value; `None` before the first row.
    pub fn row_on(&self, day: chrono::NaiveDate) -> Option<&(chrono::NaiveDate, Value)> {
        let after = self.rows.partition_point(|(from, _)| *from <= day);
        after.checked_sub(1).map(|i| &self.rows[i])
    }

    /// The note of the row from `from`, if it has one.
    pub fn note(&self, from: chrono::NaiveDate) -> Option<&Text> {
        self.notes.iter().find(|(d, _)| *d == from).map(|(_, n)| n)
    }
}

/// The calendar a rulebook selected, with its options resolved.
#[derive(Clone, Debug)]
pub struct CalendarUse {
    /// The holidays and weekend.
    pub calendar: Calendar,
    /// The calendar file, as resolved from the rulebook.
    pub path: String,
    /// Per holiday: the option that switches it on, if any (filled by the checker).
    pub gates: Vec<Option<OptId>>,
}

/// A checked rulebook, ready to evaluate.
#[derive(Clone, Debug)]
pub struct Program {
    /// The rulebook file.
    pub src: SourceId,
    /// The `[rulebook]` table: id, version, effective dates.
    pub meta: Meta,
    /// Enumeration values and types.
    pub symbols: Symbols,
    /// The `[sources]` citations start with.
    pub sources: Vec<SourceDecl>,
    /// By option id.
    pub options: Vec<OptionDef>,
    /// By fact id.
    pub facts: Vec<FactDef>,
    /// By list id.
    pub lists: Vec<ListDef>,
    /// By conclusion id.
    pub conclusions: Vec<ConclusionDef>,
    /// By rule id.
    pub rules: Vec<RuleDef>,
    /// Conclusions in evaluation order.
    pub order: Vec<ConcId>,
    /// The calendar it selected, if any.
    pub calendar: Option<CalendarUse>,
    /// Its own test cases (`[[tests]]`).
    pub tests: Vec<TestDecl>,
    /// Conditions every scenario must meet (`[[checks]]`).
    pub checks: Vec<CheckDef>,
    /// Dated parameter tables (`[tables]`), by table id.
    pub tables: Vec<TableDef>,
    /// Fact names and the groups above them, for reading scenarios.
    pub names: FactNames,
    /// Letter templates (`[letters]`), in file order.
    pub letters: Vec<LetterDef>,
    /// Conclusion names and whether each is per item, by conclusion id;
    /// shared with every [`Verdicts`](crate::Verdicts) so they answer by name.
    pub conclusion_names: ConclusionNames,
    /// How enumeration values and timeline events read in each language (`labels`).
    pub labels: labels::Labels,
}

/// Conclusion names by id, and which are per item (shared, cheap to clone).
pub type ConclusionNames = std::sync::Arc<[(String, bool)]>;

/// Every fact by its full name, and every group of facts (`contract` for
/// `contract.kind`), so a scenario's keys are found without searching.
#[derive(Clone, Debug, Default)]
pub struct FactNames {
    /// Fact id by full name.
    pub facts: HashMap<String, FactId, NameHash>,
    /// Every group name above a fact.
    pub groups: std::collections::HashSet<String, NameHash>,
    /// The same names as a tree, one key at a time (`contract`, then `kind`):
    /// by group, its members; group 0 is the scenario's top level. A reader
    /// that walks a scenario's nested objects finds each key among its
    /// group's few members without building the dotted name.
    pub tree: Vec<Vec<(String, Member)>>,
}

/// A member of a group of facts in [`FactNames::tree`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Member {
    /// A fact.
    Fact(FactId),
    /// A group, by its index in the tree.
    Group(u32),
}

/// The fact a rulebook declares to read the day it is evaluated as of
/// (`[facts.as_of]`, a date), for verdicts such as "the deadline has passed"
/// or "overdue since …". A scenario may give it like any fact; `--as-of` and
/// the API's `AsOf` give it from outside the scenario.
pub const AS_OF_FACT: &str = "as_of";

/// A quick hash for the few dozen names of a rulebook, looked up for every
/// key of every scenario (the default hasher costs more than the lookup).
/// The tables are built from the rulebook, not from the scenario, so no input
/// can crowd a bucket.
pub type NameHash = rustc_hash::FxBuildHasher;

impl FactNames {
    fn of(facts: &[FactDef]) -> FactNames {
        let mut names = FactNames { tree: vec![Vec::new()], ..FactNames::default() };
        for (i, f) in facts.iter().enumerate() {
            names.facts.insert(f.name.clone(), i as FactId);
            let mut prefix = f.name.as_str();
            while let Some((group, _)) = prefix.rsplit_once('.') {
                names.groups.insert(group.to_string());
                prefix = group;
            }
            let mut keys = f.name.split('.').peekable();
            let mut group = 0;
            while let Some(key) = keys.next() {
                let found = names.tree[group].iter().find(|(k, _)| k == key).map(|(_, m)| *m);
                if keys.peek().is_none() {
                    if found.is_none() {
                        names.tree[group].push((key.to_string(), Member::Fact(i as FactId)));
                    }
                    break;
                }
                group = match found {
                    Some(Member::Group(g)) => g as usize,
                    // a fact and a group of one name cannot both be declared
                    Some(Member::Fact(_)) => break,
                    None => {
                        let g = names.tree.len();
                        names.tree.push(Vec::new());
                        names.tree[group].push((key.to_string(), Member::Group(g as u32)));
                        g
                    }
                };
            }
        }
        names
    }

    /// The member `key` of group `group` of the tree.
    #[inline]
    pub fn member(&self, group: u32, key: &str) -> Option<Member> {
        self.tree[group as usize].iter().find(|(k, _)| k == key).map(|(_, m)| *m)
    }
}

/// A condition on the facts of every scenario.
#[derive(Clone, Debug)]
pub struct CheckDef {
    /// Its id.
    pub id: String,
    /// The list it is checked for element by element, if any.
    pub each: Option<ListId>,
    /// The condition the facts must meet.
    pub require: Ir,
    /// What is wrong when it fails.
    pub message: Text,
    /// How to fix it.
    pub hint: Option<Text>,
}

/// What a name in an expression refers to.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Named {
    Fact(FactId),
    Option(OptId),
    Conclusion(ConcId),
    ListField(ListId, u32),
}

impl Program {
    /// The option named `name`.
    pub fn option_id(&self, name: &str) -> Option<OptId> {
        self.options.iter().position(|o| o.name == name).map(|i| i as OptId)
    }

    /// The help for an unknown option name: the nearest option, or the list.
    pub fn suggest_option(&self, wrong: &str) -> String {
        let names: Vec<&str> = self.options.iter().map(|o| o.name.as_str()).collect();
        suggest(wrong, &names, "option")
    }

    /// The help for an unknown conclusion name: the nearest conclusion, or the list.
    pub fn suggest_conclusion(&self, wrong: &str) -> String {
        let names: Vec<&str> = self.conclusions.iter().map(|c| c.name.as_str()).collect();
        suggest(wrong, &names, "conclusion")
    }

    /// The conclusion named `name`.
    pub fn conclusion_id(&self, name: &str) -> Option<ConcId> {
        self.conclusions.iter().position(|c| c.name == name).map(|i| i as ConcId)
    }

    /// The display name of a slot (`items.received_on`, `item.nature`, …).
    pub fn slot_name(&self, slot: Slot) -> String {
        match slot {
            Slot::Fact(f) => self.facts[f as usize].name.clone(),
            Slot::Option(o) => self.options[o as usize].name.clone(),
            Slot::Conclusion(c) | Slot::ListConclusion(c) => self.conclusions[c as usize].name.clone(),
            Slot::ItemConclusion(c) => {
                let conc = &self.conclusions[c as usize];
                let list = &self.lists[conc.per_item.unwrap_or(0) as usize];
                format!("{}.{}", list.element, conc.name.split_once('.').map_or("", |(_, r)| r))
            }
            Slot::Field(l, f) => {
                format!("{}.{}", self.lists[l as usize].element, self.lists[l as usize].fields[f as usize].name)
            }
            Slot::ListField(l, f) => {
                format!(
                    "{}.{}",
                    self.facts[self.lists[l as usize].fact as usize].name,
                    self.lists[l as usize].fields[f as usize].name
                )
            }
            Slot::Records(l) => self.facts[self.lists[l as usize].fact as usize].name.clone(),
        }
    }

    /// The letter named `name`.
    pub fn letter(&self, name: &str) -> Option<&LetterDef> {
        self.letters.iter().find(|l| l.name == name)
    }

    /// The table named `name`.
    pub fn table_id(&self, name: &str) -> Option<ir::TableId> {
        self.tables.iter().position(|t| t.name == name).map(|i| i as ir::TableId)
    }

    /// Where a rule id is declared.
    pub fn rule_id(&self, id: &str) -> Option<RuleId> {
        self.rules.iter().position(|r| r.id == id).map(|i| i as RuleId)
    }
}

/// Checks declarations (and the calendar they selected) into a program:
/// declarations first, then each rule and its citation, the exception graph,
/// the scenario checks and, when all of that is sound, the evaluation order.
pub fn check(decls: Declarations, mut calendar: Option<CalendarUse>) -> Result<Program, Diagnostics> {
    let mut errors = Diagnostics::default();
    let declared = declarations::declare_all(&decls, calendar.as_ref(), &mut errors);
    let Declared { symbols, names, options, facts, lists, conclusions, tables } = declared;
    if let Some(cal) = &mut calendar {
        cal.gates = cal
            .calendar
            .holidays
            .iter()
            .map(|h| h.option.as_ref().and_then(|(o, _)| options.iter().position(|d| &d.name == o).map(|i| i as OptId)))
            .collect();
    }
    let mut program = Program {
        src: decls.src,
        meta: decls.meta.clone(),
        symbols,
        sources: decls.sources.clone(),
        options,
        facts,
        lists,
        conclusions,
        rules: Vec::new(),
        order: Vec::new(),
        calendar,
        tests: decls.tests.clone(),
        checks: Vec::new(),
        tables,
        names: FactNames::default(),
        letters: Vec::new(),
        conclusion_names: ConclusionNames::from([]),
        labels: labels::Labels::default(),
    };
    program.names = FactNames::of(&program.facts);
    program.conclusion_names =
        program.conclusions.iter().map(|c| (c.name.clone(), c.per_item.is_some())).collect::<Vec<_>>().into();
    let names: HashMap<String, Named> = names.into_iter().map(|(k, (n, _))| (k, n)).collect();
    rules::table_cites(&program, &decls, &mut errors);
    let typed = rules::typed_rules(&mut program, &decls, &names, &mut errors);
    exceptions::link(&mut program, &decls, typed, &mut errors);
    program.checks = rules::checks(&program, &decls, &names, &mut errors);
    labels::check_labels(&mut program, &decls, &mut errors);
    program.letters = letters::letters(&program, &decls, &names, &mut errors);
    if errors.is_empty() {
        order::evaluation_order(&mut program, &mut errors);
    }
    errors.finish(program)
}

/// The list of records `name` names (a check's `each`, a letter's
/// `select.LIST`), or an error at `span` that lists the rulebook's lists;
/// `what` is how the message names the place (`` `select.items` ``).
pub(crate) fn list_named(
    prog: &Program,
    names: &HashMap<String, Named>,
    name: &str,
    what: &str,
    span: Span,
) -> Result<ListId, crate::diagnostic::Diagnostic> {
    match names.get(name) {
        Some(Named::Fact(f)) => prog.facts[*f as usize].records,
        _ => None,
    }
    .ok_or_else(|| {
        let lists: Vec<&str> = prog.lists.iter().map(|l| prog.facts[l.fact as usize].name.as_str()).collect();
        crate::diagnostic::Diagnostic::new("check::each", format!("{what}`{name}` is not a list of records"), span)
            .label("not a list of records")
            .help(name_hint(name, &lists))
    })
}

/// Help text listing names close to a wrong one.
pub(crate) fn name_hint(wrong: &str, names: &[&str]) -> String {
    suggest(wrong, names, "name")
}
