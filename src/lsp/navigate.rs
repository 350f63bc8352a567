//! Go to definition, find references and rename, over one rulebook and its
//! tests (and, from a scenario file, that scenario's keys).

use super::hover::occurrence_at;
use super::position::Lines;
use super::{Doc, Workspace};
use std::collections::HashMap;
use std::path::Path;
use tower_lsp_server::ls_types::{Location, Position, Range, TextEdit, Uri, WorkspaceEdit};
use verdict::index::{scenario_keys, DefKind, Occurs, RulebookIndex, Target};
use verdict::source::Span;

/// The rulebook file of a document (itself, or the one a scenario names) and its text.
fn rulebook_of(doc: &Doc) -> (&Path, &str) {
    match &doc.rulebook {
        Some((p, t)) => (p.as_path(), t),
        None => (doc.path.as_path(), &doc.text),
    }
}

fn location(path: &Path, text: &str, span: Span) -> Option<Location> {
    let lines = Lines::new(text);
    Some(Location { uri: Uri::from_file_path(path)?, range: lines.range(span.start as usize, span.end as usize) })
}

/// What the name at `at` points to: a declaration or a file.
enum Pointed {
    Declaration(Target),
    File(std::path::PathBuf),
}

fn pointed(doc: &Doc, index: &RulebookIndex, at: Position) -> Option<Pointed> {
    let offset = Lines::new(&doc.text).offset(at);
    if let Some(o) = occurrence_at(doc, index, offset) {
        if let Occurs::File(_) = o.occurs {
            let (rulebook, _) = rulebook_of(doc);
            return Some(Pointed::File(rulebook.parent().unwrap_or(Path::new(".")).join(&o.text)));
        }
        return o.target().map(Pointed::Declaration);
    }
    if let super::analyze::Kind::Scenario { rulebook, at: (start, end) } = &doc.kind {
        if (*start..=*end).contains(&offset) {
            return Some(Pointed::File(rulebook.clone()));
        }
    }
    let d = doc.rulebook.is_none().then(|| index.definition_at(offset)).flatten()?;
    Some(Pointed::Declaration(Target { kind: d.kind, name: d.name.clone() }))
}

pub fn definition(ws: &Workspace, uri: &Uri, at: Position) -> Option<Location> {
    let doc = ws.document(uri)?;
    let index = doc.index.clone()?;
    match pointed(&doc, &index, at)? {
        Pointed::File(path) => {
            let path = super::normalize(&path);
            Some(Location { uri: Uri::from_file_path(&path)?, range: Range::default() })
        }
        Pointed::Declaration(t) => {
            let d = index.definition(&t)?;
            let (path, text) = rulebook_of(&doc);
            location(path, text, d.span)
        }
    }
}

/// The places a target is named: in the rulebook (uses, and the
/// declaration when asked), and in the open scenario's keys.
fn places(doc: &Doc, index: &RulebookIndex, t: &Target, declaration: bool) -> Vec<(bool, Span)> {
    let mut out: Vec<(bool, Span)> = Vec::new();
    if declaration {
        out.extend(index.definition(t).map(|d| (true, d.span)));
    }
    out.extend(index.references(t).map(|o| (true, o.span)));
    if doc.rulebook.is_some() {
        if let Ok(tree) = verdict::input::parse_toml(super::OWN, &doc.text) {
            let keys = scenario_keys(index, &tree, &doc.text);
            out.extend(keys.iter().filter(|k| k.target().as_ref() == Some(t)).map(|k| (false, k.span)));
        }
    }
    out
}

pub fn references(ws: &Workspace, uri: &Uri, at: Position, declaration: bool) -> Option<Vec<Location>> {
    let doc = ws.document(uri)?;
    let index = doc.index.clone()?;
    let Pointed::Declaration(t) = pointed(&doc, &index, at)? else { return None };
    let (path, text) = rulebook_of(&doc);
    let found = places(&doc, &index, &t, declaration)
        .into_iter()
        .filter_map(
            |(in_rulebook, span)| {
                if in_rulebook {
                    location(path, text, span)
                } else {
                    location(&doc.path, &doc.text, span)
                }
            },
        )
        .collect();
    Some(found)
}

