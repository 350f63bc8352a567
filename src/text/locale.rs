//! The message tables of the engine's own words, one per language, and the
//! long forms of dates and amounts. A table is TOML (`src/text/en.toml`, …),
//! compiled into the crate; a placeholder is `{name}`.

use chrono::{Datelike, NaiveDate, Weekday};
use rust_decimal::Decimal;
use std::collections::HashMap;
use std::sync::OnceLock;

/// A language the engine speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// Dutch.
    Nl,
    /// French.
    Fr,
}

impl Lang {
    /// Every language, in the order of the message tables.
    pub const ALL: [Lang; 3] = [Lang::En, Lang::Nl, Lang::Fr];

    /// The language of a code (`en`, `nl`, `fr`).
    pub fn from_code(code: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.code() == code)
    }

    /// The code, as rulebooks write it in `languages`.
    pub fn code(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Nl => "nl",
            Lang::Fr => "fr",
        }
    }

    fn source(self) -> &'static str {
        match self {
            Lang::En => include_str!("en.toml"),
            Lang::Nl => include_str!("nl.toml"),
            Lang::Fr => include_str!("fr.toml"),
        }
    }
}

#[derive(serde::Deserialize)]
struct Table {
    weekdays: [String; 7],
    months: [String; 12],
    date: String,
    /// How the first day of a month is written, where it is not `1` (`1er`).
    #[serde(default)]
    first_day: Option<String>,
    money: String,
    decimal_separator: String,
    thousands_separator: String,
    messages: HashMap<String, String>,
}

fn table(lang: Lang) -> &'static Table {
    static TABLES: OnceLock<Vec<Table>> = OnceLock::new();
    let all = TABLES.get_or_init(|| {
        Lang::ALL
            .into_iter()
            .map(|l| toml::from_str(l.source()).unwrap_or_else(|e| panic!("src/text/{}.toml: {e}", l.code())))
            .collect()
    });
    &all[Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0)]
}

/// The words and forms a text output is written in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Locale {
    /// The language of the words.
    pub lang: Lang,
    /// Dates as `Monday 23 March 2026` and amounts as `€94.90` (a chosen
    /// language); otherwise ISO dates and plain amounts, as without `--lang`.
    pub long_forms: bool,
}

impl Default for Locale {
    /// English words, ISO dates, plain amounts: the output without `--lang`.
    fn default() -> Locale {
        Locale { lang: Lang::En, long_forms: false }
    }
}

impl Locale {
    /// The locale of a chosen language: its words, its dates and amounts.
    pub fn of(lang: Lang) -> Locale {
        Locale { lang, long_forms: true }
    }

    /// The message `key`, its placeholders filled from `args`.
    pub fn msg(&self, key: &str, args: &[(&str, &str)]) -> String {
        let text = table(self.lang)
            .messages
            .get(key)
            .unwrap_or_else(|| panic!("message `{key}` missing from src/text/{}.toml", self.lang.code()));
        fill(text, args)
    }

    /// A weekday's name (`Monday`, `maandag`, `lundi`).
    pub fn weekday(&self, w: Weekday) -> &'static str {
        &table(self.lang).weekdays[w.num_days_from_monday() as usize]
    }

    /// A date: `2026-03-23`, or in long form `maandag 23 maart 2026`.
    pub fn date(&self, d: NaiveDate) -> String {
        if !self.long_forms {
            return d.to_string();
        }
        let t = table(self.lang);
        let day = match (&t.first_day, d.day()) {
            (Some(first), 1) => first.clone(),
            (_, n) => n.to_string(),
        };
        let year = d.year().to_string();
        fill(
            &t.date,
            &[
                ("weekday", self.weekday(d.weekday())),
                ("day", &day),
                ("month", &t.months[d.month0() as usize]),
                ("year", &year),
            ],
        )
    }

    /// A date with its weekday: `Monday 2026-03-23`, or the long form (which has it).
    pub fn day(&self, d: NaiveDate) -> String {
        if self.long_forms {
            self.date(d)
        } else {
            format!("{} {d}", self.weekday(d.weekday()))
        }
    }

    /// An amount of money: `94.90`, or in long form `€ 94,90` / `94,90 €` / `€94.90`.
    pub fn money(&self, m: Decimal) -> String {
        let plain = plain_money(m);
        if !self.long_forms {
            return plain;
        }
        let t = table(self.lang);
        fill(&t.money, &[("amount", &self.number_text(&plain))])
    }

    /// A decimal number (`0.5`, `0,5`).
    pub fn decimal(&self, d: Decimal) -> String {
        let plain = d.normalize().to_string();
        if self.long_forms {
            self.number_text(&plain)
        } else {
            plain
        }
    }

    /// `1234.5` as the language writes it: thousands grouped, its decimal separator.
    fn number_text(&self, plain: &str) -> String {
        let t = table(self.lang);
        let (sign, digits) = plain.strip_prefix('-').map_or(("", plain), |d| ("-", d));
        let (whole, frac) = digits.split_once('.').map_or((digits, None), |(w, f)| (w, Some(f)));
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i) % 3 == 0 {
                grouped.push_str(&t.thousands_separator);
            }
            grouped.push(c);
        }
        match frac {
            Some(f) => format!("{sign}{grouped}{}{f}", t.decimal_separator),
            None => format!("{sign}{grouped}"),
        }
    }

    /// `yes` / `no` in the language.
    pub fn yes_no(&self, b: bool) -> String {
        self.msg(if b { "yes" } else { "no" }, &[])
    }
}

