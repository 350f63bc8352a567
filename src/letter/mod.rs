//! Letters: the templates a rulebook declares (`[letters.NAME]`), decided
//! and filled in for one scenario.
//!
//! [`assess`] evaluates a scenario together with every letter's `when` and
//! says, per letter, whether it applies (and why not) and whether every
//! value it states is known. [`fill`] writes one letter in a language: its
//! placeholders become the facts and verdicts in that language's forms
//! (`maandag 23 maart 2026`, `€ 94,90`), blanks stay blanks. A letter states
//! no date or amount of its own (the rulebook check refuses one), and one
//! whose values are not all known is not written: [`Missing`] says what it
//! needs. [`render`] turns a filled letter into wrapped text or an HTML page.
//!
//! ```
//! use verdict::letter::{assess, fill, Applies};
//! use verdict::text::{Lang, Locale};
//! use verdict::{Rulebook, ScenarioInput, SourceMap};
//!
//! let text = r#"
//! [rulebook]
//! id = "x"
//! title = "X"
//! version = "1"
//! languages = ["en"]
//! [sources]
//! LAW = { title = "A law" }
//! [facts.order.placed_on]
//! type = "date"
//! doc = "Day of the order."
//! [conclusions.refund.deadline]
//! type = "date"
//! doc = "Last day to refund."
//! [[rules]]
//! id = "deadline"
//! concludes = "refund.deadline"
//! value = 'order.placed_on + 14 days'
//! because = "Fourteen days."
//! cite = "LAW art. 1"
//! [letters.reminder]
//! title = "Refund reminder"
//! when = 'refund.deadline is after 2026-01-01'
//! cite = "LAW art. 1"
//! body = "You had to refund me by {refund.deadline} ({cite}). {blank:name}"
//! "#;
//! let mut sources = SourceMap::new();
//! let rb = Rulebook::from_str(&mut sources, "x.toml", text).unwrap();
//! let input = ScenarioInput::Text { name: "s.toml", text: "order.placed_on = 2026-03-02\n" };
//! let scenario = rb.scenario(&mut sources, input).unwrap();
//! let options = scenario.version.default_options();
//! let assessed = assess(&scenario.version.program, &scenario.facts, &options).unwrap();
//! assert!(matches!(assessed.letters[0].applies, Applies::Yes));
//! let letter = fill(&scenario.version.program, &scenario.facts, &options, &assessed.verdicts, 0, Lang::En).unwrap();
//! let plain = verdict::letter::render::text(&letter, 72);
//! assert!(plain.contains("by Monday 16 March 2026 (LAW art. 1). …………"), "{plain}");
//! ```

pub mod render;

use crate::check::ir::{ConcId, Ir, ListId, Op, Slot};
use crate::check::{ConclusionDef, LetterPiece, Program, RuleDef};
use crate::eval::{EvalError, FailedPart, Need, OptionValues, Outcome, RuleStatus, Verdicts};
use crate::facts::Facts;
use crate::text::{Lang, Locale};
use crate::value::{Type, Value};

/// Whether a letter's `when` holds for a scenario.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Applies {
    /// It holds (or the letter has no `when`).
    Yes,
    /// It does not hold; the part that was false and the values it read.
    No(Option<FailedPart>),
    /// It cannot be decided without these facts.
    Undetermined(Vec<Need>),
}

/// What a letter needs before it can be written: facts the scenario does not
/// give, and conclusions that do not apply to it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Missing {
    /// Facts to give, as a scenario writes them (`refund.paid`, `items[0].received_on`).
    pub needs: Vec<String>,
    /// Placeholders whose fact or conclusion has no value here (`refund.amount`).
    pub not_applying: Vec<String>,
    /// Every placeholder that could not be filled, in body order.
    pub unfilled: Vec<String>,
}

impl Missing {
    /// Nothing is missing.
    pub fn is_empty(&self) -> bool {
        self.needs.is_empty() && self.not_applying.is_empty()
    }
}

/// One letter of the rulebook, assessed for a scenario.
#[derive(Clone, Debug)]
pub struct LetterStatus {
    /// The letter, by its place in `Program::letters`.
    pub index: usize,
    /// Whether its condition holds.
    pub applies: Applies,
    /// What its placeholders need that is not known (empty: it can be written).
    pub missing: Missing,
}

