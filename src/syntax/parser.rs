//! pest pairs → [`Expr`] / [`TypeExpr`], with spans mapped back into the TOML file.

use super::ast::{BinOp, DayCount, Expr, ExprKind, InterestExpr, Suspension, Tier, TypeExpr, Unit};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceId, Span};
use chrono::Weekday;
use pest::iterators::{Pair, Pairs};
use pest::pratt_parser::{Assoc, Op, PrattParser};
use pest::Parser;
use rust_decimal::Decimal;
use std::str::FromStr;
use std::sync::LazyLock;

#[derive(pest_derive::Parser)]
#[grammar = "../grammar/rules.pest"]
struct RuleParser;

/// Deepest bracket nesting accepted in one expression.
pub const MAX_NESTING: usize = 64;

/// Maps byte offsets in a decoded TOML string back to offsets in the file.
#[derive(Clone, Debug)]
pub struct StringMap {
    src: SourceId,
    /// File offset of the string's first content byte.
    base: usize,
    /// For strings with escapes: file offset of each content byte.
    table: Option<Vec<usize>>,
}

impl StringMap {
    /// A map for a string that appears verbatim in the file at `base`.
    pub fn verbatim(src: SourceId, base: usize) -> StringMap {
        StringMap { src, base, table: None }
    }

    /// Builds the map for a TOML string value whose raw text (with quotes) is
    /// `raw`, starting at file offset `start`; `content` is its decoded value.
    pub fn for_toml_string(src: SourceId, raw: &str, start: usize, content: &str) -> StringMap {
        let (open, literal) = if raw.starts_with("'''") {
            (3, true)
        } else if raw.starts_with("\"\"\"") {
            (3, false)
        } else if raw.starts_with('\'') {
            (1, true)
        } else {
            (1, false)
        };
        let mut base = start + open;
        if open == 3 {
            if raw[open..].starts_with("\r\n") {
                base += 2;
            } else if raw[open..].starts_with('\n') {
                base += 1;
            }
        }
        let body = &raw[(base - start).min(raw.len())..];
        if literal || body.starts_with(content) {
            return StringMap::verbatim(src, base);
        }
        // A basic string with escapes: walk the raw text, one decoded char at a time.
        let mut table = Vec::with_capacity(content.len() + 1);
        let mut raw_chars = body.char_indices().peekable();
        for ch in content.chars() {
            let Some((i, rc)) = raw_chars.next() else {
                break;
            };
            let at = base + i;
            if rc == '\\' {
                // skip the escape sequence's remaining characters
                match raw_chars.next() {
                    Some((_, 'u')) => raw_chars.nth(3).map_or((), |_| ()),
                    Some((_, 'U')) => raw_chars.nth(7).map_or((), |_| ()),
                    _ => {}
                }
            }
            table.extend(std::iter::repeat_n(at, ch.len_utf8()));
        }
        table.push(table.last().map_or(base, |l| l + 1));
        StringMap { src, base, table: Some(table) }
    }

    fn offset(&self, i: usize) -> usize {
        match &self.table {
            None => self.base + i,
            Some(t) => t.get(i).copied().unwrap_or_else(|| t.last().copied().unwrap_or(self.base)),
        }
    }

    /// The file span of the decoded string's bytes `start..end`.
    pub fn span(&self, start: usize, end: usize) -> Span {
        Span::new(self.src, self.offset(start), self.offset(end))
    }
}

static PRATT: LazyLock<PrattParser<Rule>> = LazyLock::new(|| {
    use Rule::*;
    PrattParser::new()
        .op(Op::infix(or, Assoc::Left))
        .op(Op::infix(and, Assoc::Left))
        .op(Op::prefix(not))
        .op(Op::infix(eq, Assoc::Left)
            | Op::infix(ne, Assoc::Left)
            | Op::infix(lt, Assoc::Left)
            | Op::infix(le, Assoc::Left)
            | Op::infix(gt, Assoc::Left)
            | Op::infix(ge, Assoc::Left)
            | Op::infix(is, Assoc::Left)
            | Op::infix(is_not, Assoc::Left)
            | Op::infix(before, Assoc::Left)
            | Op::infix(after, Assoc::Left)
            | Op::infix(on_or_before, Assoc::Left)
            | Op::infix(on_or_after, Assoc::Left))
        .op(Op::postfix(is_given) | Op::postfix(is_absent) | Op::postfix(is_one_of) | Op::postfix(is_not_one_of))
        .op(Op::infix(otherwise, Assoc::Left))
        .op(Op::infix(add, Assoc::Left) | Op::infix(sub, Assoc::Left))
        .op(Op::infix(mul, Assoc::Left) | Op::infix(div, Assoc::Left))
        .op(Op::prefix(neg))
});

/// Parses one expression.
pub fn parse_expr(text: &str, map: &StringMap) -> Result<Expr, Diagnostic> {
    pre_scan(text, map)?;
    // pest and the tree builder recurse once per nesting level; a long text may
    // nest deeply, so it is parsed on a stack of its own (then the depth is checked)
    let parse = || {
        let mut pairs =
            RuleParser::parse(Rule::expression, text).map_err(|e| syntax_error(e, text, map, "an expression"))?;
        let expression = pairs.next().expect("grammar: expression");
        let expr = expression.into_inner().next().expect("grammar: expr");
        let expr = Builder { map }.expr(expr)?;
        check_depth(&expr)?;
        Ok(expr)
    };
    if text.len() < 1_000 {
        parse()
    } else {
        stacker::grow(PARSE_STACK, parse)
    }
}

