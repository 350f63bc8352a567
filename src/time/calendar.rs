//! Public-holiday calendars as data: fixed days, Easter-relative days, weekday
//! moves ("27 April, or 26 April when that is a Sunday"), ranges of years,
//! one-off days, and days switched on by an option.

use super::shift;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{parse_date, Fields, Node};
use crate::source::Span;
use crate::text::Text;
use chrono::{Datelike, NaiveDate, Weekday};
use std::collections::HashMap;

/// Calendars are computed for the years from this one to [`LAST_YEAR`];
/// dates outside are an error.
pub const FIRST_YEAR: i32 = 1900;
/// The last year calendars are computed for.
pub const LAST_YEAR: i32 = 2200;

/// When a holiday falls.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum HolidayRule {
    /// Every year on this month and day.
    Fixed {
        /// 1 to 12.
        month: u32,
        /// 1 to 31 (a `02-29` holiday falls in leap years only).
        day: u32,
    },
    /// Days after Easter Sunday (negative: before).
    Easter(i64),
    /// Once.
    On(NaiveDate),
}

/// One holiday definition of a calendar.
#[derive(Clone, Debug)]
pub struct Holiday {
    /// As the calendar file names it (`Second Day of Christmas (Tweede Kerstdag)`).
    pub name: String,
    /// `names`: the holiday's name per language (`{ nl = "Paasmaandag", … }`),
    /// for explanations in a chosen language; `name` stays the calendar's
    /// label, the one JSON output and output without a language show.
    pub names: Option<Text>,
    /// Which day it falls on, before any weekend move.
    pub rule: HolidayRule,
    /// Days to move it when it falls on a Saturday (−7 to 7; 0: it stays).
    pub if_saturday: i64,
    /// Days to move it when it falls on a Sunday (−7 to 7; 0: it stays).
    pub if_sunday: i64,
    /// The first year it is kept (default [`FIRST_YEAR`]).
    pub from: i32,
    /// The last year it is kept (default [`LAST_YEAR`]).
    pub until: i32,
    /// A bool option of the rulebook that switches this holiday on.
    pub option: Option<(String, Span)>,
    /// Where the law sets it, as the calendar file cites it.
    pub cite: Option<String>,
}

/// A country's calendar: weekend days and holidays, precomputed per day.
#[derive(Clone, Debug)]
pub struct Calendar {
    /// The `[calendar]` `id`.
    pub id: String,
    /// The `[calendar]` `name`, for people.
    pub name: String,
    /// Where the law sets the holidays, if the file says.
    pub cite: Option<String>,
    /// By weekday, from Monday (0): whether it is a weekend day.
    pub weekend: [bool; 7],
    /// Every holiday of the file, in order; its index is what `enabled` is asked about.
    pub holidays: Vec<Holiday>,
    by_day: HashMap<NaiveDate, Vec<u16>>,
}

/// Easter Sunday in the Gregorian calendar (anonymous Gregorian algorithm).
pub fn easter_sunday(year: i32) -> Option<NaiveDate> {
    let a = year % 19;
    let b = year / 100;
    let c = year % 100;
    let d = b / 4;
    let e = b % 4;
    let f = (b + 8) / 25;
    let g = (b - f + 1) / 3;
    let h = (19 * a + b - d - g + 15) % 30;
    let i = c / 4;
    let k = c % 4;
    let l = (32 + 2 * e + 2 * i - h - k) % 7;
    let m = (a + 11 * h + 22 * l) / 451;
    let month = (h + l - 7 * m + 114) / 31;
    let day = (h + l - 7 * m + 114) % 31 + 1;
    NaiveDate::from_ymd_opt(year, month as u32, day as u32)
}

impl Holiday {
    /// The day this holiday falls in `year`, if it does.
    pub fn date_in(&self, year: i32) -> Option<NaiveDate> {
        if year < self.from || year > self.until {
            return None;
        }
        let base = match self.rule {
            HolidayRule::Fixed { month, day } => NaiveDate::from_ymd_opt(year, month, day)?,
            HolidayRule::Easter(offset) => shift(easter_sunday(year)?, offset)?,
            HolidayRule::On(d) => {
                if d.year() != year {
                    return None;
                }
                d
            }
        };
        match base.weekday() {
            Weekday::Sat if self.if_saturday != 0 => shift(base, self.if_saturday),
            Weekday::Sun if self.if_sunday != 0 => shift(base, self.if_sunday),
            _ => Some(base),
        }
    }
}