/// A scenario's verdicts with every letter assessed.
#[derive(Clone, Debug)]
pub struct Assessed {
    /// The verdicts the letters are filled from (the rulebook's own
    /// conclusions first, then one per letter's `when`).
    pub verdicts: Verdicts,
    /// Each letter of the rulebook, in file order.
    pub letters: Vec<LetterStatus>,
}

/// Evaluates the scenario with each letter's `when` and assesses every letter.
pub fn assess(prog: &Program, facts: &Facts, options: &OptionValues) -> Result<Assessed, EvalError> {
    let verdicts = with_conditions(prog).evaluate(facts, options, true)?;
    let letters = layout(prog)
        .iter()
        .enumerate()
        .map(|(index, at)| {
            let applies = match at.when {
                None => Applies::Yes,
                Some(c) => match &verdicts.global[c as usize] {
                    Outcome::Value(Value::Bool(true)) => Applies::Yes,
                    Outcome::Undetermined(needs) => Applies::Undetermined(needs.clone()),
                    _ => {
                        let failed = verdicts.trace.iter().find(|e| e.conclusion == c).and_then(|e| {
                            e.considered.iter().find_map(|(_, st)| match st {
                                RuleStatus::NotApplicable { failed } => failed.clone(),
                                _ => None,
                            })
                        });
                        Applies::No(failed)
                    }
                },
            };
            let missing =
                values(prog, facts, options, &verdicts, index, &at.select, Locale::default()).err().unwrap_or_default();
            LetterStatus { index, applies, missing }
        })
        .collect();
    Ok(Assessed { verdicts, letters })
}

/// Where [`with_conditions`] puts a letter's conditions among the
/// conclusions: its `when`, and one per-item conclusion per `select`.
struct Layout {
    when: Option<ConcId>,
    select: Vec<(ListId, ConcId)>,
}

/// Every letter's [`Layout`], in letter order: the conditions follow the
/// program's own conclusions, each letter's `when` before its `select`s.
fn layout(prog: &Program) -> Vec<Layout> {
    let mut next = prog.conclusions.len() as ConcId;
    let mut take = || {
        next += 1;
        next - 1
    };
    prog.letters
        .iter()
        .map(|l| Layout {
            when: l.when.as_ref().map(|_| take()),
            select: l.select.iter().map(|(list, _)| (*list, take())).collect(),
        })
        .collect()
}

/// The program with one internal conclusion per letter's `when` and one
/// per-item conclusion per `select`, decided after every other (nothing
/// reads them), laid out as [`layout`] says.
fn with_conditions(prog: &Program) -> Program {
    let mut with = prog.clone();
    for (l, at) in prog.letters.iter().zip(layout(prog)) {
        let conditions = l.when.iter().zip(at.when).map(|(w, c)| (format!("letter {}", l.name), None, w, c));
        let selects = l
            .select
            .iter()
            .zip(at.select)
            .map(|((list, w), (_, c))| (format!("letter {} select {list}", l.name), Some(*list), w, c));
        for (name, per_item, when, c) in conditions.chain(selects) {
            debug_assert_eq!(c as usize, with.conclusions.len(), "the layout and the conclusions agree");
            let rid = with.rules.len() as u32;
            let mut reads = Vec::new();
            when.slots(&mut reads);
            with.conclusions.push(ConclusionDef {
                name: name.clone(),
                span: l.span,
                ty: Type::Bool,
                per_item,
                internal: true,
                doc: None,
                rules: vec![rid],
            });
            with.rules.push(RuleDef {
                id: name,
                span: l.span,
                conclusion: c,
                when: Some(when.clone()),
                value: Ir { op: Op::Const(Value::Bool(true)), ty: Type::Bool, span: when.span },
                because: None,
                cite: l.cite.clone(),
                defeaters: Vec::new(),
                defeats: Vec::new(),
                local: 0,
                defeaters_mask: Vec::new(),
                defeats_mask: Vec::new(),
                reads,
                deep: when.depth() > 64,
            });
            with.order.push(c);
        }
    }
    with.conclusion_names =
        with.conclusions.iter().map(|c| (c.name.clone(), c.per_item.is_some())).collect::<Vec<_>>().into();
    with
}

