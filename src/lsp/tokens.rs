//! Semantic tokens for the rule-language strings and the outline of a
//! rulebook (document symbols).

use super::position::Lines;
use super::Workspace;
use tower_lsp_server::ls_types::{
    DocumentSymbol, SemanticToken, SemanticTokenType, SemanticTokens, SemanticTokensLegend, SymbolKind, Uri,
};
use verdict::index::{DefKind, Occurs};

/// The token types, in legend order (the index is what a token carries).
const TYPES: &[SemanticTokenType] = &[
    SemanticTokenType::VARIABLE,    // 0 fact, field
    SemanticTokenType::PROPERTY,    // 1 conclusion
    SemanticTokenType::ENUM_MEMBER, // 2 enumeration value
    SemanticTokenType::FUNCTION,    // 3 function
    SemanticTokenType::NUMBER,      // 4 number, amount, duration, date
    SemanticTokenType::STRING,      // 5 text
    SemanticTokenType::KEYWORD,     // 6 word of the language
    SemanticTokenType::PARAMETER,   // 7 option
    SemanticTokenType::TYPE,        // 8 table
];

/// The words of the rule language (grammar/rules.pest) shown as keywords.
const KEYWORDS: &[&str] = &[
    "absent",
    "after",
    "and",
    "at",
    "before",
    "compounded",
    "during",
    "else",
    "first",
    "from",
    "given",
    "if",
    "interest",
    "is",
    "next",
    "not",
    "of",
    "on",
    "one",
    "or",
    "otherwise",
    "paused",
    "period",
    "rest",
    "restarting",
    "shift",
    "the",
    "then",
    "tiered",
    "timeline",
    "to",
    "without",
    "working",
    "yearly",
    "true",
    "false",
    "days",
    "day",
    "weeks",
    "week",
    "months",
    "month",
    "years",
    "year",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
];

pub fn legend() -> SemanticTokensLegend {
    SemanticTokensLegend { token_types: TYPES.to_vec(), token_modifiers: Vec::new() }
}

fn token_type(o: &Occurs) -> Option<u32> {
    Some(match o {
        Occurs::Name(Some(t)) => match t.kind {
            DefKind::Conclusion => 1,
            DefKind::Option => 7,
            DefKind::Table => 8,
            _ => 0,
        },
        Occurs::Name(None) => 0,
        Occurs::EnumValue { .. } => 2,
        Occurs::Function => 3,
        Occurs::Number | Occurs::Date(_) => 4,
        Occurs::Text => 5,
        Occurs::Keyword => 6,
        _ => return None,
    })
}

/// The tokens of every rule-language string of an open rulebook.
pub fn semantic(ws: &Workspace, uri: &Uri) -> Option<SemanticTokens> {
    let doc = ws.document(uri)?;
    if doc.rulebook.is_some() {
        return Some(SemanticTokens { result_id: None, data: Vec::new() });
    }
    let index = doc.index.clone()?;
    let text = &*doc.text;
    // (start, end, type) in bytes
    let mut found: Vec<(usize, usize, u32)> = Vec::new();
    for rule in &index.rule_texts {
        let inside = |s: u32, e: u32| rule.start <= s && e <= rule.end;
        let occurrences: Vec<_> = index.occurrences.iter().filter(|o| inside(o.span.start, o.span.end)).collect();
        for o in &occurrences {
            if let Some(t) = token_type(&o.occurs) {
                found.push((o.span.start as usize, o.span.end as usize, t));
            }
        }
        let covered = |at: usize| occurrences.iter().any(|o| (o.span.start as usize) <= at && at < o.span.end as usize);
        // the index may be of the last text that parsed: its spans are checked
        let Some(body) = text.get(rule.range()) else { continue };
        let mut i = 0;
        for word in body.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.')) {
            let at = rule.start as usize + i;
            if KEYWORDS.contains(&word) && !covered(at) {
                found.push((at, at + word.len(), 6));
            }
            i += word.len() + body[i + word.len()..].chars().next().map_or(0, char::len_utf8);
        }
    }
    found.sort();
    found.dedup_by(|b, a| b.0 < a.1);
    let lines = Lines::new(text);
    let mut data = Vec::new();
    let (mut line, mut col) = (0, 0);
    for (start, end, ty) in found {
        let (a, b) = (lines.position(start), lines.position(end));
        if a.line != b.line {
            continue;
        }
        let delta_line = a.line - line;
        let delta_start = if delta_line == 0 { a.character - col } else { a.character };
        data.push(SemanticToken {
            delta_line,
            delta_start,
            length: b.character - a.character,
            token_type: ty,
            token_modifiers_bitset: 0,
        });
        (line, col) = (a.line, a.character);
    }
    Some(SemanticTokens { result_id: None, data })
}

/// The outline of an open rulebook: facts, conclusions, options, rules and tests.
#[allow(deprecated, reason = "DocumentSymbol's `deprecated` field must still be written")]
pub fn symbols(ws: &Workspace, uri: &Uri) -> Option<Vec<DocumentSymbol>> {
    let doc = ws.document(uri)?;
    if doc.rulebook.is_some() {
        return Some(Vec::new());
    }
    let index = doc.index.clone()?;
    let lines = Lines::new(&doc.text);
    let symbol =
        |name: String, detail: Option<String>, kind, start: usize, end: usize, sel: (usize, usize)| DocumentSymbol {
            name,
            detail,
            kind,
            tags: None,
            deprecated: None,
            range: lines.range(start, end),
            selection_range: lines.range(sel.0, sel.1),
            children: None,
        };
    let mut out = Vec::new();
    for d in &index.definitions {
        let kind = match d.kind {
            DefKind::Fact | DefKind::Field => SymbolKind::FIELD,
            DefKind::Conclusion => SymbolKind::PROPERTY,
            DefKind::Option => SymbolKind::VARIABLE,
            DefKind::Rule => SymbolKind::FUNCTION,
            DefKind::Table => SymbolKind::CONSTANT,
            _ => continue,
        };
        let (s, e) = (d.span.start as usize, d.span.end as usize);
        out.push(symbol(d.name.clone(), d.ty.clone().or_else(|| d.concludes.clone()), kind, s, e, (s, e)));
    }
    for t in &index.tests {
        let (s, e) = (t.name_span.start as usize, t.name_span.end as usize);
        let start = t.header.map_or(s, |h| h.start as usize);
        out.push(symbol(t.name.clone(), Some("test".into()), SymbolKind::EVENT, start, e, (s, e)));
    }
    Some(out)
}
