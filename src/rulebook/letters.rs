//! `[letters.NAME]`: letter templates, read into declarations. A body is a
//! text per language whose `{…}` placeholders are parsed here, each with its
//! place in the file; a date or an amount written in a body is refused, since
//! a letter states only the dates and amounts the verdicts give.

use super::{cite_parts, Cite, Reader};
use crate::diagnostic::Diagnostic;
use crate::input::{Fields, Key, Node, NodeKind};
use crate::source::Span;
use crate::syntax::ast::Expr;
use crate::syntax::StringMap;
use crate::text::Text;

/// A letter template (`[letters.NAME]`), parsed but not yet checked.
#[derive(Clone, Debug)]
pub struct LetterDecl {
    /// The letter's name (`withdrawal_form`), as `verdict letter` takes it.
    pub name: String,
    /// Where its key was written.
    pub span: Span,
    /// `title`, for people.
    pub title: Text,
    /// `when`: the condition under which the letter applies; `None` when not
    /// given (always) or when it did not parse (see `broken`).
    pub when: Option<Expr>,
    /// The `when` did not parse (already reported).
    pub broken: bool,
    /// `select`: per list, the condition an element must meet for the
    /// letter's list placeholders to name it (`select.items =
    /// 'item.withdrawable'`), with where the list's key is written; `None`
    /// for a condition that did not parse (already reported).
    pub select: Vec<(String, Span, Option<Expr>)>,
    /// `cite`; `None` when not given (checking reports it).
    pub cite: Option<Cite>,
    /// `body`: the text of the letter.
    pub body: Text,
    /// The body per language (`""` for a plain string), parsed into pieces.
    pub bodies: Vec<(String, Vec<Piece>)>,
}

/// A piece of a letter's body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Piece {
    /// Text as written (`{{` and `}}` already read as braces).
    Text(String),
    /// `{withdrawal.deadline}`: a fact or a conclusion, filled in when the letter is written.
    Fill {
        /// The name inside the braces.
        name: String,
        /// Where the name was written.
        span: Span,
    },
    /// `{blank:name}`: a line the consumer fills in by hand.
    Blank(String),
    /// `{cite}`: the letter's citation.
    Cite,
}

impl Reader<'_> {
    /// Every `[letters.NAME]` table.
    pub(super) fn letters(&mut self, node: &Node, out: &mut Vec<LetterDecl>) {
        self.each_entry(node, |r, key, value| r.letter(key, value).map(|l| out.push(l)));
    }

    fn letter(&mut self, key: &Key, node: &Node) -> Result<LetterDecl, Diagnostic> {
        super::check_name_part(&key.name, key.span)?;
        let f = Fields::new(node, "a letter", &["title", "when", "select", "cite", "body"])?;
        self.errors.extend(f.unknown_keys());
        let title_node = f.req("title")?;
        let title = self.text(title_node)?;
        for n in entries(title_node) {
            let (text, map) = self.dsl(n.1)?;
            literal_value(&text, 0, &map)?;
        }
        let when = f.opt("when").map(|n| self.expr(n));
        let mut select = Vec::new();
        if let Some(n) = f.opt("select") {
            let t = n.as_table().map_err(|e| {
                e.help("write select.items = 'item.withdrawable': per list, the condition its elements must meet")
            })?;
            for (k, v) in &t.entries {
                select.push((k.name.clone(), k.span, self.expr(v)));
            }
        }
        let cite = match f.opt("cite") {
            None => None,
            Some(n) => {
                let (text, map) = self.dsl(n)?;
                Some(Cite { parts: cite_parts(&text, &map), text, span: n.span })
            }
        };
        let body_node = f.req("body").map_err(|e| {
            e.help("add body = '''…''' (or body.en = …, body.nl = …): the letter, with {name} for the values it states")
        })?;
        let body = self.text(body_node)?;
        let mut bodies = Vec::new();
        for (lang, n) in entries(body_node) {
            let (text, map) = self.dsl(n)?;
            match pieces(&text, &map) {
                Ok(p) => bodies.push((lang, p)),
                Err(e) => self.errors.push(e),
            }
        }
        Ok(LetterDecl {
            name: key.name.clone(),
            span: key.span,
            title,
            broken: matches!(when, Some(None)),
            when: when.flatten(),
            select,
            cite,
            body,
            bodies,
        })
    }
}

/// A text's strings by language (`""` for a plain string).
fn entries(node: &Node) -> Vec<(String, &Node)> {
    match &node.kind {
        NodeKind::Table(t) => t.entries.iter().map(|(k, v)| (k.name.clone(), v)).collect(),
        _ => vec![(String::new(), node)],
    }
}