/// A letter written in one language, ready to render.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Letter {
    /// The title, in the language (or the default title, marked).
    pub title: String,
    /// The body: text with the values filled in, and blanks.
    pub body: Vec<Filled>,
    /// The language written in (`nl`).
    pub lang: String,
    /// The language the body had to fall back to, when it is not given in `lang`.
    pub fallback: Option<String>,
}

/// A piece of a written letter.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Filled {
    /// Text, with the values already written in.
    Text(String),
    /// A line the consumer fills in by hand, with its name.
    Blank(String),
}

/// Writes letter `index` of `prog` in `lang` from the scenario's verdicts
/// (those of [`assess`]), or says what it still needs.
pub fn fill(
    prog: &Program,
    facts: &Facts,
    options: &OptionValues,
    verdicts: &Verdicts,
    index: usize,
    lang: Lang,
) -> Result<Letter, Missing> {
    let loc = Locale::of(lang);
    let select = layout(prog).swap_remove(index).select;
    let body = values(prog, facts, options, verdicts, index, &select, loc)?;
    let l = &prog.letters[index];
    let first = prog.meta.languages.first().map(String::as_str);
    let (pieces, fallback) = l.pieces(lang.code(), first);
    let mut texts = body.into_iter();
    let mut out: Vec<Filled> = Vec::new();
    let push = |s: &str, out: &mut Vec<Filled>| match out.last_mut() {
        Some(Filled::Text(t)) => t.push_str(s),
        _ => out.push(Filled::Text(s.to_string())),
    };
    for p in pieces {
        match p {
            LetterPiece::Text(t) => push(t, &mut out),
            LetterPiece::Value { .. } => push(&texts.next().unwrap_or_default(), &mut out),
            LetterPiece::Cite => push(&l.cite, &mut out),
            LetterPiece::Blank(b) => out.push(Filled::Blank(b.clone())),
        }
    }
    let title = match l.title.in_lang(lang.code(), first) {
        (t, None) => t.to_string(),
        (t, Some(of)) => loc.msg("fallback", &[("lang", of), ("text", t)]),
    };
    Ok(Letter { title, body: out, lang: lang.code().to_string(), fallback: fallback.map(str::to_string) })
}

/// The values of letter `index`'s placeholders (in the body of the
/// locale's language), written in the locale, or everything missing; a list
/// placeholder names the elements its `select` conclusion holds for.
fn values(
    prog: &Program,
    facts: &Facts,
    options: &OptionValues,
    verdicts: &Verdicts,
    index: usize,
    select: &[(ListId, ConcId)],
    loc: Locale,
) -> Result<Vec<String>, Missing> {
    let l = &prog.letters[index];
    let first = prog.meta.languages.first().map(String::as_str);
    let mut missing = Missing::default();
    let mut out = Vec::new();
    // every language's placeholders must be known: the listing speaks for all of them
    let langs: Vec<&[LetterPiece]> =
        std::iter::once(l.pieces(loc.lang.code(), first).0).chain(l.bodies.iter().map(|(_, p)| p.as_slice())).collect();
    for (k, pieces) in langs.iter().enumerate() {
        for p in pieces.iter() {
            let LetterPiece::Value { slot, name, .. } = p else { continue };
            match value(prog, facts, options, verdicts, select, *slot) {
                Ok(v) if k == 0 => out.push(show(prog, &v, loc)),
                Ok(_) => {}
                Err(Some(needs)) => {
                    missing.needs.extend(needs.iter().map(|n| n.name(prog)));
                    missing.unfilled.push(name.clone());
                }
                Err(None) => {
                    missing.not_applying.push(name.clone());
                    missing.unfilled.push(name.clone());
                }
            }
        }
    }
    missing.needs.sort();
    missing.needs.dedup();
    missing.not_applying.sort();
    missing.not_applying.dedup();
    if missing.is_empty() {
        Ok(out)
    } else {
        Err(missing)
    }
}