impl Calendar {
    /// A calendar of these parts, with the days of every holiday from [`FIRST_YEAR`] to [`LAST_YEAR`] computed.
    pub fn new(id: String, name: String, cite: Option<String>, weekend: [bool; 7], holidays: Vec<Holiday>) -> Calendar {
        let mut by_day: HashMap<NaiveDate, Vec<u16>> = HashMap::new();
        for year in FIRST_YEAR..=LAST_YEAR {
            for (i, h) in holidays.iter().enumerate() {
                if let Some(d) = h.date_in(year) {
                    by_day.entry(d).or_default().push(i as u16);
                }
            }
        }
        Calendar { id, name, cite, weekend, holidays, by_day }
    }

    /// What a calendar file (`root`, the tree this was read from) can hold
    /// and still mean something, but very likely by mistake, as warnings: a
    /// holiday declared twice — two entries that fall on the same day in
    /// every year both are kept (a day named twice is harmless to periods,
    /// but one of the two is not what the author meant to write, and
    /// `verdict holidays` lists the day twice). Two holidays that coincide in
    /// some years only (Ascension Day on Labour Day) are not warned about.
    pub fn lints(&self, root: &Node) -> Vec<Diagnostic> {
        let entries = root.as_table().ok().and_then(|t| t.get("holidays")).and_then(|n| n.as_array().ok());
        let Some(entries) = entries.filter(|e| e.len() == self.holidays.len()) else { return Vec::new() };
        // by pair of holidays: the days they share
        let mut shared: HashMap<(u16, u16), usize> = HashMap::new();
        for on_day in self.by_day.values() {
            for (k, &i) in on_day.iter().enumerate() {
                for &j in &on_day[k + 1..] {
                    *shared.entry((i.min(j), i.max(j))).or_default() += 1;
                }
            }
        }
        let days = |h: &Holiday, from: i32, until: i32| (from..=until).filter(|y| h.date_in(*y).is_some()).count();
        let mut pairs: Vec<(u16, u16)> = shared
            .into_iter()
            .filter(|&((i, j), n)| {
                let (a, b) = (&self.holidays[i as usize], &self.holidays[j as usize]);
                let (from, until) = (a.from.max(b.from), a.until.min(b.until));
                n == days(a, from, until) && n == days(b, from, until)
            })
            .map(|(pair, _)| pair)
            .collect();
        pairs.sort_unstable();
        pairs
            .into_iter()
            .map(|(i, j)| {
                let (first, second) = (&self.holidays[i as usize], &self.holidays[j as usize]);
                Diagnostic::new(
                    "lint::duplicate-holiday",
                    format!(
                        "holiday `{}` falls on the day of `{}` in every year: it is declared twice",
                        second.name, first.name
                    ),
                    entries[j as usize].span,
                )
                .label("the same days as an earlier holiday")
                .also(entries[i as usize].span, "declared here first")
                .help("remove one of the two entries; to give a holiday several names, use `names`")
                .warning()
            })
            .collect()
    }

    /// Reads a calendar file (see docs/LANGUAGE.md, "Calendars").
    pub fn from_node(node: &Node) -> Result<Calendar, Diagnostics> {
        let mut errors = Diagnostics::default();
        let top = Fields::new(node, "a calendar file", &["calendar", "holidays"]).map_err(Diagnostics::from)?;
        errors.extend(top.unknown_keys());
        let head = top.req("calendar").and_then(|n| Fields::new(n, "[calendar]", &["id", "name", "weekend", "cite"]));
        let (mut id, mut name, mut cite, mut weekend) = (String::new(), String::new(), None, [false; 7]);
        match head {
            Err(e) => errors.push(e),
            Ok(head) => {
                errors.extend(head.unknown_keys());
                let mut get = || -> Result<(), Diagnostic> {
                    id = head.req_str("id")?.0.to_string();
                    name = head.req_str("name")?.0.to_string();
                    cite = head.opt_str("cite")?.map(|(s, _)| s.to_string());
                    if let Some(w) = head.opt("weekend") {
                        for (day, span) in w.as_str_list()? {
                            weekend[parse_weekday(day, span)?.num_days_from_monday() as usize] = true;
                        }
                    } else {
                        weekend[5] = true;
                        weekend[6] = true;
                    }
                    Ok(())
                };
                if let Err(e) = get() {
                    errors.push(e);
                }
            }
        }
        let mut holidays = Vec::new();
        if let Some(list) = top.opt("holidays") {
            match list.as_array() {
                Err(e) => errors.push(e),
                Ok(items) => {
                    for item in items {
                        match holiday(item) {
                            Ok(h) => holidays.push(h),
                            Err(e) => errors.push(e),
                        }
                    }
                }
            }
        }
        errors.finish(())?;
        Ok(Calendar::new(id, name, cite, weekend, holidays))
    }