/// Renames a fact, field or rule id everywhere the rulebook, its tests and
/// the open scenario name it. A fact keeps its group: only the last part
/// of its name changes (`contract.kind` → `contract.type`).
pub fn rename(ws: &Workspace, uri: &Uri, at: Position, new: &str) -> Result<Option<WorkspaceEdit>, String> {
    let Some(doc) = ws.document(uri) else { return Ok(None) };
    let Some(index) = doc.index.clone() else { return Ok(None) };
    let Some(Pointed::Declaration(t)) = pointed(&doc, &index, at) else {
        return Err("nothing to rename here: put the cursor on a fact or a rule id".into());
    };
    let (old_last, new_last) = match t.kind {
        DefKind::Fact | DefKind::Field => {
            let (group, old_last) = t.name.rsplit_once('.').map_or(("", t.name.as_str()), |(g, l)| (g, l));
            let (new_group, new_last) = new.rsplit_once('.').map_or(("", new), |(g, l)| (g, l));
            let same_group = new_group == group || (!new.contains('.'));
            if !same_group {
                return Err(format!("`{new}` moves `{}` to another group; rename keeps the group `{group}`: give only the new last part, e.g. `{group}.new_name`", t.name));
            }
            (old_last.to_string(), new_last.to_string())
        }
        DefKind::Rule => (t.name.clone(), new.to_string()),
        _ => return Err(format!("only facts and rule ids can be renamed; `{}` is neither", t.name)),
    };
    let valid = new_last.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && new_last.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if !valid {
        return Err(format!(
            "`{new_last}` is not a valid name: use lower_case letters, digits and underscores, starting with a letter"
        ));
    }
    let (path, text) = rulebook_of(&doc);
    let mut changes: HashMap<Uri, Vec<TextEdit>> = HashMap::new();
    for (in_rulebook, span) in places(&doc, &index, &t, true) {
        let (file, file_text) = if in_rulebook { (path, text) } else { (doc.path.as_path(), &*doc.text) };
        let written = file_text.get(span.range()).unwrap_or("");
        // every place ends with the last part: `contract.kind`, `item.kind`, the key `kind`
        let Some(stem) = written.strip_suffix(old_last.as_str()) else { continue };
        let start = span.start as usize + stem.len();
        let lines = Lines::new(file_text);
        let Some(uri) = Uri::from_file_path(file) else { continue };
        changes
            .entry(uri)
            .or_default()
            .push(TextEdit { range: lines.range(start, span.end as usize), new_text: new_last.clone() });
    }
    if t.kind != DefKind::Rule {
        scenario_files(ws, &index, path, &t, &old_last, &new_last, &mut changes);
    }
    Ok(Some(WorkspaceEdit { changes: Some(changes), ..Default::default() }))
}

/// The edits of a fact's rename in the scenario files the rulebook's tests use.
fn scenario_files(
    ws: &Workspace,
    index: &RulebookIndex,
    rulebook: &Path,
    t: &Target,
    old_last: &str,
    new_last: &str,
    changes: &mut HashMap<Uri, Vec<TextEdit>>,
) {
    let dir = rulebook.parent().unwrap_or(Path::new("."));
    let mut files: Vec<std::path::PathBuf> = index
        .occurrences
        .iter()
        .filter(|o| o.occurs == Occurs::File(verdict::index::FileKind::Scenario))
        .map(|o| super::normalize(&dir.join(&o.text)))
        .collect();
    files.sort();
    files.dedup();
    for file in files {
        let Some(text) = ws.text(&file) else { continue };
        let Ok(tree) = verdict::input::parse_toml(super::OWN, &text) else { continue };
        let Some(uri) = Uri::from_file_path(&file) else { continue };
        let lines = Lines::new(&text);
        for k in scenario_keys(index, &tree, &text).iter().filter(|k| k.target().as_ref() == Some(t)) {
            if let Some(stem) = k.text.strip_suffix(old_last) {
                let start = k.span.start as usize + stem.len();
                let edit = TextEdit { range: lines.range(start, k.span.end as usize), new_text: new_last.to_string() };
                changes.entry(uri.clone()).or_default().push(edit);
            }
        }
    }
}