/// A body's pieces; an unclosed or empty placeholder, or a date or amount
/// written as text, is a located error.
pub fn pieces(text: &str, map: &StringMap) -> Result<Vec<Piece>, Diagnostic> {
    let mut out = Vec::new();
    let mut plain = String::new();
    let mut i = 0;
    let bytes = text.as_bytes();
    while i < text.len() {
        let rest = &text[i..];
        if rest.starts_with("{{") || rest.starts_with("}}") {
            plain.push(bytes[i] as char);
            i += 2;
            continue;
        }
        if bytes[i] == b'}' {
            return Err(placeholder_error(map.span(i, i + 1), "a `}` without its `{`", "}"));
        }
        if bytes[i] != b'{' {
            let c = rest.chars().next().unwrap_or(' ');
            plain.push(c);
            i += c.len_utf8();
            continue;
        }
        let Some(close) = rest.find('}') else {
            return Err(placeholder_error(map.span(i, text.len()), "a `{` without its `}`", "{"));
        };
        let inner = &rest[1..close];
        let (start, end) = (i + 1, i + close);
        let piece = if inner == "cite" {
            Piece::Cite
        } else if let Some(label) = inner.strip_prefix("blank:") {
            if !is_name(label) {
                return Err(placeholder_error(map.span(start, end), "a blank needs a name", inner));
            }
            Piece::Blank(label.to_string())
        } else if inner.split('.').all(is_name) {
            Piece::Fill { name: inner.to_string(), span: map.span(start, end) }
        } else {
            return Err(placeholder_error(map.span(i, i + close + 1), "not a placeholder", inner));
        };
        if !plain.is_empty() {
            literal_value(&plain, i - plain.len(), map)?;
            out.push(Piece::Text(std::mem::take(&mut plain)));
        }
        out.push(piece);
        i += close + 1;
    }
    if !plain.is_empty() {
        literal_value(&plain, text.len() - plain.len(), map)?;
        out.push(Piece::Text(plain));
    }
    Ok(out)
}

fn is_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && s.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn placeholder_error(span: Span, what: &str, written: &str) -> Diagnostic {
    Diagnostic::new("rulebook::letter-placeholder", format!("{what} in a letter: `{written}`"), span)
        .label("not a placeholder")
        .help("a placeholder is {fact.or.conclusion}, {blank:name} (filled in by hand) or {cite}; write {{ and }} for braces")
}

/// Month names a written date may use (en, nl, fr), lower case.
const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "januari",
    "februari",
    "maart",
    "mei",
    "juni",
    "juli",
    "augustus",
    "oktober",
    "janvier",
    "février",
    "fevrier",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "aout",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
    "decembre",
];

/// Refuses a date (`2026-05-01`, `1/5/2026`, `1 mei 2026`) or an amount
/// (`€12,50`, `12.50 EUR`) written in a body's text. `text` starts at byte
/// `offset` of the body.
fn literal_value(text: &str, offset: usize, map: &StringMap) -> Result<(), Diagnostic> {
    let Some((start, end, what)) = find_literal(text) else { return Ok(()) };
    let written = &text[start..end];
    Err(Diagnostic::new("rulebook::letter-literal", format!("a letter states {what} `{written}` of its own"), map.span(offset + start, offset + end))
        .label(format!("{what} written in the letter"))
        .help("a letter states only the dates and amounts the verdicts give: write a placeholder such as {refund.deadline} or {refund.amount} (a fact or a conclusion), or {blank:date} for one the consumer fills in"))
}

