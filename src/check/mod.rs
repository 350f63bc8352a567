//! Check: declarations → a [`Program`]. Names are resolved to slots, every
//! expression is typed, rule order and the exception graph are built, and
//! conflicts, missing citations and cycles are reported — all errors at once.

mod declarations;
mod exceptions;
mod expr;
pub mod ir;
mod order;
mod rules;

use crate::diagnostic::{suggest, Diagnostics};
use crate::rulebook::{Declarations, Meta, SourceDecl, TestDecl};
use crate::source::{SourceId, Span};
use crate::time::Calendar;
use crate::value::Value;
use crate::value::{Symbols, Type};
use declarations::Declared;
use ir::{ConcId, FactId, Ir, ListId, OptId, RuleId, Slot};
use std::collections::HashMap;

#[derive(Clone, Debug)]
pub struct OptionDef {
    pub name: String,
    pub span: Span,
    pub ty: Type,
    pub default: Value,
    pub doc: Option<String>,
}

/// A fact or a field of a list of records.
#[derive(Clone, Debug)]
pub struct FactDef {
    pub name: String,
    pub span: Span,
    pub ty: Type,
    pub optional: bool,
    pub default: Option<Value>,
    pub doc: Option<String>,
    /// Set for a list of records.
    pub records: Option<ListId>,
}

#[derive(Clone, Debug)]
pub struct ListDef {
    pub fact: FactId,
    /// What one element is called in rules (`item`).
    pub element: String,
    pub fields: Vec<FactDef>,
}

#[derive(Clone, Debug)]
pub struct ConclusionDef {
    pub name: String,
    pub span: Span,
    pub ty: Type,
    pub per_item: Option<ListId>,
    pub internal: bool,
    pub doc: Option<String>,
    pub rules: Vec<RuleId>,
}

#[derive(Clone, Debug)]
pub struct RuleDef {
    pub id: String,
    pub span: Span,
    pub conclusion: ConcId,
    pub when: Option<Ir>,
    pub value: Ir,
    pub because: Option<String>,
    pub cite: String,
    /// Rules that override this one, directly or through a chain.
    pub defeaters: Vec<RuleId>,
    /// Rules this one overrides, directly or through a chain.
    pub defeats: Vec<RuleId>,
    /// This rule's place among its conclusion's rules, and the two lists
    /// above as bit sets over those places (for evaluation).
    pub local: u32,
    pub defeaters_mask: Vec<u64>,
    pub defeats_mask: Vec<u64>,
    /// What the rule reads, for the trace.
    pub reads: Vec<Slot>,
    /// Its expressions are deep enough to need a guarded stack when evaluated.
    pub deep: bool,
}

/// The calendar a rulebook selected, with its options resolved.
#[derive(Clone, Debug)]
pub struct CalendarUse {
    pub calendar: Calendar,
    pub path: String,
    /// Per holiday: the option that switches it on, if any (filled by the checker).
    pub gates: Vec<Option<OptId>>,
}

/// A checked rulebook, ready to evaluate.
#[derive(Clone, Debug)]
pub struct Program {
    pub src: SourceId,
    pub meta: Meta,
    pub symbols: Symbols,
    pub sources: Vec<SourceDecl>,
    pub options: Vec<OptionDef>,
    pub facts: Vec<FactDef>,
    pub lists: Vec<ListDef>,
    pub conclusions: Vec<ConclusionDef>,
    pub rules: Vec<RuleDef>,
    /// Conclusions in evaluation order.
    pub order: Vec<ConcId>,
    pub calendar: Option<CalendarUse>,
    pub tests: Vec<TestDecl>,
    pub checks: Vec<CheckDef>,
    /// Fact names and the groups above them, for reading scenarios.
    pub names: FactNames,
    /// Conclusion names and whether each is per item, by conclusion id;
    /// shared with every [`Verdicts`](crate::Verdicts) so they answer by name.
    pub conclusion_names: ConclusionNames,
}

/// Conclusion names by id, and which are per item (shared, cheap to clone).
pub type ConclusionNames = std::sync::Arc<[(String, bool)]>;

/// Every fact by its full name, and every group of facts (`contract` for
/// `contract.kind`), so a scenario's keys are found without searching.
#[derive(Clone, Debug, Default)]
pub struct FactNames {
    pub facts: HashMap<String, FactId, NameHash>,
    pub groups: std::collections::HashSet<String, NameHash>,
}

/// A quick hash for the few dozen names of a rulebook, looked up for every
/// key of every scenario (the default hasher costs more than the lookup).
/// The tables are built from the rulebook, not from the scenario, so no input
/// can crowd a bucket.
pub type NameHash = rustc_hash::FxBuildHasher;

impl FactNames {
    fn of(facts: &[FactDef]) -> FactNames {
        let mut names = FactNames::default();
        for (i, f) in facts.iter().enumerate() {
            names.facts.insert(f.name.clone(), i as FactId);
            let mut prefix = f.name.as_str();
            while let Some((group, _)) = prefix.rsplit_once('.') {
                names.groups.insert(group.to_string());
                prefix = group;
            }
        }
        names
    }
}

/// A condition on the facts of every scenario.
#[derive(Clone, Debug)]
pub struct CheckDef {
    pub id: String,
    pub each: Option<ListId>,
    pub require: Ir,
    pub message: String,
    pub hint: Option<String>,
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
    let Declared { symbols, names, options, facts, lists, conclusions } = declared;
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
        names: FactNames::default(),
        conclusion_names: ConclusionNames::from([]),
    };
    program.names = FactNames::of(&program.facts);
    program.conclusion_names =
        program.conclusions.iter().map(|c| (c.name.clone(), c.per_item.is_some())).collect::<Vec<_>>().into();
    let names: HashMap<String, Named> = names.into_iter().map(|(k, (n, _))| (k, n)).collect();
    let typed = rules::typed_rules(&mut program, &decls, &names, &mut errors);
    exceptions::link(&mut program, &decls, typed, &mut errors);
    program.checks = rules::checks(&program, &decls, &names, &mut errors);
    if errors.is_empty() {
        order::evaluation_order(&mut program, &mut errors);
    }
    errors.finish(program)
}

/// Help text listing names close to a wrong one.
pub(crate) fn name_hint(wrong: &str, names: &[&str]) -> String {
    suggest(wrong, names, "name")
}