    /// The holidays on a day (all of them, whatever their option).
    pub fn holidays_on(&self, d: NaiveDate) -> impl Iterator<Item = &Holiday> + '_ {
        self.by_day.get(&d).into_iter().flatten().map(|i| &self.holidays[*i as usize])
    }

    /// The first holiday on `d` that is switched on; `enabled` is asked, by
    /// holiday index, about the holidays that have an option.
    pub fn holiday_on<'a>(&'a self, d: NaiveDate, enabled: &dyn Fn(usize) -> bool) -> Option<&'a Holiday> {
        let found = self.by_day.get(&d)?.iter().map(|i| *i as usize);
        found.filter(|i| self.holidays[*i].option.is_none() || enabled(*i)).map(|i| &self.holidays[i]).next()
    }

    /// Whether `d` is one of the calendar's weekend days (holidays aside).
    pub fn is_weekend(&self, d: NaiveDate) -> bool {
        self.weekend[d.weekday().num_days_from_monday() as usize]
    }

    /// Every option name the calendar refers to, with where.
    pub fn options(&self) -> impl Iterator<Item = &(String, Span)> {
        self.holidays.iter().filter_map(|h| h.option.as_ref())
    }
}

pub(crate) fn parse_weekday(day: &str, span: Span) -> Result<Weekday, Diagnostic> {
    day.parse::<Weekday>().ok().filter(|_| day.len() > 3 && day.chars().all(|c| c.is_ascii_lowercase())).ok_or_else(
        || {
            Diagnostic::new("calendar::weekday", format!("`{day}` is not a weekday"), span)
                .label("expected a weekday")
                .help("write monday, tuesday, wednesday, thursday, friday, saturday or sunday")
        },
    )
}

