//! What kind of file a tree looks like, so that a calendar, a scenario or a
//! rulebook given where another kind is expected (or `eval`'s arguments
//! swapped) gets one message that says so, instead of a key-by-key list.

use crate::diagnostic::Diagnostic;
use crate::input::{Node, Table};
use crate::source::Span;

/// The kinds of file verdict reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `[rulebook]`, `[facts…]`, `[[rules]]`, …
    Rulebook,
    /// `[calendar]` and `[[holidays]]`.
    Calendar,
    /// Facts of one case, none of the other kinds' tables.
    Scenario,
}

const RULEBOOK_KEYS: &[&str] = &["rulebook", "facts", "rules", "conclusions", "sources", "options", "tables", "checks"];

impl FileKind {
    fn name(self) -> &'static str {
        match self {
            FileKind::Rulebook => "a rulebook",
            FileKind::Calendar => "a calendar",
            FileKind::Scenario => "a scenario",
        }
    }

    fn shape(self) -> &'static str {
        match self {
            FileKind::Rulebook => {
                "a rulebook starts with [rulebook] and declares [facts…], [conclusions…] and [[rules]]"
            }
            FileKind::Calendar => "a calendar has [calendar] and [[holidays]]",
            FileKind::Scenario => "a scenario gives the facts of one case, e.g. [contract] and [[items]]",
        }
    }
}

/// What `table` looks like.
pub fn kind_of(table: &Table) -> FileKind {
    let has = |k: &str| table.get(k).is_some();
    if has("rulebook") || (has("facts") && has("rules")) {
        FileKind::Rulebook
    } else if has("calendar") || has("holidays") {
        FileKind::Calendar
    } else if RULEBOOK_KEYS.iter().filter(|k| has(k)).count() >= 2 {
        FileKind::Rulebook
    } else {
        FileKind::Scenario
    }
}

/// An error when `root` looks like another kind of file than `expected`;
/// `usage` says how the command takes its files.
pub fn expect_kind(root: &Node, expected: FileKind, usage: &str) -> Result<(), Diagnostic> {
    let Ok(table) = root.as_table() else { return Ok(()) };
    let found = kind_of(table);
    if found == expected || table.entries.is_empty() {
        return Ok(());
    }
    // a scenario's facts are free-form: only a file with another kind's tables is refused as one
    if expected == FileKind::Scenario && !matches!(found, FileKind::Rulebook | FileKind::Calendar) {
        return Ok(());
    }
    let span = table.entries.first().map_or(root.span, |(k, _)| k.span);
    let keys: Vec<String> = table.entries.iter().take(4).map(|(k, _)| format!("[{}]", k.name)).collect();
    Err(Diagnostic::new(
        "input::wrong-kind",
        format!("this file is {}, not {}", found.name(), expected.name()),
        if span == Span::default() { root.span } else { span },
    )
    .label(format!("{} has {}", found.name(), keys.join(", ")))
    .help(format!("{}; {}. {usage}", expected.shape(), found.shape())))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::parse_toml;
    use crate::source::SourceMap;

    fn tree(text: &str) -> Node {
        let mut sources = SourceMap::new();
        let id = sources.add("x.toml", text);
        parse_toml(id, text).unwrap()
    }

    #[test]
    fn tells_the_kinds_apart() {
        let cal = tree("[calendar]\nid = \"fr\"\n[[holidays]]\nname = \"x\"\ndate = \"01-01\"\n");
        let d = expect_kind(&cal, FileKind::Rulebook, "").unwrap_err();
        assert_eq!(d.message, "this file is a calendar, not a rulebook");
        let scenario = tree("[contract]\nkind = \"goods\"\n");
        assert!(expect_kind(&scenario, FileKind::Scenario, "").is_ok());
        assert!(expect_kind(&scenario, FileKind::Rulebook, "").is_err());
        let rb = tree("[rulebook]\nid = \"x\"\n[facts.a]\ntype = \"bool\"\n");
        assert!(expect_kind(&rb, FileKind::Scenario, "").is_err());
        assert!(expect_kind(&rb, FileKind::Rulebook, "").is_ok());
    }
}