/// Stack for parsing a long expression: pest needs a few KB per nesting level.
const PARSE_STACK: usize = 256 * 1024 * 1024;

/// Longest expression text accepted (characters).
pub const MAX_LENGTH: usize = 8_000;
/// Deepest expression tree accepted (operators inside operators).
pub const MAX_DEPTH: usize = 1_000;

/// The tree's depth, measured without recursion, against [`MAX_DEPTH`]:
/// the checker and evaluator recurse over it.
fn check_depth(root: &Expr) -> Result<(), Diagnostic> {
    let mut stack: Vec<(&Expr, usize)> = vec![(root, 1)];
    while let Some((e, depth)) = stack.pop() {
        if depth > MAX_DEPTH {
            return Err(Diagnostic::new(
                "syntax::too-deep",
                format!("expression nested more than {MAX_DEPTH} operators deep"),
                e.span,
            )
            .label("too deep from here")
            .help("split the expression into intermediate conclusions (`internal = true`)"));
        }
        let mut children: Vec<&Expr> = Vec::new();
        match &e.kind {
            ExprKind::Not(a) | ExprKind::Neg(a) => children.push(a),
            ExprKind::Binary(_, a, b) => children.extend([&**a, &**b]),
            ExprKind::OneOf { value, set, .. } => {
                children.push(value);
                children.extend(set);
            }
            ExprKind::Given { value, .. } => children.push(value),
            ExprKind::If(c, a, b) => children.extend([&**c, &**a, &**b]),
            ExprKind::Period { length, event, suspension, .. } => {
                children.extend([&**length, &**event]);
                children.extend(suspension.iter().flat_map(|s| s.during.iter()));
            }
            ExprKind::Tiered { amount, tiers } => {
                children.push(amount);
                for t in tiers {
                    children.push(&t.rate);
                    children.extend(t.size.iter());
                }
            }
            ExprKind::Timeline(events) => children.extend(events.iter().map(|(_, _, x)| x)),
            ExprKind::Lookup { on, .. } => children.push(on),
            ExprKind::Interest(i) => children.extend([&i.amount, &i.rate, &i.from, &i.to]),
            ExprKind::Next { from, .. } => children.push(from),
            ExprKind::Call { args, .. } => children.extend(args),
            _ => {}
        }
        stack.extend(children.into_iter().map(|c| (c, depth + 1)));
    }
    Ok(())
}

/// Parses a type annotation such as `one of a, b` or `list of date`.
pub fn parse_type(text: &str, map: &StringMap) -> Result<TypeExpr, Diagnostic> {
    let word = text.trim();
    let mut pairs = RuleParser::parse(Rule::type_annotation, text).map_err(|e| {
        if let Some(help) = type_hint(word) {
            let start = text.find(word).unwrap_or(0);
            return Diagnostic::new(
                "syntax::unknown-type",
                format!("cannot read the type `{word}`"),
                map.span(start, start + word.len()),
            )
            .label("not a type")
            .help(help);
        }
        if !word.is_empty() && word.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            let start = text.find(word).unwrap_or(0);
            return Diagnostic::new(
                "syntax::unknown-type",
                format!("unknown type `{word}`"),
                map.span(start, start + word.len()),
            )
            .label("not a type")
            .help(match crate::diagnostic::did_you_mean(word, TYPE_NAMES.iter().copied()) {
                Some(t) => format!("did you mean `{t}`?"),
                None => format!("types are {}, `one of a, b, …` and `list of …`", TYPE_NAMES.join(", ")),
            });
        }
        syntax_error(e, text, map, "a type")
    })?;
    let ty = pairs.next().expect("grammar: type").into_inner().next().expect("grammar: type_expr");
    type_expr(ty, map)
}

/// What a type written as in another language or notation should be.
fn type_hint(word: &str) -> Option<String> {
    if let Some(rest) = word.strip_prefix("one of") {
        let inner = rest.trim();
        if inner.starts_with('(') || inner.starts_with('[') || inner.starts_with('{') {
            let values = inner.trim_matches(|c| matches!(c, '(' | ')' | '[' | ']' | '{' | '}'));
            return Some(format!("an enumeration type is written without brackets: `one of {values}`"));
        }
    }
    if word.contains('|') {
        let values: Vec<&str> = word.split('|').map(str::trim).collect();
        return Some(format!("an enumeration type is written `one of {}`", values.join(", ")));
    }
    if let Some(rest) = word.strip_prefix("list ").filter(|r| !r.trim_start().starts_with("of")) {
        return Some(format!("write `list of {}`", rest.trim()));
    }
    let english = match word.to_lowercase().as_str() {
        "booléen" | "booleen" | "boolean" | "boolean_" | "bool?" | "booleaans" | "ja/nee" | "oui/non" => "bool",
        "entier" | "nombre" | "getal" | "int" | "geheel" => "integer",
        "texte" | "tekst" | "chaîne" | "string" | "str" => "text",
        "montant" | "argent" | "bedrag" | "geld" | "euro" | "eur" => "money",
        "durée" | "duur" | "termijn" | "délai" => "duration",
        "décimal" | "decimaal" | "float" | "nombre décimal" => "decimal",
        "datum" | "jour" => "date",
        _ => return None,
    };
    Some(format!("types are written in English: `{english}`"))
}

const TYPE_NAMES: &[&str] =
    &["bool", "integer", "decimal", "money", "date", "duration", "text", "weekday", "interval", "timeline"];