/// The first date or amount in `text`: its byte range and what it is.
fn find_literal(text: &str) -> Option<(usize, usize, &'static str)> {
    let b = text.as_bytes();
    let digits = |from: usize| b[from..].iter().take_while(|c| c.is_ascii_digit()).count();
    let mut i = 0;
    while i < b.len() {
        let at_word = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'/' || b[i - 1] == b'.');
        if b[i] == 0xE2 && text[i..].starts_with('€') || text[i..].starts_with("EUR ") {
            let sign = if b[i] == b'E' { 4 } else { 3 };
            let after = i + sign + usize::from(b.get(i + sign) == Some(&b' '));
            if after < b.len() && b[after].is_ascii_digit() {
                let n = number_len(b, after);
                return Some((i, after + n, "an amount"));
            }
        }
        if !b[i].is_ascii_digit() || !at_word {
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        let n = digits(i);
        let j = i + n;
        // 2026-05-01, 01/05/2026, 1.5.2026, 01-05-26
        if let Some(&sep) = b.get(j).filter(|s| matches!(s, b'-' | b'/' | b'.')) {
            let m = digits(j + 1);
            if m > 0 && m <= 2 && b.get(j + 1 + m) == Some(&sep) {
                let y = digits(j + 2 + m);
                let shape = (n == 4 && y > 0 && y <= 2) || (n <= 2 && (y == 2 || y == 4));
                if shape {
                    return Some((i, j + 2 + m + y, "a date"));
                }
            }
        }
        // 1 mei 2026, 1er janvier 2026
        if n <= 2 {
            let mut k = j;
            if text[k..].starts_with("er ") {
                k += 2;
            }
            if b.get(k) == Some(&b' ') {
                let word: String = text[k + 1..].chars().take_while(|c| c.is_alphabetic()).collect();
                let w_end = k + 1 + word.len();
                if MONTHS.contains(&word.to_lowercase().as_str())
                    && b.get(w_end) == Some(&b' ')
                    && digits(w_end + 1) == 4
                {
                    return Some((i, w_end + 5, "a date"));
                }
            }
        }
        // 12,50 € / 12.50 EUR
        let num = number_len(b, i);
        let after = &text[i + num..];
        let trimmed = after.trim_start_matches([' ', '\u{a0}', '\u{202f}']);
        if num > 0 && (trimmed.starts_with('€') || trimmed.starts_with("EUR")) {
            let sign = if trimmed.starts_with('€') { '€'.len_utf8() } else { 3 };
            return Some((i, i + num + (after.len() - trimmed.len()) + sign, "an amount"));
        }
        i = j.max(i + 1);
    }
    None
}

/// The length of a number at `from`: digits with `.` or `,` between them.
fn number_len(b: &[u8], from: usize) -> usize {
    let mut k = from;
    while k < b.len()
        && (b[k].is_ascii_digit() || (matches!(b[k], b'.' | b',') && b.get(k + 1).is_some_and(u8::is_ascii_digit)))
    {
        k += 1;
    }
    k - from
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::SourceId;

    fn read(text: &str) -> Result<Vec<Piece>, Diagnostic> {
        pieces(text, &StringMap::verbatim(SourceId(0), 0))
    }

    #[test]
    fn placeholders_blanks_and_braces() {
        let p = read("Uiterlijk {refund.deadline}, {blank:name} ({cite}) {{x}}").unwrap();
        assert_eq!(p[0], Piece::Text("Uiterlijk ".into()));
        assert!(matches!(&p[1], Piece::Fill { name, span } if name == "refund.deadline" && span.start == 11));
        assert_eq!(p[3], Piece::Blank("name".into()));
        assert_eq!(p[5], Piece::Cite);
        assert_eq!(p[6], Piece::Text(") {x}".into()));
    }

    #[test]
    fn a_bad_placeholder_is_located() {
        let e = read("Dear {Name}").unwrap_err();
        assert_eq!(e.code, "rulebook::letter-placeholder");
        assert_eq!((e.span().start, e.span().end), (5, 11));
        assert!(read("open {refund.amount").is_err());
        assert!(read("{blank:}").is_err());
    }

    #[test]
    fn dates_and_amounts_written_in_a_body_are_refused() {
        for (text, written) in [
            ("before 2026-05-01.", "2026-05-01"),
            ("op 1/5/2026", "1/5/2026"),
            ("le 1er mai 2026", "1er mai 2026"),
            ("op 14 maart 2026 ontvangen", "14 maart 2026"),
            ("pay €12,50 now", "€12,50"),
            ("pay € 12,50 now", "€ 12,50"),
            ("soit 12,50 € au total", "12,50 €"),
            ("EUR 40.00", "EUR 40.00"),
        ] {
            let e = read(text).unwrap_err();
            assert_eq!(e.code, "rulebook::letter-literal", "{text}");
            assert!(e.message.contains(written), "{text}: {}", e.message);
        }
    }

    #[test]
    fn any_text_is_read_without_a_panic() {
        let parts = [
            "é", "€", "1", "12", "2026", "-", "/", ".", ",", " ", "mei", "er", "EUR", "{", "}", "{{", "x.y", "«",
            "\u{202f}",
        ];
        for a in parts {
            for b in parts {
                for c in parts {
                    for d in parts {
                        let _ = read(&format!("{a}{b}{c}{d}"));
                    }
                }
            }
        }
    }

    #[test]
    fn periods_articles_and_directives_are_not_dates() {
        for text in [
            "within 14 days (CRD art. 9(1))",
            "Richtlijn 2011/83/EU, bijlage I(B)",
            "Regulation 1182/71; BW 6:230o lid 1",
            "na 5 werkdagen, 30 dagen",
            "Book VI, art. VI.47 §1",
        ] {
            assert!(read(text).is_ok(), "{text}");
        }
    }
}
