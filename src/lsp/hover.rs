//! Hover: what a name in a rule, a key of a test or scenario, a cite key, a
//! rule id in `overrides`, a function or a date literal means.

use super::position::Lines;
use super::{Doc, Workspace, OWN};
use std::path::Path;
use tower_lsp_server::ls_types::{Hover, HoverContents, MarkupContent, MarkupKind, Position, Uri};
use verdict::index::{scenario_keys, DefKind, Definition, FileKind, Occurrence, Occurs, RulebookIndex};
use verdict::source::Span;
use verdict::SourceMap;

pub fn hover(ws: &Workspace, uri: &Uri, at: Position) -> Option<Hover> {
    let doc = ws.document(uri)?;
    let index = doc.index.clone()?;
    let lines = Lines::new(&doc.text);
    let offset = lines.offset(at);
    let (text, span) = match occurrence_at(&doc, &index, offset) {
        Some(o) => (describe_use(&doc, &index, &o)?, o.span),
        None if doc.rulebook.is_none() => {
            let d = index.definition_at(offset)?;
            (describe(d), d.span)
        }
        None => return None,
    };
    Some(Hover {
        contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: text }),
        range: Some(lines.range(span.start as usize, span.end as usize)),
    })
}

/// The occurrence at `offset` of the open file: from the rulebook's own
/// index, or for a scenario from its keys.
pub fn occurrence_at(doc: &Doc, index: &RulebookIndex, offset: usize) -> Option<Occurrence> {
    if doc.rulebook.is_none() {
        return index.at(offset).cloned();
    }
    let tree = verdict::input::parse_toml(OWN, &doc.text).ok()?;
    let o = offset as u32;
    scenario_keys(index, &tree, &doc.text).into_iter().find(|k| k.span.start <= o && o <= k.span.end)
}

fn describe_use(doc: &Doc, index: &RulebookIndex, o: &Occurrence) -> Option<String> {
    match &o.occurs {
        Occurs::Function => {
            let b = verdict::builtins::lookup(&o.text)?;
            Some(format!("```\n{}(…)\n```\nfunction, takes {} argument(s)\n\n{}", b.name, b.arity.describe(), b.doc))
        }
        Occurs::Date(d) => Some(date(doc, index, *d)),
        Occurs::EnumValue { owner } => {
            let d = owner.as_ref().and_then(|t| index.definition(t))?;
            Some(format!("`{}`: a value of `{}` (`{}`)", o.text, d.name, d.ty.as_deref().unwrap_or("?")))
        }
        Occurs::Name(None) => Some(format!("`{}` is not declared in this rulebook", o.text)),
        Occurs::File(kind) => {
            let what = match kind {
                FileKind::Calendar => "the holiday calendar",
                FileKind::Version => "another version of this rulebook",
                FileKind::Scenario => "the test's scenario file",
            };
            Some(format!("{what}: `{}` (relative to this rulebook)", o.text))
        }
        _ => {
            let t = o.target()?;
            match index.definition(&t) {
                Some(d) => Some(describe(d)),
                None => Some(format!("`{}` is not declared in this rulebook", o.text)),
            }
        }
    }
}

/// The hover text of a declaration.
pub fn describe(d: &Definition) -> String {
    let kind = match d.kind {
        DefKind::Fact => "fact",
        DefKind::Field => "field",
        DefKind::Conclusion => "conclusion",
        DefKind::Option => "option",
        DefKind::Table => "table",
        DefKind::Rule => "rule",
        DefKind::Source => "source",
        DefKind::Test => "test",
        DefKind::Check => "check",
    };
    let mut out = format!("**{kind}** `{}`", d.name);
    if let Some(ty) = &d.ty {
        out.push_str(&format!(": `{ty}`{}", if d.optional { " (optional)" } else { "" }));
    }
    if !d.values.is_empty() {
        out.push_str(&format!(
            "\n\nallowed values: {}",
            d.values.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", ")
        ));
    }
    if let Some(c) = &d.concludes {
        out.push_str(&format!("\n\ndecides `{c}`"));
    }
    for text in [&d.doc, &d.because].into_iter().flatten() {
        out.push_str(&format!("\n\n{text}"));
    }
    if let Some(c) = &d.cite {
        out.push_str(&format!("\n\ncite: {c}"));
    }
    match (&d.title, &d.url) {
        (Some(t), Some(u)) => out.push_str(&format!("\n\n{t}\n\n<{u}>")),
        (Some(t), None) => out.push_str(&format!("\n\n{t}")),
        (None, Some(u)) => out.push_str(&format!("\n\n<{u}>")),
        (None, None) => {}
    }
    out
}

/// A date's weekday, and the holidays of the rulebook's calendar on that day.
fn date(doc: &Doc, index: &RulebookIndex, d: chrono::NaiveDate) -> String {
    let mut out = format!("{} {d}", d.format("%A"));
    let rulebook = doc.rulebook.as_ref().map_or(doc.path.as_path(), |(p, _)| p.as_path());
    let calendar = index.occurrences.iter().find(|o| o.occurs == Occurs::File(FileKind::Calendar));
    if let Some(c) = calendar {
        let path = rulebook.parent().unwrap_or(Path::new(".")).join(&c.text);
        let mut sources = SourceMap::new();
        if let Ok(cal) = verdict::load::load_calendar(&mut sources, &path, Span::default()) {
            let cal = cal.calendar;
            let names: Vec<String> = cal
                .holidays_on(d)
                .map(|h| match &h.option {
                    Some((opt, _)) => format!("{} (when the option `{opt}` is on)", h.name),
                    None => h.name.clone(),
                })
                .collect();
            if names.is_empty() {
                let weekend = if cal.is_weekend(d) { "a weekend day" } else { "a working day" };
                out.push_str(&format!("\n\n{weekend} in {} (no holiday)", cal.name));
            } else {
                out.push_str(&format!("\n\nholiday in {}: {}", cal.name, names.join("; ")));
            }
        }
    }
    out
}