fn type_expr(pair: Pair<Rule>, map: &StringMap) -> Result<TypeExpr, Diagnostic> {
    Ok(match pair.as_rule() {
        Rule::scalar_type => match pair.as_str() {
            "bool" => TypeExpr::Bool,
            "integer" => TypeExpr::Integer,
            "decimal" => TypeExpr::Decimal,
            "money" => TypeExpr::Money,
            "date" => TypeExpr::Date,
            "duration" => TypeExpr::Duration,
            "weekday" => TypeExpr::Weekday,
            "interval" => TypeExpr::Interval,
            "timeline" => TypeExpr::Timeline,
            _ => TypeExpr::Text,
        },
        Rule::enum_type => {
            let mut values: Vec<(String, Span)> = Vec::new();
            for p in pair.into_inner() {
                let span = map.span(p.as_span().start(), p.as_span().end());
                if let Some((_, first)) = values.iter().find(|(v, _)| v == p.as_str()) {
                    return Err(Diagnostic::new(
                        "syntax::enum-duplicate",
                        format!("`{}` is listed twice", p.as_str()),
                        span,
                    )
                    .label("second time")
                    .also(*first, "first listed here")
                    .help("list each value once"));
                }
                values.push((p.as_str().to_string(), span));
            }
            TypeExpr::Enum(values.into_iter().map(|(v, _)| v).collect())
        }
        Rule::list_type => {
            let inner = pair.into_inner().next().expect("grammar: list element");
            match inner.as_rule() {
                Rule::ident => TypeExpr::Records(inner.as_str().to_string()),
                _ => TypeExpr::List(Box::new(type_expr(inner, map)?)),
            }
        }
        _ => unreachable!("grammar: type rule {:?}", pair.as_rule()),
    })
}

/// Problems pest would report poorly: brackets that do not match, nesting
/// too deep for the parser, and operators from programming languages.
fn pre_scan(text: &str, map: &StringMap) -> Result<(), Diagnostic> {
    if text.chars().count() > MAX_LENGTH {
        return Err(Diagnostic::new(
            "syntax::too-long",
            format!("expression longer than {MAX_LENGTH} characters"),
            map.span(0, text.len().min(1)),
        )
        .label("too long")
        .help("split it into intermediate conclusions (`internal = true`)"));
    }
    let mut open: Vec<usize> = Vec::new();
    let mut in_string = false;
    let bytes = text.as_bytes();
    for (i, c) in text.char_indices() {
        if c == '"' {
            in_string = !in_string;
        }
        if in_string || c == '"' {
            continue;
        }
        if let Some(d) = foreign_literal(text, i, c, map) {
            return Err(d);
        }
        let next = bytes.get(i + 1).copied().map(char::from);
        let foreign = match (c, next) {
            ('&', Some('&')) => Some(("&&", "and")),
            ('|', Some('|')) => Some(("||", "or")),
            ('=', Some('=')) => Some(("==", "= (or `is`)")),
            ('!', n) if n != Some('=') => Some(("!", "not")),
            _ => None,
        };
        if let Some((op, word)) = foreign {
            return Err(Diagnostic::new(
                "syntax::operator",
                format!("`{op}` is not an operator of the rule language"),
                map.span(i, i + op.len()),
            )
            .label("not an operator here")
            .help(format!("write `{word}` instead")));
        }
        match c {
            '(' => {
                open.push(i);
                if open.len() > MAX_NESTING {
                    return Err(Diagnostic::new(
                        "syntax::too-deep",
                        format!("expression nested more than {MAX_NESTING} brackets deep"),
                        map.span(i, i + 1),
                    )
                    .label("too deep from here")
                    .help("split the expression into intermediate conclusions (`internal = true`)"));
                }
            }
            ')' if open.pop().is_none() => {
                return Err(Diagnostic::new("syntax::bracket", "this `)` has no matching `(`", map.span(i, i + 1))
                    .label("unmatched")
                    .help("remove it, or add the `(` it closes"));
            }
            _ => {}
        }
    }
    if let Some(&i) = open.last() {
        let opener =
            text[..i].trim_end().rsplit(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).next().unwrap_or("");
        let what = if opener.is_empty() { "this `(`".to_string() } else { format!("`{opener}(`") };
        return Err(Diagnostic::new("syntax::bracket", format!("{what} is not closed"), map.span(i, i + 1))
            .label("opened here")
            .help("add the missing `)`"));
    }
    Ok(())
}