fn holiday(node: &Node) -> Result<Holiday, Diagnostic> {
    let f = Fields::new(
        node,
        "a holiday",
        &["name", "names", "date", "easter", "on", "if_saturday", "if_sunday", "from", "until", "option", "cite"],
    )?;
    if let Some(d) = f.unknown_keys().0.into_iter().next() {
        return Err(d);
    }
    let name = f.req_str("name")?.0.to_string();
    let names = f.opt("names").map(|n| Text::read(n, None, &[])).transpose()?;
    let kinds = ["date", "easter", "on"].iter().filter(|k| f.opt(k).is_some()).count();
    if kinds != 1 {
        return Err(Diagnostic::new(
            "calendar::when",
            format!("holiday `{name}` needs exactly one of `date`, `easter`, `on`"),
            f.span(),
        )
        .label("say when this holiday falls")
        .help("`date = \"12-25\"` every year, `easter = 1` relative to Easter Sunday, `on = 2026-05-15` once"));
    }
    let rule = if let Some(n) = f.opt("date") {
        let s = n.as_str().map_err(|e| match &n.kind {
            crate::input::NodeKind::Date(d) => e.help(format!(
                "`date` is a day of every year, its month and day in quotes: date = \"{}\"; a one-off day is on = {}",
                d.format("%m-%d"),
                d.format("%Y-%m-%d")
            )),
            _ => e,
        })?;
        parse_date(&format!("2000-{s}"))
            .filter(|_| s.len() == 5)
            .map(|d| HolidayRule::Fixed { month: d.month(), day: d.day() })
            .ok_or_else(|| {
                let help =
                    match (parse_date(s), s.split_once('-').and_then(|(a, b)| parse_date(&format!("2000-{b}-{a}")))) {
                        (Some(d), _) => format!(
                            "`date` is a day of every year: date = \"{}\"; a one-off day is on = {s}",
                            d.format("%m-%d")
                        ),
                        (None, Some(d)) if s.len() == 5 => {
                            format!("the month comes first: date = \"{}\" (\"MM-DD\")", d.format("%m-%d"))
                        }
                        _ => "write the month and day as \"MM-DD\", e.g. \"12-25\"".to_string(),
                    };
                Diagnostic::new("calendar::date", format!("`{s}` is not a month and day"), n.span)
                    .label("expected MM-DD")
                    .help(help)
            })?
    } else if let Some(n) = f.opt("easter") {
        let days = n.as_int()?;
        if days.abs() > 200 {
            return Err(Diagnostic::new("calendar::easter", "an Easter offset must stay within 200 days", n.span)
                .label("too far from Easter")
                .help("Easter-relative holidays are written as days after Easter Sunday, e.g. 39 for Ascension"));
        }
        HolidayRule::Easter(days)
    } else {
        HolidayRule::On(f.req("on")?.as_date()?)
    };
    let small = |key: &str| -> Result<i64, Diagnostic> {
        match f.opt(key) {
            None => Ok(0),
            Some(n) => {
                let v = n.as_int()?;
                if v.abs() > 7 {
                    Err(Diagnostic::new("calendar::move", "a holiday moves at most 7 days", n.span)
                        .label("too far")
                        .help("write the number of days to move, e.g. -1 for the day before"))
                } else {
                    Ok(v)
                }
            }
        }
    };
    let year = |key: &str, default: i32| -> Result<i32, Diagnostic> {
        match f.opt(key) {
            None => Ok(default),
            Some(n) => {
                let y = n.as_int()?;
                if (FIRST_YEAR as i64..=LAST_YEAR as i64).contains(&y) {
                    Ok(y as i32)
                } else {
                    Err(Diagnostic::new(
                        "calendar::year",
                        format!("year {y} is outside {FIRST_YEAR}–{LAST_YEAR}"),
                        n.span,
                    )
                    .label("out of range")
                    .help(format!("calendars cover {FIRST_YEAR} to {LAST_YEAR}")))
                }
            }
        }
    };
    let (from, until) = (year("from", FIRST_YEAR)?, year("until", LAST_YEAR)?);
    if let (Some(n), true) = (f.opt("until"), until < from) {
        return Err(Diagnostic::new(
            "calendar::year-range",
            format!("`until = {until}` is before `from = {from}`: this holiday falls in no year"),
            n.span,
        )
        .label("before `from`")
        .help("swap `from` and `until`, or leave `until` out for a holiday that still applies"));
    }
    Ok(Holiday {
        name,
        names,
        rule,
        if_saturday: small("if_saturday")?,
        if_sunday: small("if_sunday")?,
        from,
        until,
        option: f.opt_str("option")?.map(|(s, sp)| (s.to_string(), sp)),
        cite: f.opt_str("cite")?.map(|(s, _)| s.to_string()),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn a_holiday_date_written_day_first_or_with_a_year_says_the_fix() {
        let help = |date: &str| {
            let text = format!("[calendar]\nid = \"x\"\nname = \"x\"\nweekend = [\"sunday\"]\n[[holidays]]\nname = \"h\"\ndate = {date}\n");
            let node = crate::input::parse_toml(crate::source::SourceId(0), &text).unwrap();
            Calendar::from_node(&node).unwrap_err().0[0].help.clone().unwrap_or_default()
        };
        assert_eq!(help("\"14-07\""), "the month comes first: date = \"07-14\" (\"MM-DD\")");
        assert!(help("\"2026-07-14\"").contains("on = 2026-07-14"));
        assert!(help("2026-07-14").contains("date = \"07-14\""));
    }

    #[test]
    fn easter_dates() {
        assert_eq!(easter_sunday(2024), Some(d(2024, 3, 31)));
        assert_eq!(easter_sunday(2026), Some(d(2026, 4, 5)));
        assert_eq!(easter_sunday(2038), Some(d(2038, 4, 25)));
        assert_eq!(easter_sunday(2285), Some(d(2285, 3, 22)));
    }

    #[test]
    fn sunday_rule_moves_the_day() {
        let h = Holiday {
            name: "King's Day".into(),
            names: None,
            rule: HolidayRule::Fixed { month: 4, day: 27 },
            if_saturday: 0,
            if_sunday: -1,
            from: 2014,
            until: LAST_YEAR,
            option: None,
            cite: None,
        };
        assert_eq!(h.date_in(2025), Some(d(2025, 4, 26))); // 27 April 2025 is a Sunday
        assert_eq!(h.date_in(2026), Some(d(2026, 4, 27)));
        assert_eq!(h.date_in(2013), None);
    }
}
