//! Properties, checked on generated inputs with proptest against the shipped calendars
//! and rulebooks: statutory deadlines land on working days, move forward with the event
//! and are never shortened by a suspension; evaluation is deterministic and does not
//! depend on the order of `[[items]]`; money has two decimals in the JSON output, which
//! parses and round-trips.
//!
//! Each property runs a fixed number of cases (`ProptestConfig::cases`), debug or release.
//! A minimal failing input that proptest finds is kept below as a plain `#[test]`.

use crate::util::root;
use chrono::{Datelike, Days, NaiveDate};
use proptest::prelude::*;
use proptest::sample::select;
use serde_json::{json, Map, Value as J};
use std::sync::OnceLock;
use verdict::eval::Need;
use verdict::input::parse_json;
use verdict::load::load_calendar;
use verdict::source::Span;
use verdict::syntax::ast::Unit;
use verdict::time::{legal_period, Calendar, Suspension, TimeError};
use verdict::value::Type;
use verdict::{OptionValues, Outcome, Rulebook, SourceMap, Verdicts};

fn config(cases: u32) -> ProptestConfig {
    // no regression files in the repository: failures become plain tests below
    ProptestConfig { cases, failure_persistence: None, ..ProptestConfig::default() }
}

// ---------------------------------------------------------------------------------------
// The shipped calendars and rulebooks, loaded once
// ---------------------------------------------------------------------------------------

