//! TOML text → spanned [`Node`] tree.

use super::{Key, Node, NodeKind, Table};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceId, Span};
use ::toml::de::{DeTable, DeValue};
use ::toml::Spanned;

/// What to do about a TOML syntax error at byte `at`: a table written
/// `[name]` where the file has (or needs) `[[name]]`, a date written
/// day/month/year, a key given twice.
fn toml_hint(text: &str, at: usize, message: &str) -> String {
    let line_start = text[..at.min(text.len())].rfind('\n').map_or(0, |i| i + 1);
    let line = text[line_start..].lines().next().unwrap_or("").trim();
    let word: String = text
        .get(at..)
        .unwrap_or("")
        .chars()
        .take_while(|c| c.is_ascii_digit() || *c == '/' || *c == '.' || *c == '-')
        .collect();
    let parts: Vec<&str> = word.split(['/', '.']).collect();
    if parts.len() == 3
        && parts[2].len() == 4
        && parts.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        return format!("write the date as YYYY-MM-DD, without quotes: {}-{:0>2}-{:0>2}", parts[2], parts[1], parts[0]);
    }
    if message.contains("duplicate") {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')).filter(|n| !n.starts_with('[')) {
            let name = name.trim();
            if text.contains(&format!("[[{name}]]")) || matches!(name, "rules" | "tests" | "holidays" | "checks") {
                return format!(
                    "`[{name}]` opens one table, and a second one is a duplicate: each entry of a list of tables is written `[[{name}]]` (double brackets)"
                );
            }
        }
        if line.starts_with("when") {
            return "a rule has one `when`: join the conditions with `and`, when = 'A and B'".to_string();
        }
        return "give each key and each [table] once".to_string();
    }
    if message.contains("date") || message.contains("time") {
        return "write a date as YYYY-MM-DD, e.g. 2026-03-02, and check the day exists in that month".to_string();
    }
    "fix the TOML syntax; strings need quotes, tables are written [name], lists [a, b]".to_string()
}

/// Parses a whole TOML document.
pub fn parse_toml(src: SourceId, text: &str) -> Result<Node, Diagnostic> {
    let doc = DeTable::parse(text).map_err(|e| {
        let range = e.span().unwrap_or(0..0);
        let message = e.message().trim();
        let help = toml_hint(text, range.start, message);
        Diagnostic::new("input::toml", format!("invalid TOML: {message}"), Span::new(src, range.start, range.end))
            .label("here")
            .help(help)
    })?;
    let span = Span::new(src, 0, text.len());
    Ok(Node { kind: NodeKind::Table(table(src, doc.get_ref())?), span })
}

fn table(src: SourceId, t: &DeTable<'_>) -> Result<Table, Diagnostic> {
    let mut entries = Vec::with_capacity(t.len());
    for (k, v) in t.iter() {
        let key = Key { name: k.get_ref().to_string(), span: span_of(src, k) };
        entries.push((key, value(src, v)?));
    }
    Ok(Table { entries })
}

fn span_of<T>(src: SourceId, s: &Spanned<T>) -> Span {
    let r = s.span();
    Span::new(src, r.start, r.end)
}

fn value(src: SourceId, v: &Spanned<DeValue<'_>>) -> Result<Node, Diagnostic> {
    let span = span_of(src, v);
    let kind = match v.get_ref() {
        DeValue::String(s) => NodeKind::Str(s.to_string()),
        DeValue::Integer(i) => {
            let digits: String = i.as_str().chars().filter(|c| *c != '_').collect();
            let (neg, body) = match digits.strip_prefix('-') {
                Some(rest) => (true, rest.to_string()),
                None => (false, digits.trim_start_matches('+').to_string()),
            };
            let body = body.trim_start_matches("0x").trim_start_matches("0o").trim_start_matches("0b");
            // the sign stays on the digits, so -9223372036854775808 (i64::MIN) fits
            let signed = if neg { format!("-{body}") } else { body.to_string() };
            let parsed = i64::from_str_radix(&signed, i.radix());
            NodeKind::Int(parsed.map_err(|_| {
                Diagnostic::new("input::integer-overflow", format!("the number `{}` is too large", i.as_str()), span)
                    .label("does not fit in a 64-bit integer")
                    .help("use a smaller number")
            })?)
        }
        DeValue::Float(f) => NodeKind::Float(f.as_str().replace('_', "")),
        DeValue::Boolean(b) => NodeKind::Bool(*b),
        DeValue::Datetime(dt) => match (dt.date, dt.time, dt.offset) {
            (Some(d), None, None) => {
                match chrono::NaiveDate::from_ymd_opt(d.year as i32, d.month as u32, d.day as u32) {
                    Some(date) => NodeKind::Date(date),
                    None => {
                        return Err(Diagnostic::new("input::bad-date", format!("`{dt}` is not a valid date"), span)
                            .label("not a calendar date")
                            .help("check the day exists in that month"))
                    }
                }
            }
            _ => NodeKind::OtherDateTime(dt.to_string()),
        },
        DeValue::Array(a) => NodeKind::Array(a.iter().map(|e| value(src, e)).collect::<Result<_, _>>()?),
        DeValue::Table(t) => NodeKind::Table(table(src, t)?),
    };
    Ok(Node { kind, span })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn int(text: &str) -> Result<i64, Diagnostic> {
        let node = parse_toml(SourceId(0), &format!("n = {text}\n"))?;
        match &node.as_table().unwrap().get("n").unwrap().kind {
            NodeKind::Int(n) => Ok(*n),
            other => panic!("not an integer: {other:?}"),
        }
    }

    #[test]
    fn single_bracket_list_and_french_date_are_explained() {
        let text = "[[rules]]\nid = \"a\"\n\n[rules]\nid = \"b\"\n";
        let e = parse_toml(SourceId(0), text).unwrap_err();
        assert!(e.help.as_deref().unwrap_or("").contains("`[[rules]]` (double brackets)"), "{:?}", e.help);
        let e = parse_toml(SourceId(0), "[rulebook]\neffective_from = 14/06/2014\n").unwrap_err();
        assert_eq!(e.help.as_deref(), Some("write the date as YYYY-MM-DD, without quotes: 2014-06-14"));
    }

    #[test]
    fn integers_cover_the_whole_64_bit_range() {
        assert_eq!(int("-9223372036854775808").unwrap(), i64::MIN);
        assert_eq!(int("9223372036854775807").unwrap(), i64::MAX);
        assert_eq!(int("-1_000").unwrap(), -1000);
        assert_eq!(int("+7").unwrap(), 7);
        assert_eq!(int("0xff").unwrap(), 255);
        assert_eq!(int("0o17").unwrap(), 15);
        assert_eq!(int("0b101").unwrap(), 5);
    }

    #[test]
    fn integers_past_64_bits_are_a_located_error() {
        for text in ["9223372036854775808", "-9223372036854775809"] {
            let err = int(text).unwrap_err();
            assert_eq!(err.code, "input::integer-overflow");
            assert_eq!(err.span().start, 4, "{text}");
        }
    }
}