/// A placeholder's value: `Err(Some(needs))` when it cannot be decided,
/// `Err(None)` when it does not apply (an absent fact or conclusion, an
/// empty list); a list holds the elements `select` holds for.
fn value(
    prog: &Program,
    facts: &Facts,
    options: &OptionValues,
    verdicts: &Verdicts,
    select: &[(ListId, ConcId)],
    slot: Slot,
) -> Result<Value, Option<Vec<Need>>> {
    // whether element `i` of `list` is named: Err(needs) when undecided
    let selected = |list: ListId, i: usize| -> Result<bool, Vec<Need>> {
        let Some((_, c)) = select.iter().find(|(l, _)| *l == list) else { return Ok(true) };
        match verdicts.per_item[*c as usize].get(i) {
            Some(Outcome::Value(Value::Bool(b))) => Ok(*b),
            Some(Outcome::Undetermined(n)) => Err(n.clone()),
            _ => Ok(false),
        }
    };
    // element `i`'s value when it is named, its needs when that is undecided
    let pick = |list: ListId, i: usize, value: &dyn Fn() -> Result<Value, Option<Vec<Need>>>| match selected(list, i) {
        Ok(true) => Some(value()),
        Ok(false) => None,
        Err(n) => Some(Err(Some(n))),
    };
    let outcome = |o: &Outcome| match o {
        Outcome::Value(v) => Ok(v.clone()),
        Outcome::Absent => Err(None),
        Outcome::Undetermined(n) => Err(Some(n.clone())),
    };
    let list = |vs: Vec<Result<Value, Option<Vec<Need>>>>| {
        let mut out = Vec::new();
        let mut needs = Vec::new();
        for v in vs {
            match v {
                Ok(v) => out.push(v),
                Err(Some(n)) => needs.extend(n),
                Err(None) => {}
            }
        }
        match (needs.is_empty(), out.is_empty()) {
            (false, _) => Err(Some(needs)),
            (true, true) => Err(None),
            (true, false) => Ok(Value::List(out.into())),
        }
    };
    match slot {
        Slot::Fact(f) => facts.values[f as usize].clone().ok_or_else(|| {
            if prog.facts[f as usize].optional {
                Some(vec![Need::Fact(f)])
            } else {
                None
            }
        }),
        Slot::Option(o) => Ok(options.values[o as usize].clone()),
        Slot::Conclusion(c) => outcome(&verdicts.global[c as usize]),
        Slot::ListConclusion(c) => {
            let l = prog.conclusions[c as usize].per_item.unwrap_or_default();
            let outcomes = verdicts.per_item[c as usize].iter().enumerate();
            list(outcomes.filter_map(|(i, o)| pick(l, i, &|| outcome(o))).collect())
        }
        Slot::ListField(l, f) => list(
            facts.lists[l as usize]
                .iter()
                .enumerate()
                .filter_map(|(i, r)| {
                    pick(l, i, &|| {
                        r[f as usize].clone().ok_or(Some(vec![Need::Field { list: l, item: i as u32, field: f }]))
                    })
                })
                .collect(),
        ),
        _ => Err(None),
    }
}

