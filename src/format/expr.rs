//! The canonical layout of one rule-language string (an expression or a type
//! annotation): the text is cut into tokens and printed again with one
//! spacing. Literals, names and comments are kept exactly as written (a `€`
//! becomes `EUR`, which the parser reads the same); the author's line breaks
//! are kept, continuation lines are indented two spaces per open bracket (a
//! closing bracket that starts a line stands under its opening line); a
//! long one-line condition is broken before its outermost `and` / `or`.
//!
//! Only whitespace between tokens changes, and the caller parses the result
//! again and compares the trees (`same_tree`), so a formatting slip can never
//! change what a rule says.

/// A one-line expression longer than this is broken before its outermost `and` / `or`.
pub const LINE_LIMIT: usize = 90;

/// One token of a rule-language string.
#[derive(Clone, Debug, PartialEq, Eq)]
enum Tok {
    /// A name, keyword, number, date, percentage or currency.
    Word(String),
    /// A `"text"` literal, quotes included.
    Str(String),
    /// An operator or bracket.
    Punct(&'static str),
    /// A `# …` comment, up to the end of its line.
    Comment(String),
    /// One or more line breaks written by the author.
    Newline,
}

const PUNCT: &[&str] = &["!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ",", ":"];

/// Words after which a value is not complete (a `-` after them is a sign),
/// and before which a `(` is not a call.
const OPERATOR_WORDS: &[&str] = &[
    "and",
    "or",
    "not",
    "is",
    "one",
    "of",
    "on",
    "before",
    "after",
    "if",
    "then",
    "else",
    "period",
    "without",
    "next",
    "otherwise",
    "tiered",
    "paused",
    "during",
    "restarting",
    "the",
    "interest",
    "at",
    "from",
    "to",
    "compounded",
];

/// Keywords that end a value (`given`, units) or name nothing callable;
/// a `(` after them gets a space.
const VALUE_KEYWORDS: &[&str] =
    &["given", "absent", "shift", "rest", "yearly", "true", "false", "days", "day", "weeks", "week", "months", "month"];

const WEEKDAYS: &[&str] = &["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];

fn lex(text: &str) -> Vec<Tok> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '\n' {
            if out.last() != Some(&Tok::Newline) {
                out.push(Tok::Newline);
            }
            rest = &rest[1..];
        } else if c.is_whitespace() {
            rest = &rest[c.len_utf8()..];
        } else if c == '#' {
            let end = rest.find('\n').unwrap_or(rest.len());
            out.push(Tok::Comment(rest[..end].trim_end().to_string()));
            rest = &rest[end..];
        } else if c == '"' {
            let end = rest[1..].find('"').map_or(rest.len(), |i| i + 2);
            out.push(Tok::Str(rest[..end].to_string()));
            rest = &rest[end..];
        } else if let Some(p) = PUNCT.iter().find(|p| rest.starts_with(**p)) {
            out.push(Tok::Punct(p));
            rest = &rest[p.len()..];
        } else {
            // a character no token starts with (`!` alone) is a word of its own
            let end = word_end(rest).max(c.len_utf8());
            push_word(&mut out, &rest[..end]);
            rest = &rest[end..];
        }
    }
    while out.last() == Some(&Tok::Newline) {
        out.pop();
    }
    if out.first() == Some(&Tok::Newline) {
        out.remove(0);
    }
    out
}

/// Where a word starting `rest` ends; a date's dashes belong to it.
fn word_end(rest: &str) -> usize {
    let b = rest.as_bytes();
    let is_date = b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && b[4] == b'-'
        && b[5..7].iter().all(u8::is_ascii_digit)
        && b[7] == b'-'
        && b[8..10].iter().all(u8::is_ascii_digit);
    if is_date {
        return 10;
    }
    rest.char_indices()
        .find(|(_, c)| c.is_whitespace() || *c == '"' || *c == '#' || PUNCT.iter().any(|p| p.starts_with(*c)))
        .map_or(rest.len(), |(i, _)| i)
}

/// Pushes a word; a currency written against its amount (`€40`, `EUR40`)
/// becomes two words, and `€` is written `EUR`.
fn push_word(out: &mut Vec<Tok>, word: &str) {
    let (currency, amount) = if let Some(amount) = word.strip_prefix('€') {
        ("EUR", amount)
    } else if word.len() > 3 && word.is_char_boundary(3) && word[..3].bytes().all(|b| b.is_ascii_uppercase()) {
        (&word[..3], &word[3..])
    } else {
        ("", word)
    };
    if currency.is_empty() {
        out.push(Tok::Word(amount.to_string()));
        return;
    }
    out.push(Tok::Word(currency.to_string()));
    if !amount.is_empty() {
        push_word(out, amount);
    }
}

/// Whether a value is complete after this token (so a `-` after it subtracts).
fn ends_value(t: &Tok) -> bool {
    match t {
        Tok::Word(w) => !OPERATOR_WORDS.contains(&w.as_str()),
        Tok::Str(_) => true,
        Tok::Punct(p) => *p == ")",
        Tok::Comment(_) | Tok::Newline => false,
    }
}

/// Whether `(` after this word opens a call's arguments.
fn is_callee(w: &str) -> bool {
    w.starts_with(|c: char| c.is_ascii_lowercase() || c == '_')
        && !OPERATOR_WORDS.contains(&w)
        && !VALUE_KEYWORDS.contains(&w)
        && !WEEKDAYS.contains(&w)
}

/// The canonical text of a rule-language string.
pub fn layout(text: &str) -> String {
    let tokens = lex(text);
    let one_line = print(&tokens);
    if one_line.len() <= LINE_LIMIT || tokens.iter().any(|t| matches!(t, Tok::Newline | Tok::Comment(_))) {
        return one_line;
    }
    print(&break_outermost(&tokens))
}

/// Inserts a line break before every `and` / `or` outside brackets (not the
/// `or` of `is on or before` or of `next tuesday or friday`).
fn break_outermost(tokens: &[Tok]) -> Vec<Tok> {
    let mut out = Vec::with_capacity(tokens.len() + 8);
    let mut depth = 0usize;
    for (i, t) in tokens.iter().enumerate() {
        let logical = match t {
            Tok::Word(w) if w == "and" => true,
            Tok::Word(w) if w == "or" => match i.checked_sub(1).map(|p| &tokens[p]) {
                Some(Tok::Word(prev)) => prev != "on" && !WEEKDAYS.contains(&prev.as_str()),
                _ => true,
            },
            _ => false,
        };
        if logical && depth == 0 && i > 0 {
            out.push(Tok::Newline);
        }
        match t {
            Tok::Punct("(") => depth += 1,
            Tok::Punct(")") => depth = depth.saturating_sub(1),
            _ => {}
        }
        out.push(t.clone());
    }
    out
}

fn print(tokens: &[Tok]) -> String {
    let mut out = String::new();
    let mut depth = 0usize;
    let mut prev: Option<&Tok> = None;
    let mut prev_sign = false;
    let mut line_break = false;
    for t in tokens {
        if *t == Tok::Newline {
            line_break = true;
            continue;
        }
        if matches!(prev, Some(Tok::Comment(_))) {
            line_break = true;
        }
        if line_break && prev.is_some() {
            // a closing bracket lines up with the line that opened it
            let indent = if *t == Tok::Punct(")") { depth.saturating_sub(1) } else { depth.max(1) };
            out.push('\n');
            out.push_str(&"  ".repeat(indent));
        } else if let Some(p) = prev {
            if space_between(p, t, prev_sign) {
                out.push(' ');
            }
        }
        line_break = false;
        prev_sign = *t == Tok::Punct("-") && !prev.is_some_and(ends_value);
        match t {
            Tok::Word(w) | Tok::Str(w) | Tok::Comment(w) => out.push_str(w),
            Tok::Punct(p) => out.push_str(p),
            Tok::Newline => {}
        }
        match t {
            Tok::Punct("(") => depth += 1,
            Tok::Punct(")") => depth = depth.saturating_sub(1),
            _ => {}
        }
        prev = Some(t);
    }
    out
}

fn space_between(a: &Tok, b: &Tok, a_is_sign: bool) -> bool {
    if matches!(b, Tok::Punct(")" | "," | ":")) || *a == Tok::Punct("(") || a_is_sign {
        return false;
    }
    if *b == Tok::Punct("(") {
        return !matches!(a, Tok::Word(w) if is_callee(w));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::layout;

    #[test]
    fn spacing_becomes_one_space_around_operators_and_none_inside_brackets() {
        assert_eq!(layout("latest( items.received_on )+1   day"), "latest(items.received_on) + 1 day");
        assert_eq!(layout("a is one of(x ,y)"), "a is one of (x, y)");
        assert_eq!(layout("x*-1 - -2"), "x * -1 - -2");
        assert_eq!(layout("5 working   days"), "5 working days");
        assert_eq!(
            layout("tiered a :15% of the first €2500, 1% of the rest"),
            "tiered a: 15% of the first EUR 2500, 1% of the rest"
        );
        assert_eq!(layout("d>=2026-03-02 and not(x)"), "d >= 2026-03-02 and not (x)");
        assert_eq!(layout("timeline(\"a b\":x)"), "timeline(\"a b\": x)");
        assert_eq!(layout("one of  a,b , c"), "one of a, b, c");
    }

    proptest::proptest! {
        #[test]
        fn any_text_keeps_every_character_but_whitespace_and_settles_at_once(text in "[a-z0-9 .,:()!=<>+*/#\"€%\n\t-]{0,60}") {
            let squeeze = |t: &str| t.replace('€', "EUR").chars().filter(|c| !c.is_whitespace()).collect::<String>();
            let out = layout(&text);
            proptest::prop_assert_eq!(squeeze(&text), squeeze(&out));
            proptest::prop_assert_eq!(layout(&out), out, "idempotent");
        }
    }

    #[test]
    fn line_breaks_are_kept_and_indented_by_open_brackets() {
        let text = "timeline(\n\"a\": x,\n\n      \"b\": y)\n";
        assert_eq!(layout(text), "timeline(\n  \"a\": x,\n  \"b\": y)");
        assert_eq!(layout("timeline(\n\"a\": x\n  )"), "timeline(\n  \"a\": x\n)");
        assert_eq!(layout("a # why a\n  and b"), "a # why a\n  and b");
        assert_eq!(layout("a # why a\n"), "a # why a");
    }

    #[test]
    fn a_long_condition_breaks_before_its_outermost_and_or() {
        let long = "contract.kind is one of (service, goods_and_service) and contract.fully_performed_on is on or before withdrawal.sent_on or (x and y)";
        assert_eq!(
            layout(long),
            "contract.kind is one of (service, goods_and_service)\n  and contract.fully_performed_on is on or before withdrawal.sent_on\n  or (x and y)"
        );
        assert_eq!(layout(&layout(long)), layout(long));
    }
}