/// A literal written as in a contract rather than as the rule language
/// writes it: `€40`, `28/05/2022`, `[a, b]`.
fn foreign_literal(text: &str, i: usize, c: char, map: &StringMap) -> Option<Diagnostic> {
    let rest = &text[i..];
    if c == '€' {
        let digits: String =
            rest[c.len_utf8()..].chars().take_while(|c| c.is_ascii_digit() || *c == '.' || *c == ',').collect();
        let amount = if digits.is_empty() { "40.00".to_string() } else { digits.replace(',', ".") };
        return Some(
            Diagnostic::new(
                "syntax::money",
                "money is written with its currency code, not `€`",
                map.span(i, i + c.len_utf8()),
            )
            .label("not a currency here")
            .help(format!("write the code first: `EUR {amount}`")),
        );
    }
    let code: String = rest.chars().take_while(char::is_ascii_uppercase).collect();
    if code.len() == 3 && (i == 0 || !text[..i].ends_with(|p: char| p.is_ascii_alphanumeric() || p == '_')) {
        let after = rest[3..].trim_start();
        let whole: String = after.chars().take_while(char::is_ascii_digit).collect();
        let cents: String =
            after[whole.len()..].strip_prefix(',').unwrap_or("").chars().take_while(char::is_ascii_digit).collect();
        if !whole.is_empty() && cents.len() == 2 {
            let len = rest.len() - after.len() + whole.len() + 3;
            return Some(
                Diagnostic::new(
                    "syntax::money",
                    format!("`{code} {whole},{cents}` has a decimal comma"),
                    map.span(i, i + len),
                )
                .label("a decimal comma")
                .help(format!(
                    "amounts are written with a decimal point: `{code} {whole}.{cents}` (a comma separates arguments)"
                )),
            );
        }
    }
    let starts_number = i == 0 || !text[..i].ends_with(|p: char| p.is_ascii_alphanumeric() || p == '_' || p == '.');
    if c.is_ascii_digit() && starts_number {
        let token: String = rest.chars().take_while(|c| c.is_ascii_digit() || *c == '/').collect();
        let parts: Vec<&str> = token.split('/').collect();
        if parts.len() == 3 && parts.iter().all(|p| !p.is_empty()) && parts[2].len() == 4 {
            let (d, m, y) = (parts[0], parts[1], parts[2]);
            return Some(
                Diagnostic::new(
                    "syntax::bad-date",
                    format!("`{token}` is not a date in the rule language"),
                    map.span(i, i + token.len()),
                )
                .label("a date written day/month/year")
                .help(format!("write dates as YEAR-MONTH-DAY: `{y}-{m:0>2}-{d:0>2}`")),
            );
        }
    }
    if c == '[' {
        let close = rest.find(']').map_or(rest.len(), |j| j + 1);
        let inner = rest.get(1..close.saturating_sub(1).max(1)).unwrap_or("");
        return Some(
            Diagnostic::new("syntax::bracket", "lists are written in round brackets", map.span(i, i + 1))
                .label("a square bracket")
                .help(format!("write `is one of ({})`", inner.trim_end_matches(']'))),
        );
    }
    None
}

/// What the author probably meant by the word `found`, the place pest stopped at.
fn likely_meant(found: &str, before: &str, text: &str, at_end: bool) -> Option<String> {
    let word: String = found.trim_start_matches('`').chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let lower = word.to_lowercase();
    let unit = match lower.as_str() {
        "dag" | "dagen" | "jour" | "jours" | "tag" | "tage" | "d" | "j" | "dias" | "giorni" => Some("days"),
        "werkdag" | "werkdagen" | "ouvrables" | "ouvrable" | "ouvrés" | "werktage" => Some("working days"),
        "week" | "weken" | "semaine" | "semaines" | "wochen" | "w" => Some("weeks"),
        "maand" | "maanden" | "mois" | "monate" | "m" => Some("months"),
        "jaar" | "jaren" | "an" | "ans" | "année" | "années" | "jahre" | "y" => Some("years"),
        _ => None,
    };
    let after_number = before.trim_end().ends_with(|c: char| c.is_ascii_digit());
    if let (Some(u), true) = (unit, after_number) {
        let u = if text.contains("ouvrable") || text.contains("werkdag") { "working days" } else { u };
        return Some(format!(
            "units are written in English: `{u}` (days, weeks, months, years, working days), e.g. `14 {u}`"
        ));
    }
    if after_number && word.len() == 3 && word.chars().all(|c| c.is_ascii_uppercase()) {
        let amount = before.trim_end().rsplit(|c: char| !(c.is_ascii_digit() || c == '.')).next().unwrap_or("40.00");
        return Some(format!("money is written with the currency first: `{word} {amount}`"));
    }
    if after_number && matches!(lower.as_str(), "percent" | "pourcent" | "procent" | "prozent" | "pct") {
        return Some("a percentage is written with `%`: `10%`".to_string());
    }
    let in_period = before.contains("period ");
    match lower.as_str() {
        "before" | "from" | "until" | "since" | "voor" | "avant" | "vanaf" | "depuis" if in_period => {
            return Some("a legal period is counted after its event: `period 14 days after E`; the day 14 days before an event is `E - 14 days`".to_string());
        }
        "et" | "en" | "und" => return Some("write `and`".to_string()),
        "ou" | "of" | "oder" => return Some("write `or`".to_string()),
        "in" => return Some("membership is written `is one of (a, b)`".to_string()),
        "one" => return Some("write `is one of (a, b)`".to_string()),
        _ => {}
    }
    if found.starts_with('`') && found.chars().nth(1).is_some_and(|c| !c.is_ascii()) {
        return Some(
            "names and enumeration values are ASCII letters, digits and `_`: write them without accents".to_string(),
        );
    }
    if at_end && text.contains("if ") && !text.contains(" else") {
        return Some("`if` needs both branches: `if C then A else B`".to_string());
    }
    None
}

fn syntax_error(e: pest::error::Error<Rule>, text: &str, map: &StringMap, what: &str) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let (start, end) = match e.location {
        InputLocation::Pos(p) => (p, next_char(text, p)),
        InputLocation::Span((s, e)) => (s, e),
    };
    let found = text[start..].split_whitespace().next().unwrap_or("");
    let found = if found.is_empty() { "the end".to_string() } else { format!("`{found}`") };
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&str> = positives.iter().filter_map(|r| describe(*r)).collect();
            names.sort();
            names.dedup();
            names
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let message = if expected.is_empty() {
        format!("cannot read {what} at {found}")
    } else {
        format!("expected {} but found {found}", join_or(&expected))
    };
    let wants_operator = expected.contains(&"an operator") && !expected.contains(&"a value");
    let at_end = start >= text.trim_end().len();
    let meant = likely_meant(&found, &text[..start], text, at_end);
    let help = if let Some(meant) = meant {
        meant
    } else if found.starts_with("`'") {
        "text literals use double quotes inside an expression: \"text\"".to_string()
    } else if start >= text.trim_end().len() {
        format!("{what} is incomplete; see docs/LANGUAGE.md for the forms")
    } else if wants_operator {
        format!("is an operator missing before {found}? Combine values with and, or, is, =, <, +, -, *, / …")
    } else {
        "see docs/LANGUAGE.md (Expressions) for the forms an expression can take".to_string()
    };
    Diagnostic::new("syntax::unexpected", message, map.span(start, end)).label("here").help(help)
}