fn calendars() -> &'static [(&'static str, Calendar)] {
    static CALS: OnceLock<Vec<(&'static str, Calendar)>> = OnceLock::new();
    CALS.get_or_init(|| {
        ["nl", "be"]
            .into_iter()
            .map(|id| {
                let path = root().join(format!("rulebooks/calendars/{id}.toml"));
                let cal = load_calendar(&mut SourceMap::new(), &path, Span::default())
                    .unwrap_or_else(|e| panic!("the {id} calendar loads: {e:?}"));
                (id, cal.calendar)
            })
            .collect()
    })
}

const WITHDRAWAL: &str = "rulebooks/nl/withdrawal.toml";
const COLLECTION: &str = "rulebooks/nl/collection-costs.toml";

fn rulebook(rel: &'static str) -> &'static Rulebook {
    static WD: OnceLock<Rulebook> = OnceLock::new();
    static CC: OnceLock<Rulebook> = OnceLock::new();
    let cell = if rel == WITHDRAWAL { &WD } else { &CC };
    cell.get_or_init(|| {
        Rulebook::load(&mut SourceMap::new(), &root().join(rel)).unwrap_or_else(|e| panic!("{rel} loads: {e:?}"))
    })
}

// ---------------------------------------------------------------------------------------
// Periods
// ---------------------------------------------------------------------------------------

fn date_between(from: NaiveDate, to: NaiveDate) -> impl Strategy<Value = NaiveDate> {
    let span = (to - from).num_days() as u64;
    (0..=span).prop_map(move |d| from + Days::new(d))
}

fn ymd(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a valid date")
}

fn event_date() -> impl Strategy<Value = NaiveDate> {
    date_between(ymd(1950, 1, 1), ymd(2150, 12, 31))
}

/// A period length: 1–400 days, 1–24 months, 1–30 working days (and some weeks and years).
fn length() -> impl Strategy<Value = (i64, Unit)> {
    prop_oneof![
        3 => (1i64..=400).prop_map(|n| (n, Unit::Days)),
        2 => (1i64..=24).prop_map(|n| (n, Unit::Months)),
        2 => (1i64..=30).prop_map(|n| (n, Unit::WorkingDays)),
        1 => (1i64..=57).prop_map(|n| (n, Unit::Weeks)),
        1 => (1i64..=3).prop_map(|n| (n, Unit::Years)),
    ]
}

/// A calendar and which of its optional holidays are switched on (a bit per holiday).
fn calendar() -> impl Strategy<Value = (usize, u64)> {
    (0..calendars().len(), any::<u64>())
}

fn enabled(mask: u64) -> impl Fn(usize) -> bool {
    move |i| mask & (1u64 << (i % 64)) != 0
}

fn is_working(cal: &Calendar, d: NaiveDate, mask: u64) -> bool {
    !cal.is_weekend(d) && cal.holiday_on(d, &enabled(mask)).is_none()
}

fn deadline(event: NaiveDate, (n, unit): (i64, Unit), (c, mask): (usize, u64), s: Option<Suspension>) -> NaiveDate {
    let cal = &calendars()[c].1;
    legal_period(event, n, unit, true, s, Some(cal), &enabled(mask))
        .unwrap_or_else(|e| panic!("period {n} {unit:?} after {event}: {e}"))
        .last
}

/// Intervals around an event: offsets from the event day and lengths in days.
fn intervals() -> impl Strategy<Value = Vec<(i64, u64)>> {
    prop::collection::vec((-30i64..=150, 0u64..=60), 0..4)
}

fn place(event: NaiveDate, raw: &[(i64, u64)]) -> Vec<(NaiveDate, NaiveDate)> {
    raw.iter()
        .map(|&(off, len)| {
            let from = if off >= 0 { event + Days::new(off as u64) } else { event - Days::new(off.unsigned_abs()) };
            (from, from + Days::new(len))
        })
        .collect()
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn a_statutory_deadline_is_the_first_working_day_on_or_after_the_raw_last_day(
        event in event_date(), len in length(), cal in calendar(),
    ) {
        let (c, mask) = cal;
        let calendar = &calendars()[c].1;
        let p = legal_period(event, len.0, len.1, true, None, Some(calendar), &enabled(mask)).unwrap();
        prop_assert!(is_working(calendar, p.last, mask),
            "{} calendar: {} {:?} after {event} ends on {} ({}), not a working day",
            calendars()[c].0, len.0, len.1, p.last, p.last.weekday());
        prop_assert!(p.raw_last > event && p.last >= p.raw_last);
        let mut d = p.raw_last;
        while d < p.last {
            prop_assert!(!is_working(calendar, d, mask), "skipped the working day {d} on the way to {}", p.last);
            d = d.succ_opt().unwrap();
        }
        if len.1 == Unit::WorkingDays {
            // exactly n working days after the event day, the last of them the raw last day
            let mut count = 0;
            let mut d = event.succ_opt().unwrap();
            while d <= p.raw_last {
                count += i64::from(is_working(calendar, d, mask));
                d = d.succ_opt().unwrap();
            }
            prop_assert_eq!(count, len.0);
            prop_assert!(is_working(calendar, p.raw_last, mask));
        }
    }

    #[test]
    fn a_deadline_never_moves_back_when_the_event_or_the_length_moves_forward(
        event in event_date(), later in 0u64..=400, longer in 0i64..=30, len in length(), cal in calendar(),
    ) {
        let first = deadline(event, len, cal, None);
        let moved = deadline(event + Days::new(later), len, cal, None);
        prop_assert!(moved >= first, "{} {:?}: after {event} ends {first}, after {} ends {moved}",
            len.0, len.1, event + Days::new(later));
        let extended = deadline(event, (len.0 + longer, len.1), cal, None);
        prop_assert!(extended >= first, "{} {:?} ends {first}, {} {:?} ends {extended}",
            len.0, len.1, len.0 + longer, len.1);
    }

    #[test]
    fn a_suspension_never_ends_a_period_earlier(
        event in date_between(ymd(1950, 1, 1), ymd(2150, 1, 1)), len in length(), cal in calendar(),
        raw in intervals(), restart in any::<bool>(), shift in any::<bool>(),
    ) {
        let (c, mask) = cal;
        let calendar = &calendars()[c].1;
        let stops = place(event, &raw);
        let plain = legal_period(event, len.0, len.1, shift, None, Some(calendar), &enabled(mask)).unwrap();
        let s = Suspension { restart, intervals: &stops };
        match legal_period(event, len.0, len.1, shift, Some(s), Some(calendar), &enabled(mask)) {
            Err(TimeError::PausedMonths) => prop_assert!(!restart && matches!(len.1, Unit::Months | Unit::Years)),
            Err(e) => prop_assert!(false, "{e}"),
            Ok(p) => {
                prop_assert!(p.last >= plain.last,
                    "{} {:?} after {event} {} {stops:?}: ends {} instead of {}",
                    len.0, len.1, if restart { "restarting after" } else { "paused during" }, p.last, plain.last);
                prop_assert!(p.raw_last >= plain.raw_last);
                if shift {
                    prop_assert!(is_working(calendar, p.last, mask), "suspended period ends on {}", p.last);
                }
            }
        }
    }

    #[test]
    fn a_suspension_after_the_period_changes_nothing(
        event in date_between(ymd(1950, 1, 1), ymd(2150, 1, 1)), len in length(), cal in calendar(),
        gaps in prop::collection::vec((1u64..=200, 0u64..=60), 1..4), restart in any::<bool>(),
    ) {
        prop_assume!(restart || !matches!(len.1, Unit::Months | Unit::Years));
        let (c, mask) = cal;
        let calendar = &calendars()[c].1;
        let plain = legal_period(event, len.0, len.1, true, None, Some(calendar), &enabled(mask)).unwrap();
        let stops: Vec<_> = gaps.iter().map(|&(gap, l)| {
            let from = plain.raw_last + Days::new(gap);
            (from, from + Days::new(l))
        }).collect();
        let p = legal_period(event, len.0, len.1, true, Some(Suspension { restart, intervals: &stops }), Some(calendar), &enabled(mask)).unwrap();
        prop_assert_eq!(p.last, plain.last);
        prop_assert!(p.paused.is_empty(), "{:?}", p.paused);
    }
}

// ---------------------------------------------------------------------------------------
// Scenarios for the NL withdrawal rulebook
// ---------------------------------------------------------------------------------------

fn day_2026() -> impl Strategy<Value = NaiveDate> {
    date_between(ymd(2026, 1, 1), ymd(2026, 12, 31))
}

fn maybe_day() -> impl Strategy<Value = Option<NaiveDate>> {
    prop::option::of(day_2026())
}

/// An amount in cents, 0.01 to 1,000,000.00.
fn cents() -> impl Strategy<Value = u64> {
    prop_oneof![1u64..=100_000_000, 1u64..=10_000, select(vec![1u64, 5, 99, 100, 250_000, 500_000, 100_000_000])]
}

/// How an amount is written in the scenario.
#[derive(Clone, Copy, Debug)]
enum Form {
    /// "94.90"
    TwoDecimals,
    /// "94.9", "94"
    Short,
    /// 94.9 (a JSON number)
    Number,
}

fn form() -> impl Strategy<Value = Form> {
    select(vec![Form::TwoDecimals, Form::Short, Form::Number])
}

fn amount(c: u64, f: Form) -> J {
    let two = format!("{}.{:02}", c / 100, c % 100);
    match f {
        Form::TwoDecimals => J::String(two),
        Form::Short => {
            let short = two.trim_end_matches('0').trim_end_matches('.').to_string();
            J::String(short)
        }
        Form::Number => json!(c as f64 / 100.0),
    }
}

fn day(d: NaiveDate) -> J {
    J::String(d.format("%Y-%m-%d").to_string())
}

const NATURES: &[&str] = &[
    "standard",
    "perishable",
    "custom_made",
    "hygiene_sealed",
    "sealed_media",
    "newspaper",
    "mixed_inseparably",
    "market_priced",
    "alcohol_market_priced",
];

#[derive(Clone, Debug)]
struct Item {
    name: u32,
    received_on: Option<NaiveDate>,
    parts: Option<Vec<NaiveDate>>,
    nature: Option<&'static str>,
    seal_broken: bool,
    cleanable: bool,
    replacement_part: bool,
}

fn item() -> impl Strategy<Value = Item> {
    (
        0u32..100,
        prop::option::weighted(0.9, day_2026()),
        prop::option::weighted(0.15, prop::collection::vec(day_2026(), 1..4)),
        prop::option::weighted(0.8, select(NATURES.to_vec())),
        any::<bool>(),
        any::<bool>(),
        any::<bool>(),
    )
        .prop_map(|(name, received_on, parts, nature, seal_broken, cleanable, replacement_part)| Item {
            name,
            received_on,
            parts,
            nature,
            seal_broken,
            cleanable,
            replacement_part,
        })
}

#[derive(Clone, Debug)]
struct Contract {
    kind: &'static str,
    channel: &'static str,
    concluded_on: NaiveDate,
    info: Option<&'static str>,
    info_received_on: Option<NaiveDate>,
    /// consent_to_start, acknowledged_loss, trader_confirmed, pro_rata_info_given
    flags: [Option<bool>; 4],
    performance_started_on: Option<NaiveDate>,
    fully_performed_on: Option<NaiveDate>,
    service_ends_on: Option<NaiveDate>,
    price: Option<(u64, Form)>,
    service_nature: Option<&'static str>,
    /// online_interface, withdrawal_function (only where the version in force has them)
    online: (bool, bool),
}

fn contract() -> impl Strategy<Value = Contract> {
    (
        (
            select(vec!["goods", "service", "goods_and_service", "digital_content", "regular_delivery"]),
            prop_oneof![4 => Just("distance"), 1 => Just("off_premises"), 1 => Just("on_premises")],
            day_2026(),
            prop::option::of(select(vec!["given", "late", "never"])),
            maybe_day(),
            prop::array::uniform4(prop::option::of(any::<bool>())),
        ),
        (
            maybe_day(),
            maybe_day(),
            maybe_day(),
            prop::option::of((cents(), form())),
            prop::option::weighted(
                0.5,
                select(vec![
                    "standard",
                    "dated_leisure",
                    "accommodation",
                    "transport",
                    "car_rental",
                    "catering",
                    "urgent_repair",
                    "public_auction",
                ]),
            ),
            (any::<bool>(), any::<bool>()),
        ),
    )
        .prop_map(|((kind, channel, concluded_on, info, info_received_on, flags), rest)| {
            let (performance_started_on, fully_performed_on, service_ends_on, price, service_nature, online) = rest;
            Contract {
                kind,
                channel,
                concluded_on,
                info,
                info_received_on,
                flags,
                performance_started_on,
                fully_performed_on,
                service_ends_on,
                price,
                service_nature,
                online,
            }
        })
}

#[derive(Clone, Debug)]
struct Withdrawal {
    contract: Contract,
    items: Vec<Item>,
    /// A permutation of the items: position k of the shuffled order holds item `order[k]`.
    order: Vec<usize>,
    sent_on: Option<NaiveDate>,
    received_by_trader_on: Option<NaiveDate>,
    paid: Option<(u64, Form)>,
    standard_delivery: Option<(u64, Form)>,
    delivery_surcharge: Option<(u64, Form)>,
    goods_received_back_on: Option<NaiveDate>,
    return_proof_sent_on: Option<NaiveDate>,
    trader_collects: Option<bool>,
    /// good_friday_is_holiday, decreed_days_are_holidays, extension_from_shifted_end,
    /// late_info_window_from, missing_withdrawal_function_extends
    options: (bool, bool, bool, &'static str, bool),
}

fn withdrawal() -> impl Strategy<Value = Withdrawal> {
    let items = prop::collection::vec(item(), 0..7).prop_flat_map(|items| {
        let n = items.len();
        (Just(items), Just((0..n).collect::<Vec<_>>()).prop_shuffle())
    });
    (
        contract(),
        items,
        (maybe_day(), maybe_day()),
        (
            prop::option::weighted(0.8, (cents(), form())),
            prop::option::of((0u64..=2_500, form())),
            prop::option::of((0u64..=2_000, form())),
        ),
        (maybe_day(), maybe_day(), prop::option::of(any::<bool>())),
        (any::<bool>(), any::<bool>(), any::<bool>(), select(vec!["start_day", "event_day"]), any::<bool>()),
    )
        .prop_map(|(contract, (items, order), sent, money, back, options)| Withdrawal {
            contract,
            items,
            order,
            sent_on: sent.0,
            received_by_trader_on: sent.1,
            paid: money.0,
            standard_delivery: money.1,
            delivery_surcharge: money.2,
            goods_received_back_on: back.0,
            return_proof_sent_on: back.1,
            trader_collects: back.2,
            options,
        })
}

fn put(m: &mut Map<String, J>, key: &str, v: Option<J>) {
    if let Some(v) = v {
        m.insert(key.to_string(), v);
    }
}

impl Withdrawal {
    /// The scenario as JSON text, items in the order given (indices into `self.items`);
    /// `online` adds the facts only the 2026.2 version has.
    fn json(&self, order: &[usize], online: bool) -> String {
        let c = &self.contract;
        let mut contract = Map::new();
        contract.insert("kind".into(), json!(c.kind));
        contract.insert("channel".into(), json!(c.channel));
        contract.insert("concluded_on".into(), day(c.concluded_on));
        put(&mut contract, "withdrawal_info", c.info.map(|s| json!(s)));
        put(&mut contract, "withdrawal_info_received_on", c.info_received_on.map(day));
        for (name, flag) in ["consent_to_start", "acknowledged_loss", "trader_confirmed", "pro_rata_info_given"]
            .into_iter()
            .zip(c.flags)
        {
            put(&mut contract, name, flag.map(J::Bool));
        }
        put(&mut contract, "performance_started_on", c.performance_started_on.map(day));
        put(&mut contract, "fully_performed_on", c.fully_performed_on.map(day));
        put(&mut contract, "service_ends_on", c.service_ends_on.map(day));
        put(&mut contract, "price", c.price.map(|(a, f)| amount(a, f)));
        put(&mut contract, "service_nature", c.service_nature.map(|s| json!(s)));
        if online {
            contract.insert("online_interface".into(), J::Bool(c.online.0));
            contract.insert("withdrawal_function".into(), J::Bool(c.online.1));
        }
        let items: Vec<J> = order
            .iter()
            .map(|&i| {
                let it = &self.items[i];
                let mut m = Map::new();
                m.insert("name".into(), json!(format!("item {}", it.name)));
                put(&mut m, "received_on", it.received_on.map(day));
                put(
                    &mut m,
                    "parts_received_on",
                    it.parts.as_ref().map(|p| J::Array(p.iter().map(|d| day(*d)).collect())),
                );
                put(&mut m, "nature", it.nature.map(|s| json!(s)));
                m.insert("seal_broken".into(), J::Bool(it.seal_broken));
                m.insert("cleanable".into(), J::Bool(it.cleanable));
                m.insert("replacement_part".into(), J::Bool(it.replacement_part));
                J::Object(m)
            })
            .collect();
        let mut w = Map::new();
        put(&mut w, "sent_on", self.sent_on.map(day));
        put(&mut w, "received_by_trader_on", self.received_by_trader_on.map(day));
        let mut r = Map::new();
        put(&mut r, "paid", self.paid.map(|(a, f)| amount(a, f)));
        put(&mut r, "standard_delivery", self.standard_delivery.map(|(a, f)| amount(a, f)));
        put(&mut r, "delivery_surcharge", self.delivery_surcharge.map(|(a, f)| amount(a, f)));
        put(&mut r, "goods_received_back_on", self.goods_received_back_on.map(day));
        put(&mut r, "return_proof_sent_on", self.return_proof_sent_on.map(day));
        put(&mut r, "trader_collects", self.trader_collects.map(J::Bool));
        let mut top = Map::new();
        top.insert("contract".into(), J::Object(contract));
        if !items.is_empty() {
            top.insert("items".into(), J::Array(items));
        }
        if !w.is_empty() {
            top.insert("withdrawal".into(), J::Object(w));
        }
        if !r.is_empty() {
            top.insert("refund".into(), J::Object(r));
        }
        J::Object(top).to_string()
    }

    /// The text for the version in force: with the online-interface facts where it has them.
    fn text(&self, order: &[usize]) -> String {
        let base = self.json(order, false);
        let version = select_version(rulebook(WITHDRAWAL), &base);
        let online = version.program.facts.iter().any(|f| f.name == "contract.online_interface");
        if online {
            self.json(order, true)
        } else {
            base
        }
    }

    fn identity(&self) -> Vec<usize> {
        (0..self.items.len()).collect()
    }

    fn sets(&self) -> Vec<(&'static str, String)> {
        let o = &self.options;
        vec![
            ("good_friday_is_holiday", o.0.to_string()),
            ("decreed_days_are_holidays", o.1.to_string()),
            ("extension_from_shifted_end", o.2.to_string()),
            ("late_info_window_from", o.3.to_string()),
            ("missing_withdrawal_function_extends", o.4.to_string()),
        ]
    }
}

fn select_version(rb: &'static Rulebook, text: &str) -> &'static Rulebook {
    let node = parse_json(verdict::source::SourceId(0), text).expect("generated JSON parses");
    rb.select(&node).map(|(v, _)| v).unwrap_or_else(|d| panic!("a version is in force: {}", d.message))
}

/// Why a scenario could not be evaluated: the diagnostic codes and messages.
#[derive(Debug)]
enum Refused {
    Load(Vec<(&'static str, String)>),
    Eval(&'static str, String),
}

/// Loads a scenario (JSON text) against the version in force and evaluates it with the
/// options given (those the version has), with the trace.
fn try_evaluate(
    rb: &'static Rulebook,
    text: &str,
    sets: &[(&str, String)],
) -> Result<(&'static Rulebook, Verdicts), Refused> {
    let mut sources = SourceMap::new();
    let id = sources.add("scenario.json", text.to_string());
    let node = parse_json(id, text).map_err(|d| Refused::Load(vec![(d.code, d.message)]))?;
    let (version, _) = rb.select(&node).map_err(|d| Refused::Load(vec![(d.code, d.message)]))?;
    let prog = &version.program;
    let facts = version
        .facts(&node)
        .map_err(|ds| Refused::Load(ds.0.iter().map(|d| (d.code, d.one_line(&sources))).collect()))?;
    let mut opts = OptionValues::defaults(prog);
    for (name, value) in sets {
        if let Some(o) = prog.option_id(name) {
            opts.set(prog, o, value).unwrap_or_else(|e| panic!("{e}"));
        }
    }
    let v = prog.evaluate(&facts, &opts, true).map_err(|e| Refused::Eval(e.code, e.message.clone()))?;
    Ok((version, v))
}

/// [`try_evaluate`] for scenarios that must evaluate.
fn evaluate(rb: &'static Rulebook, text: &str, sets: &[(&str, String)]) -> (&'static Rulebook, Verdicts) {
    try_evaluate(rb, text, sets).unwrap_or_else(|e| panic!("{e:?} for the generated scenario\n{text}"))
}

/// An outcome with the item indices of what it needs renumbered (`new_index[old]`).
fn renumber(o: &Outcome, new_index: &[usize]) -> Outcome {
    match o {
        Outcome::Undetermined(needs) => {
            let mut n: Vec<Need> = needs
                .iter()
                .map(|x| match *x {
                    Need::Field { list, item, field } => {
                        Need::Field { list, item: new_index[item as usize] as u32, field }
                    }
                    other => other,
                })
                .collect();
            n.sort();
            n.dedup();
            Outcome::Undetermined(n)
        }
        other => other.clone(),
    }
}

/// Conclusions that do not depend on the order of the items.
const ORDER_FREE: &[&str] = &["withdrawal.deadline", "withdrawal.allowed", "withdrawal.starts_on"];

fn check_order_independence(w: &Withdrawal) -> Result<(), TestCaseError> {
    let rb = rulebook(WITHDRAWAL);
    let sets = w.sets();
    let (version, a) = evaluate(rb, &w.text(&w.identity()), &sets);
    let shuffled_text = w.text(&w.order);
    let (version_b, b) = evaluate(rb, &shuffled_text, &sets);
    prop_assert!(std::ptr::eq(version, version_b), "the order of the items changed the version in force");
    let prog = &version.program;
    // new_index[original position] = position in the shuffled order
    let mut new_index = vec![0; w.order.len()];
    for (k, &i) in w.order.iter().enumerate() {
        new_index[i] = k;
    }
    for name in ORDER_FREE {
        let c = prog.conclusion_id(name).unwrap_or_else(|| panic!("{name} is a conclusion")) as usize;
        prop_assert_eq!(
            &renumber(&a.global[c], &new_index),
            &b.global[c],
            "{} changes with the order of the items {:?}\n{}",
            name,
            &w.order,
            shuffled_text
        );
    }
    for (c, def) in prog.conclusions.iter().enumerate() {
        if def.per_item.is_none() {
            continue;
        }
        prop_assert_eq!(a.per_item[c].len(), b.per_item[c].len());
        for (k, &i) in w.order.iter().enumerate() {
            prop_assert_eq!(
                &renumber(&a.per_item[c][i], &new_index),
                &b.per_item[c][k],
                "{}[{}] does not move with its item (order {:?})\n{}",
                &def.name,
                i,
                &w.order,
                shuffled_text
            );
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------
// Scenarios for the NL collection-costs rulebook
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
struct Collection {
    claims: Vec<(u64, Form, NaiveDate, Option<u32>)>,
    sent_on: Option<NaiveDate>,
    sent_by: Option<&'static str>,
    received_after: Option<u64>,
    free_of_charge: Option<bool>,
    states_consequences: Option<bool>,
    paid_on: Option<NaiveDate>,
    charged_on: Option<NaiveDate>,
    evaluation_on: Option<NaiveDate>,
    /// add_vat, vat_rate, assume_receipt
    options: (bool, &'static str, &'static str),
}

fn collection() -> impl Strategy<Value = Collection> {
    (
        prop::collection::vec((cents(), form(), day_2026(), prop::option::of(0u32..10_000)), 1..6),
        (
            prop::option::weighted(0.9, day_2026()),
            prop::option::of(select(vec!["email", "post"])),
            prop::option::of(0u64..10),
        ),
        (prop::option::weighted(0.2, any::<bool>()), prop::option::weighted(0.2, any::<bool>())),
        (maybe_day(), maybe_day(), maybe_day()),
        (any::<bool>(), select(vec!["0.21", "0.09", "0.19", "0.2133", "0"]), select(vec!["presumed", "required"])),
    )
        .prop_map(|(claims, reminder, flags, days, options)| Collection {
            claims,
            sent_on: reminder.0,
            sent_by: reminder.1,
            received_after: reminder.2,
            free_of_charge: flags.0,
            states_consequences: flags.1,
            paid_on: days.0,
            charged_on: days.1,
            evaluation_on: days.2,
            options,
        })
}

impl Collection {
    fn text(&self) -> String {
        let claims: Vec<J> = self
            .claims
            .iter()
            .map(|(c, f, due, reference)| {
                let mut m = Map::new();
                put(&mut m, "reference", reference.map(|r| json!(format!("F-{r}"))));
                m.insert("amount".into(), amount(*c, *f));
                m.insert("due_on".into(), day(*due));
                J::Object(m)
            })
            .collect();
        let mut reminder = Map::new();
        put(&mut reminder, "sent_on", self.sent_on.map(day));
        put(&mut reminder, "sent_by", self.sent_by.map(|s| json!(s)));
        if let (Some(sent), Some(after)) = (self.sent_on, self.received_after) {
            reminder.insert("received_on".into(), day(sent + Days::new(after)));
        }
        put(&mut reminder, "free_of_charge", self.free_of_charge.map(J::Bool));
        put(&mut reminder, "states_consequences", self.states_consequences.map(J::Bool));
        let mut top = Map::new();
        top.insert("claims".into(), J::Array(claims));
        if !reminder.is_empty() {
            top.insert("reminder".into(), J::Object(reminder));
        }
        if let Some(d) = self.paid_on {
            top.insert("payment".into(), json!({"paid_on": day(d)}));
        }
        if let Some(d) = self.charged_on {
            top.insert("costs".into(), json!({"charged_on": day(d)}));
        }
        if let Some(d) = self.evaluation_on {
            top.insert("evaluation".into(), json!({"on": day(d)}));
        }
        J::Object(top).to_string()
    }

    fn sets(&self) -> Vec<(&'static str, String)> {
        vec![
            ("add_vat", self.options.0.to_string()),
            ("vat_rate", self.options.1.to_string()),
            ("assume_receipt", self.options.2.to_string()),
        ]
    }
}

// ---------------------------------------------------------------------------------------
// Money
// ---------------------------------------------------------------------------------------

/// `123.45`: digits, a point, exactly two digits.
fn has_two_decimals(s: &str) -> bool {
    match s.split_once('.') {
        Some((int, frac)) => {
            !int.is_empty()
                && int.bytes().all(|b| b.is_ascii_digit())
                && frac.len() == 2
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// At least two decimals (an exact intermediate such as a tiered fee may have more).
fn has_cents(s: &str) -> bool {
    matches!(s.split_once('.'), Some((int, frac)) if !int.is_empty() && frac.len() >= 2
        && int.bytes().all(|b| b.is_ascii_digit()) && frac.bytes().all(|b| b.is_ascii_digit()))
}

/// Every money conclusion of a library evaluation, as `Value::to_json` writes it: public
/// ones with exactly two decimals, internal ones with at least two.
fn check_money(version: &Rulebook, v: &Verdicts, scenario: &str) -> Result<usize, TestCaseError> {
    let prog = &version.program;
    let mut seen = 0;
    for (c, def) in prog.conclusions.iter().enumerate() {
        if def.ty != Type::Money {
            continue;
        }
        let outcomes: Vec<&Outcome> =
            if def.per_item.is_some() { v.per_item[c].iter().collect() } else { vec![&v.global[c]] };
        for o in outcomes {
            if let Outcome::Value(val) = o {
                let j = val.to_json(&prog.symbols);
                let s = j.as_str().unwrap_or_else(|| panic!("money is written as a string: {j}"));
                seen += 1;
                if def.internal {
                    prop_assert!(
                        has_cents(s),
                        "internal {} = `{}` has fewer than two decimals\n{}",
                        &def.name,
                        s,
                        scenario
                    );
                } else {
                    prop_assert!(
                        has_two_decimals(s),
                        "{} = `{}` does not have exactly two decimals\n{}",
                        &def.name,
                        s,
                        scenario
                    );
                }
            }
        }
    }
    Ok(seen)
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn withdrawal_evaluation_is_deterministic(w in withdrawal()) {
        let rb = rulebook(WITHDRAWAL);
        let text = w.text(&w.identity());
        let (v1, a) = evaluate(rb, &text, &w.sets());
        let (v2, b) = evaluate(rb, &text, &w.sets());
        prop_assert!(std::ptr::eq(v1, v2));
        prop_assert_eq!(format!("{a:?}"), format!("{b:?}"), "two evaluations differ\n{}", text);
        let c = v1.program.conclusions.iter().position(|c| c.name == "items.withdrawable").unwrap();
        prop_assert_eq!(a.per_item[c].len(), w.items.len());
    }

    #[test]
    fn withdrawal_does_not_depend_on_the_order_of_the_items(w in withdrawal()) {
        check_order_independence(&w)?;
    }

    #[test]
    fn withdrawal_money_has_two_decimals(w in withdrawal()) {
        let text = w.text(&w.identity());
        let (version, v) = evaluate(rulebook(WITHDRAWAL), &text, &w.sets());
        check_money(version, &v, &text)?;
    }

    #[test]
    fn collection_costs_money_has_two_decimals(s in collection()) {
        let text = s.text();
        let (version, v) = evaluate(rulebook(COLLECTION), &text, &s.sets());
        let seen = check_money(version, &v, &text)?;
        prop_assert!(seen >= 4, "principal, fee, VAT and fee excl. VAT are always computed ({seen})\n{text}");
    }
}

/// The largest coefficient a `rust_decimal::Decimal` holds (2^96 - 1): in cents, the
/// largest amount that can be written with two decimals.
const MAX_CENTS: u128 = 79_228_162_514_264_337_593_543_950_335;

/// Amounts in cents of every magnitude up to [`MAX_CENTS`].
fn huge_cents() -> impl Strategy<Value = u128> {
    prop_oneof![(0u32..=28).prop_flat_map(|k| 1..=10u128.pow(k).min(MAX_CENTS)), (MAX_CENTS / 200)..=MAX_CENTS,]
}

/// An amount in cents as written in a scenario: with two decimals, or as short as it goes.
fn written(c: u128, short: bool) -> String {
    let two = format!("{}.{:02}", c / 100, c % 100);
    if short {
        two.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        two
    }
}

fn claims_text(claims: &[(u128, bool)]) -> String {
    let list: Vec<J> =
        claims.iter().map(|&(c, short)| json!({"amount": written(c, short), "due_on": "2026-02-20"})).collect();
    json!({"claims": list, "reminder": {"sent_on": "2026-03-06"}}).to_string()
}

/// The principal of huge claims: refused where written, an overflow error, or exact.
fn check_huge_sum(claims: &[(u128, bool)]) -> Result<(), TestCaseError> {
    let text = claims_text(claims);
    match try_evaluate(rulebook(COLLECTION), &text, &[]) {
        Err(Refused::Load(ds)) => {
            prop_assert!(ds.iter().all(|(code, _)| code.starts_with("facts::")), "{:?}\n{}", ds, text);
        }
        Err(Refused::Eval(code, message)) => {
            prop_assert_eq!(code, "eval::overflow", "{}\n{}", message, text);
        }
        Ok((version, v)) => {
            let sum: u128 = claims.iter().map(|c| c.0).sum();
            let exact = written(sum, false);
            let c = version.program.conclusion_id("collection.principal").unwrap() as usize;
            let got = match &v.global[c] {
                Outcome::Value(x) => x.to_json(&version.program.symbols),
                other => J::String(format!("{other:?}")),
            };
            prop_assert_eq!(got, J::String(exact), "the principal is not the exact sum of\n{}", text);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(config(256))]

    #[test]
    fn money_sums_are_exact_or_an_overflow_error(claims in prop::collection::vec((huge_cents(), any::<bool>()), 1..4)) {
        check_huge_sum(&claims)?;
    }
}

// ---------------------------------------------------------------------------------------
// The JSON output of the binary
// ---------------------------------------------------------------------------------------

/// The `conclusions` object the JSON contract gives for a library evaluation.
fn expected_conclusions(version: &Rulebook, v: &Verdicts) -> J {
    let prog = &version.program;
    let mut m = Map::new();
    for (c, def) in prog.conclusions.iter().enumerate() {
        if def.internal {
            continue;
        }
        if def.per_item.is_some() {
            let items = v.per_item[c]
                .iter()
                .map(|o| match o {
                    Outcome::Value(x) => x.to_json(&prog.symbols),
                    _ => J::Null,
                })
                .collect();
            m.insert(def.name.clone(), J::Array(items));
        } else if let Outcome::Value(x) = &v.global[c] {
            m.insert(def.name.clone(), x.to_json(&prog.symbols));
        }
    }
    J::Object(m)
}

/// Checks one line of `verdict eval --format json` output against the library.
fn check_output_line(line: &str, version: &Rulebook, v: &Verdicts, scenario: &str) -> Result<(), TestCaseError> {
    let parsed: J = serde_json::from_str(line).map_err(|e| TestCaseError::fail(format!("{e}: {line}")))?;
    let again: J = serde_json::from_str(&serde_json::to_string(&parsed).unwrap()).unwrap();
    prop_assert_eq!(&again, &parsed, "JSON does not round-trip");
    let pretty: J = serde_json::from_str(&serde_json::to_string_pretty(&parsed).unwrap()).unwrap();
    prop_assert_eq!(&pretty, &parsed);
    prop_assert_eq!(
        &parsed["conclusions"],
        &expected_conclusions(version, v),
        "CLI and library differ for\n{}",
        scenario
    );
    let prog = &version.program;
    let money: Vec<&verdict::check::ConclusionDef> = prog.conclusions.iter().filter(|c| c.ty == Type::Money).collect();
    for def in &money {
        let values: Vec<&J> = match &parsed["conclusions"][&def.name] {
            J::Array(a) => a.iter().collect(),
            other => vec![other],
        };
        for x in values.into_iter().filter(|x| !x.is_null()) {
            let s = x.as_str().unwrap_or_default();
            prop_assert!(has_two_decimals(s), "{} = {} in the JSON output\n{}", &def.name, x, scenario);
        }
    }
    for entry in parsed["trace"].as_array().expect("a trace") {
        let name = entry["conclusion"].as_str().unwrap_or_default();
        if let (Some(def), Some(s)) = (money.iter().find(|d| d.name == name), entry["value"].as_str()) {
            let ok = if def.internal { has_cents(s) } else { has_two_decimals(s) };
            prop_assert!(ok, "trace value of {} is `{}`\n{}", name, s, scenario);
        }
    }
    Ok(())
}

/// Evaluates scenarios with the binary (files, then the same as a batch) and compares.
fn check_cli(rel: &'static str, texts: &[String]) -> Result<(), TestCaseError> {
    let rb = rulebook(rel);
    let dir = std::env::temp_dir().join(format!(
        "verdict-properties-{}-{:?}",
        std::process::id(),
        std::thread::current().id()
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let mut files = Vec::new();
    for (i, t) in texts.iter().enumerate() {
        let f = dir.join(format!("s{i}.json"));
        std::fs::write(&f, t).unwrap();
        files.push(f.display().to_string());
    }
    let rb_path = root().join(rel).display().to_string();
    let mut args = vec!["eval", rb_path.as_str()];
    args.extend(files.iter().map(String::as_str));
    args.extend(["--format", "json"]);
    let run = crate::util::verdict(&args);
    let batch = crate::util::verdict_in(&root(), &["eval", &rb_path, "--batch", "-"], Some(&(texts.join("\n") + "\n")));
    let _ = std::fs::remove_dir_all(&dir);
    prop_assert_eq!(run.code, 0, "{}", run.transcript());
    prop_assert_eq!(batch.code, 0, "{}", batch.transcript());
    let lines: Vec<&str> = run.stdout.lines().collect();
    let batch_lines: Vec<&str> = batch.stdout.lines().collect();
    prop_assert_eq!(lines.len(), texts.len(), "{}", run.transcript());
    prop_assert_eq!(batch_lines.len(), texts.len(), "{}", batch.transcript());
    for ((text, line), batch_line) in texts.iter().zip(&lines).zip(&batch_lines) {
        let (version, v) = evaluate(rb, text, &[]);
        check_output_line(line, version, &v, text)?;
        let from_file: J = serde_json::from_str(line).unwrap();
        let from_batch: J = serde_json::from_str(batch_line).unwrap();
        prop_assert!(from_batch.get("error").is_none(), "batch: {}\n{}", batch_line, text);
        prop_assert_eq!(&from_batch["conclusions"], &from_file["conclusions"], "batch and file differ\n{}", text);
        prop_assert_eq!(&from_batch["undetermined"], &from_file["undetermined"], "batch and file differ\n{}", text);
        let again: J = serde_json::from_str(&from_batch.to_string()).unwrap();
        prop_assert_eq!(&again, &from_batch);
    }
    Ok(())
}

proptest! {
    // each case runs the binary twice on a few scenarios
    #![proptest_config(config(24))]

    #[test]
    fn withdrawal_json_output_parses_round_trips_and_matches_the_library(
        ws in prop::collection::vec(withdrawal(), 1..6),
    ) {
        let texts: Vec<String> = ws.iter().map(|w| w.text(&w.identity())).collect();
        check_cli(WITHDRAWAL, &texts)?;
    }

    #[test]
    fn collection_json_output_parses_round_trips_and_matches_the_library(
        cs in prop::collection::vec(collection(), 1..6),
    ) {
        let texts: Vec<String> = cs.iter().map(Collection::text).collect();
        check_cli(COLLECTION, &texts)?;
    }
}

// ---------------------------------------------------------------------------------------
// Fixed cases: extremes of the generators, and minimal failing inputs found by proptest
// ---------------------------------------------------------------------------------------

#[test]
fn extreme_amounts_have_two_decimals() {
    for c in [1u64, 100_000_000] {
        let s = Collection {
            claims: vec![(c, Form::TwoDecimals, ymd(2026, 2, 20), None); 5],
            sent_on: Some(ymd(2026, 3, 6)),
            sent_by: Some("post"),
            received_after: None,
            free_of_charge: None,
            states_consequences: None,
            paid_on: None,
            charged_on: Some(ymd(2026, 3, 25)),
            evaluation_on: None,
            options: (true, "0.2133", "presumed"),
        };
        let text = s.text();
        let (version, v) = evaluate(rulebook(COLLECTION), &text, &s.sets());
        check_money(version, &v, &text).unwrap();
    }
}

/// Found by `money_sums_are_exact_or_an_overflow_error` (minimal input, shrunk to the
/// boundary: two claims adding up to 2^96 cents, one cent more than a decimal holds with
/// two decimals). The engine printed the principal as `792281625142643375935439503.4`:
/// the sum was rounded to one decimal instead of failing or being refused.
#[test]
fn regression_a_sum_past_28_digits_is_refused_or_exact() {
    let cases = [
        // proptest's minimal failing input: 792281625142643375935439503.35 + 0.01
        vec![(MAX_CENTS, false), (1, false)],
        // 600000000000000000000000000.01 twice: printed as 1200000000000000000000000000.0
        vec![(60_000_000_000_000_000_000_000_000_001, false); 2],
        // one claim of 10^27 euros, written without cents: printed with one decimal
        vec![(100_000_000_000_000_000_000_000_000_000, true)],
    ];
    for claims in cases {
        check_huge_sum(&claims).unwrap_or_else(|e| panic!("{e}"));
    }
}