/// A value as a letter in the locale's language writes it.
fn show(prog: &Program, v: &Value, loc: Locale) -> String {
    match v {
        Value::Date(d) => loc.date(*d),
        // an amount is never broken over two lines (`134,90 €`)
        Value::Money(m) => loc.money(*m).replace(' ', "\u{a0}"),
        Value::Decimal(d) => loc.decimal(*d),
        Value::Bool(b) => loc.yes_no(*b),
        Value::Interval(a, b) => loc.msg("range", &[("from", &loc.date(*a)), ("to", &loc.date(*b))]),
        Value::Duration(n, u) => {
            let key = format!("{}-{}", u.name(1).replace(' ', "-"), if *n == 1 { "one" } else { "other" });
            format!("{n} {}", loc.msg(&key, &[]))
        }
        Value::List(items) => {
            let parts: Vec<String> = items.iter().map(|i| show(prog, i, loc)).collect();
            parts.join(", ")
        }
        other => other.display(&prog.symbols),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::test_support::{fails_with, load};
    use crate::ScenarioInput;

    /// Facts, a refund deadline, and a letter with `when` and `body` as given.
    fn with(when: &str, body: &str) -> String {
        format!(
            r#"
[facts.as_of]
type = "date"
optional = true
doc = "The day."

[facts.order.placed_on]
type = "date"
doc = "Day of the order."

[facts.order.paid]
type = "money"
optional = true
doc = "Paid."

[facts.items]
type = "list of item"
doc = "Goods."

[facts.items.fields.name]
type = "text"
doc = "Name."

[conclusions.refund.deadline]
type = "date"
doc = "Last day to refund."

[conclusions.refund.amount]
type = "money"
internal = true
doc = "What to refund."

[[rules]]
id = "deadline"
concludes = "refund.deadline"
value = 'order.placed_on + 14 days'
because = "Fourteen days."
cite = "LAW art. 1"

[[rules]]
id = "amount"
concludes = "refund.amount"
when = 'order.paid > EUR 0.00'
value = 'order.paid'
because = "The price."
cite = "LAW art. 2"

[letters.demand]
title = "Refund"
when = '{when}'
cite = "LAW art. 1"
body = '''{body}'''
"#
        )
    }

    /// The letter's status for `scenario`, and its text when it can be written.
    fn run(rulebook: &str, scenario: &str) -> (LetterStatus, Option<String>) {
        let (rb, mut sources) = load(rulebook);
        let s = rb.scenario(&mut sources, ScenarioInput::Text { name: "s.toml", text: scenario }).expect("scenario");
        let prog = &s.version.program;
        let options = s.version.default_options();
        let a = assess(prog, &s.facts, &options).expect("evaluates");
        let written = fill(prog, &s.facts, &options, &a.verdicts, 0, Lang::En).ok().map(|l| render::text(&l, 72));
        (a.letters[0].clone(), written)
    }

    const BODY: &str = "Refund {refund.amount} for {items.name} by {refund.deadline} ({cite}).\nName: {blank:name}";

    #[test]
    fn a_letter_that_applies_is_filled_in_the_language() {
        let scenario = "as_of = 2026-04-01\norder.placed_on = 2026-03-02\norder.paid = \"94.90\"\n[[items]]\nname = \"jurk\"\n[[items]]\nname = \"broek\"\n";
        let (status, text) = run(&with("refund.deadline is before as_of", BODY), scenario);
        assert_eq!(status.applies, Applies::Yes);
        let text = text.expect("written");
        assert!(text.contains("Refund €94.90 for jurk, broek by Monday 16 March 2026 (LAW art. 1)."), "{text}");
        assert!(text.ends_with("Name: …………\n"), "{text}");
    }

    #[test]
    fn a_false_condition_says_which_part_and_an_unknown_one_what_it_needs() {
        let body = with("refund.deadline is before as_of", BODY);
        let (status, _) = run(&body, "as_of = 2026-03-10\norder.placed_on = 2026-03-02\norder.paid = \"1.00\"\n");
        assert!(matches!(status.applies, Applies::No(Some(_))), "{:?}", status.applies);
        let (status, _) = run(&body, "order.placed_on = 2026-03-02\norder.paid = \"1.00\"\n");
        assert!(matches!(&status.applies, Applies::Undetermined(n) if n.len() == 1), "{:?}", status.applies);
    }

    #[test]
    fn a_letter_whose_values_are_not_all_known_is_not_written() {
        let (status, text) = run(&with("refund.deadline is after 2026-01-01", BODY), "order.placed_on = 2026-03-02\n");
        assert_eq!(status.applies, Applies::Yes);
        assert_eq!(status.missing.needs, vec!["order.paid".to_string()]);
        assert!(status.missing.not_applying.contains(&"items.name".to_string()), "{:?}", status.missing);
        assert!(text.is_none());
    }

    /// `with`, the items having a yes/no field `returned` that may be left out,
    /// and the letter selecting its items by `select`.
    fn selecting(select: &str) -> String {
        with("true", "Refund for {items.name}.").replace(
            "[conclusions.refund.deadline]",
            "[facts.items.fields.returned]\ntype = \"bool\"\noptional = true\ndoc = \"Sent back.\"\n\n[conclusions.refund.deadline]",
        )
        .replace("cite = \"LAW art. 1\"\nbody", &format!("select.items = '{select}'\ncite = \"LAW art. 1\"\nbody"))
    }

    #[test]
    fn select_names_only_the_elements_that_meet_its_condition() {
        let items = |a: &str, b: &str| {
            format!("order.placed_on = 2026-03-02\n[[items]]\nname = \"jurk\"\n{a}[[items]]\nname = \"broek\"\n{b}")
        };
        let rb = selecting("item.returned");
        let (_, text) = run(&rb, &items("returned = false\n", "returned = true\n"));
        assert!(text.as_deref().is_some_and(|t| t.contains("Refund for broek.")), "{text:?}");
        // none selected: the placeholder has no value, the letter is not written
        let (status, text) = run(&rb, &items("returned = false\n", "returned = false\n"));
        assert_eq!(status.missing.not_applying, vec!["items.name".to_string()]);
        assert!(text.is_none());
        // an element whose condition cannot be decided: its fact is needed
        let (status, text) = run(&rb, &items("returned = true\n", ""));
        assert_eq!(status.missing.needs, vec!["items[1].returned".to_string()], "{:?}", status.missing);
        assert!(text.is_none());
        // the whole list without `select`
        let (_, text) = run(&with("true", "Refund for {items.name}."), &items("", ""));
        assert!(text.as_deref().is_some_and(|t| t.contains("Refund for jurk, broek.")), "{text:?}");
    }

    #[test]
    fn select_is_checked_at_load() {
        let wrong_list = selecting("item.returned").replace("select.items", "select.order");
        fails_with(&wrong_list, "check::each", "`select.order`: `order` is not a list of records");
        fails_with(&selecting("item.name"), "check::type", "a letter's `select` must be true or false");
        fails_with(&selecting("item.retuned"), "check::unknown-name", "`item` has no field or conclusion `retuned`");
    }

    #[test]
    fn placeholders_are_checked_at_load() {
        fails_with(&with("true", "by {refund.deadlin}"), "check::unknown-placeholder", "`refund.deadlin`");
        fails_with(&with("true", "for {items}"), "check::placeholder-type", "a list of records");
        fails_with(&with("true", "by 2026-05-01"), "rulebook::letter-literal", "`2026-05-01`");
        fails_with(&with("true", "pay €12,50"), "rulebook::letter-literal", "`€12,50`");
        let dated = with("true", "x").replace("title = \"Refund\"", "title = \"Refund of 1 May 2026\"");
        fails_with(&dated, "rulebook::letter-literal", "`1 May 2026`");
        fails_with(&with("true", "{Name}"), "rulebook::letter-placeholder", "`Name`");
        fails_with(&with("refund.deadline", "x"), "check::type", "a letter's `when` must be true or false");
        fails_with(&with("refund.deadlin is given", "x"), "check::unknown-name", "refund.deadlin");
        let no_cite = with("true", "x").replace("cite = \"LAW art. 1\"\nbody", "body");
        fails_with(&no_cite, "check::missing-cite", "letter `demand` cites no source");
        let bad_cite = with("true", "x").replace("cite = \"LAW art. 1\"\nbody", "cite = \"WET art. 1\"\nbody");
        fails_with(&bad_cite, "check::unknown-source", "WET art. 1");
    }

    #[test]
    fn fmt_lays_out_a_letters_when_and_keeps_its_body() {
        let text = crate::test_support::rulebook(&with("refund.deadline   is before(as_of)", BODY));
        let mut sources = crate::SourceMap::new();
        let out = crate::format::format_rulebook(&mut sources, "t.toml", &text).expect("formats");
        assert!(out.contains("when = 'refund.deadline is before (as_of)'"), "{out}");
        assert!(out.contains(BODY), "{out}");
    }

    #[test]
    fn a_missing_translation_of_a_letter_is_linted() {
        let text = with("true", "x")
            .replace("[facts.as_of]", "[letters.other]\ntitle.en = \"T\"\ntitle.nl = \"T\"\ncite = \"LAW art. 1\"\nbody.en = \"x\"\n\n[facts.as_of]");
        let text = crate::test_support::rulebook(&text)
            .replace("version = \"1\"", "version = \"1\"\nlanguages = [\"en\", \"nl\"]");
        let mut sources = crate::SourceMap::new();
        let rb = crate::Rulebook::from_str(&mut sources, "t.toml", &text).expect("checks");
        let lints: Vec<String> = rb.lints(&sources).into_iter().map(|d| d.message).collect();
        assert!(lints.iter().any(|m| m == "the body of letter `other` is not given in `nl`"), "{lints:?}");
        assert!(!lints.iter().any(|m| m == "the title of letter `other` is not given in `nl`"), "{lints:?}");
    }
}
