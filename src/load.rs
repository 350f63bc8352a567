//! Loading files: a rulebook (with its calendar) and scenarios, each through
//! every stage, with all diagnostics of a file collected.

use crate::check::{check, CalendarUse, Program};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::eval::{EvalError, OptionValues, Verdicts};
use crate::facts::Facts;
use crate::input::{parse_json, parse_toml, Node};
use crate::rulebook;
use crate::source::{SourceId, SourceMap, Span};
use crate::time::Calendar;
use std::path::{Path, PathBuf};

/// Largest file read (rulebook, calendar or scenario).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A loaded, checked rulebook.
#[derive(Debug, Clone)]
pub struct Rulebook {
    pub path: PathBuf,
    pub program: Program,
}

/// Reads a file into the source map, or says why it cannot be read.
pub fn read_file(sources: &mut SourceMap, path: &Path) -> Result<SourceId, Diagnostics> {
    let name = path.display().to_string();
    let meta = std::fs::metadata(path);
    let text = match meta {
        Ok(m) if m.len() > MAX_FILE_BYTES => {
            Err(format!("the file is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024))
        }
        Ok(_) => std::fs::read_to_string(path).map_err(|e| e.to_string()),
        Err(e) => Err(e.to_string()),
    };
    match text {
        Ok(t) => Ok(sources.add(name, t)),
        Err(e) => {
            let id = sources.add(name.clone(), "");
            Err(Diagnostic::new("input::read", format!("cannot read `{name}`: {e}"), Span::new(id, 0, 0))
                .help("check the path and that the file is a readable text file")
                .into())
        }
    }
}

/// Parses TOML, or JSON when the text starts with `{`.
pub fn parse_data(sources: &SourceMap, id: SourceId) -> Result<Node, Diagnostics> {
    let text = &sources.get(id).text;
    let is_json = sources.get(id).name.ends_with(".json") || text.trim_start().starts_with('{');
    if is_json { parse_json(id, text) } else { parse_toml(id, text) }.map_err(Diagnostics::from)
}

impl Rulebook {
    /// Loads and checks a rulebook file and the calendar it selects.
    pub fn load(sources: &mut SourceMap, path: &Path) -> Result<Rulebook, Diagnostics> {
        let id = read_file(sources, path)?;
        let root = parse_data(sources, id)?;
        let text = sources.get(id).text.clone();
        let decls = rulebook::read(id, &text, &root)?;
        let calendar = match &decls.calendar {
            None => None,
            Some((rel, span)) => {
                let cal_path = path.parent().unwrap_or(Path::new(".")).join(rel);
                Some(load_calendar(sources, &cal_path, *span)?)
            }
        };
        let program = check(decls, calendar)?;
        Ok(Rulebook { path: path.to_path_buf(), program })
    }

    /// Loads a scenario file against this rulebook.
    pub fn scenario(&self, sources: &mut SourceMap, path: &Path) -> Result<Facts, Diagnostics> {
        let id = read_file(sources, path)?;
        let root = parse_data(sources, id)?;
        Facts::from_node(&self.program, &root)
    }

    pub fn evaluate(&self, facts: &Facts, options: &OptionValues, explain: bool) -> Result<Verdicts, EvalError> {
        self.program.evaluate(facts, options, explain)
    }
}

/// Loads a calendar file; `from` is where it was selected (for errors).
pub fn load_calendar(sources: &mut SourceMap, path: &Path, from: Span) -> Result<CalendarUse, Diagnostics> {
    let id = read_file(sources, path).map_err(|_| {
        Diagnostics::from(
            Diagnostic::new("input::calendar", format!("cannot read the calendar `{}`", path.display()), from)
                .label("selected here")
                .help("the path is relative to the rulebook file, e.g. \"../calendars/nl.toml\""),
        )
    })?;
    let root = parse_data(sources, id)?;
    let calendar = Calendar::from_node(&root)?;
    Ok(CalendarUse { calendar, path: path.display().to_string(), gates: Vec::new() })
}

/// A scenario as given: where it came from and its facts.
pub struct Scenario {
    pub name: String,
    pub facts: Facts,
}