fn next_char(text: &str, p: usize) -> usize {
    text[p..].chars().next().map_or(p, |c| p + c.len_utf8())
}

fn join_or(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}

fn describe(rule: Rule) -> Option<&'static str> {
    use Rule::*;
    Some(match rule {
        expr | arith | primary | name | ident | call | if_expr | period_expr | next_expr | integer | decimal | date
        | string | boolean | money | percent | duration | not | neg => "a value",
        or | and | otherwise | eq | ne | lt | le | gt | ge | is | is_not | before | after | on_or_before
        | on_or_after | add | sub | mul | div | is_given | is_absent | is_one_of | is_not_one_of => "an operator",
        unit => "a unit (days, weeks, months, years, working days)",
        weekday => "a weekday",
        set => "a list in brackets",
        scalar_type | list_type | enum_type => {
            "a type (bool, integer, decimal, money, date, duration, text, one of …, list of …)"
        }
        segment => "a name",
        without_shift => "`without shift`",
        kw_at => "`at` and the yearly rate",
        kw_from => "`from` and the first day of interest",
        kw_to => "`to` and the day interest stops",
        day_count => "a day count: `, days / 365` or `, days / year`",
        compounded => "`, compounded yearly`",
        kw_yearly => "`yearly` (interest compounds once a year)",
        day_count_year | kw_year => "`year` (or a number of days)",
        next_inclusive | next_exclusive => "`after` or `on or after`",
        EOI => "the end of the expression",
        _ => return None,
    })
}

/// The inner pairs of a rule, without its keywords.
fn parts(pair: Pair<Rule>) -> impl Iterator<Item = Pair<Rule>> {
    use Rule::*;
    pair.into_inner().filter(|p| {
        !matches!(
            p.as_rule(),
            kw_is
                | kw_not
                | kw_one
                | kw_of
                | kw_given
                | kw_absent
                | kw_on
                | kw_or
                | kw_before
                | kw_after
                | kw_if
                | kw_then
                | kw_else
                | kw_period
                | kw_without
                | kw_shift
                | kw_next
                | kw_paused
                | kw_during
                | kw_restarting
                | kw_tiered
                | kw_the
                | kw_first
                | kw_rest
                | kw_interest
                | kw_at
                | kw_from
                | kw_to
                | kw_days
                | kw_year
                | kw_compounded
                | kw_yearly
        )
    })
}

struct Builder<'m> {
    map: &'m StringMap,
}