/// Two decimals at least, as `value::money` writes an amount (no currency sign).
fn plain_money(m: Decimal) -> String {
    let mut s = m.normalize().to_string();
    match s.find('.') {
        None => s.push_str(".00"),
        Some(p) if s.len() - p == 2 => s.push('0'),
        Some(_) => {}
    }
    s
}

/// `text` with each `{name}` replaced by its value in `args`.
fn fill(text: &str, args: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(text.len() + 16);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        match after.find('}').map(|close| (&after[..close], close)) {
            Some((name, close)) if args.iter().any(|(k, _)| *k == name) => {
                out.push_str(args.iter().find(|(k, _)| *k == name).map_or("", |(_, v)| v));
                rest = &after[close + 1..];
            }
            _ => {
                out.push('{');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn placeholders(text: &str) -> BTreeSet<&str> {
        text.split('{').skip(1).filter_map(|p| p.split_once('}').map(|(n, _)| n)).collect()
    }

    #[test]
    fn every_language_has_every_message_with_the_same_placeholders() {
        let en = table(Lang::En);
        for lang in [Lang::Nl, Lang::Fr] {
            let t = table(lang);
            let mut keys: Vec<&String> = en.messages.keys().collect();
            keys.sort();
            for key in keys {
                let other = t.messages.get(key).unwrap_or_else(|| panic!("{}: `{key}` missing", lang.code()));
                assert_eq!(placeholders(&en.messages[key]), placeholders(other), "{}: `{key}`", lang.code());
            }
            assert_eq!(t.messages.len(), en.messages.len(), "{}: keys not in en.toml", lang.code());
        }
    }

    #[test]
    fn dates_in_each_language() {
        let d = NaiveDate::from_ymd_opt(2026, 3, 23).unwrap();
        assert_eq!(Locale::of(Lang::Nl).date(d), "maandag 23 maart 2026");
        assert_eq!(Locale::of(Lang::Fr).date(d), "lundi 23 mars 2026");
        let first = NaiveDate::from_ymd_opt(2025, 7, 1).unwrap();
        assert_eq!(Locale::of(Lang::Fr).date(first), "mardi 1er juillet 2025");
        assert_eq!(Locale::of(Lang::Nl).date(first), "dinsdag 1 juli 2025");
        assert_eq!(Locale::of(Lang::En).date(d), "Monday 23 March 2026");
        assert_eq!(Locale::default().date(d), "2026-03-23");
        assert_eq!(Locale::default().day(d), "Monday 2026-03-23");
    }

    #[test]
    fn amounts_in_each_language() {
        let m = Decimal::new(9490, 2);
        assert_eq!(Locale::of(Lang::Nl).money(m), "€ 94,90");
        assert_eq!(Locale::of(Lang::Fr).money(m), "94,90 €");
        assert_eq!(Locale::of(Lang::En).money(m), "€94.90");
        assert_eq!(Locale::default().money(m), "94.90");
        assert_eq!(Locale::of(Lang::Nl).money(Decimal::new(-123456700, 2)), "€ -1.234.567,00");
        assert_eq!(Locale::of(Lang::Fr).money(Decimal::new(123456, 2)), "1\u{202f}234,56 €");
    }

    #[test]
    fn placeholders_are_filled_and_others_kept() {
        assert_eq!(fill("{a} and {b} {c", &[("a", "x"), ("b", "y")]), "x and y {c");
    }
}