impl Builder<'_> {
    fn span(&self, p: &Pair<Rule>) -> Span {
        let s = p.as_span();
        self.map.span(s.start(), s.end())
    }

    fn expr(&self, pair: Pair<Rule>) -> Result<Expr, Diagnostic> {
        match pair.as_rule() {
            Rule::expr | Rule::arith => self.pratt(pair.into_inner()),
            other => Err(Diagnostic::new(
                "syntax::internal",
                format!("internal error: expected an expression, the parser gave {other:?}"),
                self.span(&pair),
            )
            .help("please report this rulebook; rewriting the expression may avoid it")),
        }
    }

    fn pratt(&self, pairs: Pairs<Rule>) -> Result<Expr, Diagnostic> {
        PRATT
            .map_primary(|p| self.primary(p))
            .map_prefix(|op, rhs| {
                let rhs = rhs?;
                let span = self.span(&op).to(rhs.span);
                let kind = match op.as_rule() {
                    Rule::not => ExprKind::Not(Box::new(rhs)),
                    _ => ExprKind::Neg(Box::new(rhs)),
                };
                Ok(Expr { kind, span })
            })
            .map_postfix(|lhs, op| {
                let lhs = lhs?;
                let span = lhs.span.to(self.span(&op));
                let kind = match op.as_rule() {
                    Rule::is_given => ExprKind::Given { value: Box::new(lhs), negated: false },
                    Rule::is_absent => ExprKind::Given { value: Box::new(lhs), negated: true },
                    rule => {
                        let set_pair = parts(op).next().expect("grammar: set");
                        let set = set_pair.into_inner().map(|p| self.expr(p)).collect::<Result<_, _>>()?;
                        ExprKind::OneOf { value: Box::new(lhs), set, negated: rule == Rule::is_not_one_of }
                    }
                };
                Ok(Expr { kind, span })
            })
            .map_infix(|lhs, op, rhs| {
                let (lhs, rhs) = (lhs?, rhs?);
                let bin = match op.as_rule() {
                    Rule::or => BinOp::Or,
                    Rule::and => BinOp::And,
                    Rule::otherwise => BinOp::Otherwise,
                    Rule::eq | Rule::is => BinOp::Eq,
                    Rule::ne | Rule::is_not => BinOp::Ne,
                    Rule::lt | Rule::before => BinOp::Lt,
                    Rule::le | Rule::on_or_before => BinOp::Le,
                    Rule::gt | Rule::after => BinOp::Gt,
                    Rule::ge | Rule::on_or_after => BinOp::Ge,
                    Rule::add => BinOp::Add,
                    Rule::sub => BinOp::Sub,
                    Rule::mul => BinOp::Mul,
                    _ => BinOp::Div,
                };
                let span = lhs.span.to(rhs.span);
                Ok(Expr { kind: ExprKind::Binary(bin, Box::new(lhs), Box::new(rhs)), span })
            })
            .parse(pairs)
    }

    fn primary(&self, p: Pair<Rule>) -> Result<Expr, Diagnostic> {
        let span = self.span(&p);
        let text = p.as_str();
        let kind = match p.as_rule() {
            Rule::expr | Rule::arith => return self.pratt(p.into_inner()),
            Rule::boolean => ExprKind::Bool(text == "true"),
            Rule::integer => ExprKind::Int(text.parse().map_err(|_| too_large(span, text))?),
            Rule::decimal => ExprKind::Decimal(decimal(text, span)?),
            Rule::percent => {
                let d = decimal(&text[..text.len() - 1], span)?;
                ExprKind::Decimal(d / Decimal::ONE_HUNDRED)
            }
            Rule::money => {
                let mut inner = p.into_inner();
                let currency = inner.next().expect("grammar: currency").as_str();
                let currency = if currency == "€" { "EUR" } else { currency };
                let amount = decimal(inner.next().expect("grammar: number").as_str(), span)?;
                ExprKind::Money { currency: currency.to_string(), amount }
            }
            Rule::date => ExprKind::Date(crate::input::parse_date(text).ok_or_else(|| {
                Diagnostic::new("syntax::bad-date", format!("`{text}` is not a valid date"), span)
                    .label("no such day")
                    .help("write YYYY-MM-DD and check the day exists in that month")
            })?),
            Rule::string => ExprKind::Text(p.into_inner().next().map_or("", |s| s.as_str()).to_string()),
            Rule::name => ExprKind::Name(text.to_string()),
            Rule::duration => {
                let mut inner = p.into_inner();
                let n_pair = inner.next().expect("grammar: count");
                let n: i64 = n_pair.as_str().parse().map_err(|_| too_large(span, n_pair.as_str()))?;
                let unit = match inner.next().expect("grammar: unit").as_str() {
                    u if u.starts_with("working") => Unit::WorkingDays,
                    u if u.starts_with("day") => Unit::Days,
                    u if u.starts_with("week") => Unit::Weeks,
                    u if u.starts_with("month") => Unit::Months,
                    _ => Unit::Years,
                };
                ExprKind::Duration(n, unit)
            }
            Rule::if_expr => {
                let mut inner = parts(p);
                let mut next = || self.expr(inner.next().expect("grammar: if part"));
                let (c, a, b) = (next()?, next()?, next()?);
                ExprKind::If(Box::new(c), Box::new(a), Box::new(b))
            }
            Rule::period_expr => {
                let mut inner = parts(p);
                let length = self.expr(inner.next().expect("grammar: length"))?;
                let event = self.expr(inner.next().expect("grammar: event"))?;
                let mut shift = true;
                let mut suspension = None;
                for part in inner {
                    match part.as_rule() {
                        Rule::without_shift => shift = false,
                        _ => {
                            let kind = part.into_inner().next().expect("grammar: suspension kind");
                            let restart = kind.as_rule() == Rule::restarting_after;
                            let target = parts(kind).next().expect("grammar: suspension target");
                            let during = match target.as_rule() {
                                Rule::set => target.into_inner().map(|x| self.expr(x)).collect::<Result<_, _>>()?,
                                _ => vec![self.expr(target)?],
                            };
                            suspension = Some(Suspension { restart, during });
                        }
                    }
                }
                ExprKind::Period { length: Box::new(length), event: Box::new(event), shift, suspension }
            }
            Rule::tiered_expr => {
                let mut inner = parts(p);
                let amount = self.expr(inner.next().expect("grammar: amount"))?;
                let mut tiers = Vec::new();
                for tier in inner {
                    let mut t = parts(tier);
                    let rate = self.expr(t.next().expect("grammar: rate"))?;
                    let which = t.next().expect("grammar: tranche");
                    let size = match which.as_rule() {
                        Rule::tier_rest => None,
                        _ => Some(self.expr(parts(which).next().expect("grammar: tranche size"))?),
                    };
                    tiers.push(Tier { rate, size });
                }
                ExprKind::Tiered { amount: Box::new(amount), tiers }
            }
            Rule::lookup_expr => {
                let mut inner = parts(p);
                let table = inner.next().expect("grammar: table name");
                let table_span = self.span(&table);
                let on = self.expr(inner.next().expect("grammar: lookup day"))?;
                ExprKind::Lookup { table: table.as_str().to_string(), table_span, on: Box::new(on) }
            }
            Rule::interest_expr => {
                let mut inner = parts(p);
                let mut next = || self.expr(inner.next().expect("grammar: interest part"));
                let (amount, rate, from, to) = (next()?, next()?, next()?, next()?);
                let count = inner.next().expect("grammar: day count");
                let day_count_span = self.span(&count);
                let basis = parts(count).next().expect("grammar: day count basis");
                let day_count = match basis.as_rule() {
                    Rule::day_count_year => DayCount::ActualYear,
                    _ => {
                        let n: i64 = basis.as_str().parse().map_err(|_| too_large(day_count_span, basis.as_str()))?;
                        if n <= 0 {
                            return Err(Diagnostic::new(
                                "syntax::day-count",
                                "a year of interest must have at least one day",
                                day_count_span,
                            )
                            .label("divides by zero")
                            .help("write `days / 365` (or `days / 360`, `days / year`)"));
                        }
                        DayCount::Fixed(n)
                    }
                };
                let compounded = inner.next().is_some();
                ExprKind::Interest(Box::new(InterestExpr {
                    amount,
                    rate,
                    from,
                    to,
                    day_count,
                    day_count_span,
                    compounded,
                }))
            }
            Rule::timeline_expr => {
                let mut events = Vec::new();
                for event in p.into_inner() {
                    let mut e = event.into_inner();
                    let label = e.next().expect("grammar: label");
                    let label_span = self.span(&label);
                    let text = label.into_inner().next().map_or("", |s| s.as_str()).to_string();
                    events.push((text, label_span, self.expr(e.next().expect("grammar: event value"))?));
                }
                ExprKind::Timeline(events)
            }
            Rule::next_expr => {
                let mut days = Vec::new();
                let mut inclusive = false;
                let mut from = None;
                for part in parts(p) {
                    match part.as_rule() {
                        Rule::weekday => days.push(Weekday::from_str(part.as_str()).unwrap_or(Weekday::Mon)),
                        Rule::next_inclusive => inclusive = true,
                        Rule::next_exclusive => {}
                        _ => from = Some(self.expr(part)?),
                    }
                }
                ExprKind::Next { days, inclusive, from: Box::new(from.expect("grammar: next from")) }
            }
            Rule::call => {
                let mut inner = p.into_inner();
                let f = inner.next().expect("grammar: function name");
                let func_span = self.span(&f);
                let args = inner.map(|a| self.expr(a)).collect::<Result<_, _>>()?;
                ExprKind::Call { func: f.as_str().to_string(), func_span, args }
            }
            r => unreachable!("grammar: unexpected primary {r:?}"),
        };
        Ok(Expr { kind, span })
    }
}

fn decimal(text: &str, span: Span) -> Result<Decimal, Diagnostic> {
    Decimal::from_str_exact(text).map_err(|_| too_large(span, text))
}

fn too_large(span: Span, text: &str) -> Diagnostic {
    Diagnostic::new("syntax::number-too-large", format!("the number `{text}` is too large"), span)
        .label("out of range")
        .help("integers must fit in 64 bits and decimals in 28 digits")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hint(text: &str) -> String {
        let e = parse_expr(text, &StringMap::verbatim(SourceId(0), 0)).expect_err("should not parse");
        e.help.unwrap_or_default()
    }

    #[test]
    fn says_what_a_lawyer_probably_meant() {
        assert!(hint("period 14 jours after a").contains("`days`"));
        assert!(hint("period 5 jours ouvrables after a").contains("`working days`"));
        assert!(hint("a is before 28/05/2022").contains("`2022-05-28`"));
        assert!(hint("min(a, 40.00 EUR)").contains("`EUR 40.00`"));
        assert!(hint("min(a, €40)").contains("`EUR 40`"));
        assert!(hint("min(a, EUR 40,00)").contains("`EUR 40.00`"));
        assert!(parse("min(a, EUR 40, EUR 50)").is_ok(), "a comma between two amounts is not a decimal comma");
        assert!(hint("a is one of [x, y]").contains("`is one of (x, y)`"));
        assert!(hint("period 14 days before a").contains("counted after its event"));
        assert_eq!(hint("a is given et b"), "write `and`");
        assert!(hint("a in (x, y)").contains("is one of"));
        assert!(hint("if a then b").contains("else"));
    }

    #[test]
    fn says_how_types_are_written() {
        let t =
            |text: &str| parse_type(text, &StringMap::verbatim(SourceId(0), 0)).unwrap_err().help.unwrap_or_default();
        assert!(t("one of (a, b)").contains("`one of a, b`"));
        assert!(t("a | b").contains("`one of a, b`"));
        assert!(t("list item").contains("`list of item`"));
        assert!(t("booléen").contains("`bool`"));
    }

    fn parse(text: &str) -> Result<Expr, Diagnostic> {
        parse_expr(text, &StringMap::verbatim(SourceId(0), 0))
    }

    fn shape(e: &Expr) -> String {
        match &e.kind {
            ExprKind::Binary(op, a, b) => format!("({} {} {})", shape(a), op.symbol(), shape(b)),
            ExprKind::Not(a) => format!("(not {})", shape(a)),
            ExprKind::Neg(a) => format!("(-{})", shape(a)),
            ExprKind::Name(n) => n.clone(),
            ExprKind::Int(i) => i.to_string(),
            ExprKind::Duration(n, u) => format!("{n} {}", u.name(*n)),
            ExprKind::Given { value, negated } => {
                format!("({} {})", shape(value), if *negated { "absent" } else { "given" })
            }
            ExprKind::OneOf { value, set, negated } => {
                let set: Vec<_> = set.iter().map(shape).collect();
                format!("({} {}in [{}])", shape(value), if *negated { "not " } else { "" }, set.join(","))
            }
            ExprKind::Period { length, event, shift, suspension } => {
                let s = suspension.as_ref().map(|s| {
                    let during: Vec<_> = s.during.iter().map(shape).collect();
                    format!(", {} [{}]", if s.restart { "restart" } else { "pause" }, during.join(","))
                });
                format!("period({}, {}, {shift}{})", shape(length), shape(event), s.unwrap_or_default())
            }
            ExprKind::Tiered { amount, tiers } => {
                let t: Vec<_> = tiers
                    .iter()
                    .map(|t| format!("{}:{}", shape(&t.rate), t.size.as_ref().map_or("rest".into(), shape)))
                    .collect();
                format!("tiered({}; {})", shape(amount), t.join("; "))
            }
            ExprKind::Decimal(d) => d.to_string(),
            ExprKind::Money { amount, .. } => format!("EUR {amount}"),
            ExprKind::Call { func, args, .. } => {
                format!("{func}({})", args.iter().map(shape).collect::<Vec<_>>().join(","))
            }
            other => format!("{other:?}"),
        }
    }

    #[test]
    fn precedence_matches_the_language_reference() {
        let e = parse("not a.b is x and c or d").unwrap();
        assert_eq!(shape(&e), "(((not (a.b is x)) and c) or d)");
        let e = parse("a + b * c >= d - 1").unwrap();
        assert_eq!(shape(&e), "((a + (b * c)) >= (d - 1))");
        let e = parse("x otherwise y + 1 day is on or before z").unwrap();
        assert_eq!(shape(&e), "((x otherwise (y + 1 day)) <= z)");
        let e = parse("contract.kind is not one of (goods, service) and item.seal_broken").unwrap();
        assert_eq!(shape(&e), "((contract.kind not in [goods,service]) and item.seal_broken)");
        let e = parse("withdrawal.sent_on is given").unwrap();
        assert_eq!(shape(&e), "(withdrawal.sent_on given)");
    }

    #[test]
    fn periods_and_calls() {
        let e = parse("period 14 days after latest(items.received_on) without shift").unwrap();
        assert_eq!(shape(&e), "period(14 days, latest(items.received_on), false)");
        let e = parse("period 5 working days after x").unwrap();
        assert_eq!(shape(&e), "period(5 working days, x, true)");
        assert!(matches!(
            parse("next tuesday or friday on or after x").unwrap().kind,
            ExprKind::Next { inclusive: true, .. }
        ));
        assert!(matches!(parse("EUR 40.00").unwrap().kind, ExprKind::Money { .. }));
        let e = parse("period 14 days after x without shift, paused during (d.window, p.window)").unwrap();
        assert_eq!(shape(&e), "period(14 days, x, false, pause [d.window,p.window])");
        let e = parse("latest(period 14 days after x, restarting after w, y)").unwrap();
        assert_eq!(shape(&e), "latest(period(14 days, x, true, restart [w]),y)");
        let e =
            parse("round(tiered a: 15% of the first EUR 2500, 10% of the next EUR 2500, 0.5% of the rest, 2)").unwrap();
        assert_eq!(shape(&e), "round(tiered(a; 0.15:EUR 2500; 0.10:EUR 2500; 0.005:rest),2)");
        let e = parse("timeline(\"Order\": o.placed_on, \"Due\": i.due_on)").unwrap();
        assert!(matches!(e.kind, ExprKind::Timeline(ref v) if v.len() == 2));
        assert!(matches!(parse("15%").unwrap().kind, ExprKind::Decimal(d) if d == Decimal::new(15, 2)));
    }

    #[test]
    fn tables_and_interest() {
        let e = parse("statutory_interest_rate on claim.due_on + 1 day").unwrap();
        assert!(matches!(e.kind, ExprKind::Lookup { ref table, .. } if table == "statutory_interest_rate"));
        let e = parse("round(interest on claim.amount at rate from claim.due_on + 1 day to payment.paid_on, days / 365, compounded yearly, 2)").unwrap();
        let ExprKind::Call { args, .. } = e.kind else { panic!("a call") };
        let ExprKind::Interest(i) = &args[0].kind else { panic!("interest first") };
        assert!(i.compounded);
        assert_eq!(i.day_count, DayCount::Fixed(365));
        assert_eq!(shape(&i.from), "(claim.due_on + 1 day)");
        let e = parse("interest on a at 8% + r from x to y, days / year").unwrap();
        let ExprKind::Interest(i) = &e.kind else { panic!("interest") };
        assert_eq!(i.day_count, DayCount::ActualYear);
        assert!(!i.compounded);
        assert_eq!(shape(&i.rate), "(0.08 + r)");
        // a fact may still be called `interest`
        assert_eq!(shape(&parse("interest.total + 1").unwrap()), "(interest.total + 1)");
        let err = parse("interest on a at r from x to y, days / 0").unwrap_err();
        assert_eq!(err.code, "syntax::day-count");
        let err = parse("interest on a at r from x to y").unwrap_err();
        assert!(err.message.contains("expected"), "{}", err.message);
    }

    #[test]
    fn errors_point_into_the_file() {
        let map = StringMap::verbatim(SourceId(0), 100);
        let err = parse_expr("contract.kind is", &map).unwrap_err();
        assert_eq!(err.span().start, 116);
        let err = parse_expr("a and and b", &map).unwrap_err();
        assert_eq!(err.span().start, 106);
        assert!(err.message.contains("expected a value"), "{}", err.message);
        assert!(parse(&format!("{}1{}", "(".repeat(100), ")".repeat(100))).is_err());
    }

    #[test]
    fn string_map_follows_escapes() {
        let raw = r#""a\tb c""#;
        let map = StringMap::for_toml_string(SourceId(0), raw, 10, "a\tb c");
        // 'c' is content byte 4; in the file it is at 10 + 1 (quote) + 5
        assert_eq!(map.span(4, 5).start, 16);
        let lit = StringMap::for_toml_string(SourceId(0), "'''\nabc'''", 0, "abc");
        assert_eq!(lit.span(0, 1).start, 4);
    }

    #[test]
    fn types() {
        let m = StringMap::verbatim(SourceId(0), 0);
        assert_eq!(parse_type("one of a, b", &m).unwrap(), TypeExpr::Enum(vec!["a".into(), "b".into()]));
        assert_eq!(parse_type("list of item", &m).unwrap(), TypeExpr::Records("item".into()));
        assert_eq!(parse_type("list of date", &m).unwrap(), TypeExpr::List(Box::new(TypeExpr::Date)));
        assert!(parse_type("lst of date", &m).is_err());
    }
}
