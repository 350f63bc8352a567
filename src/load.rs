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
        // every stage runs, so one problem does not hide the others
        let (decls, mut errors) = rulebook::read(id, &text, &root);
        let calendar = match &decls.calendar {
            None => None,
            Some((rel, span)) => {
                let cal_path = path.parent().unwrap_or(Path::new(".")).join(rel);
                load_calendar(sources, &cal_path, *span).map_err(|e| errors.extend(e)).ok()
            }
        };
        let checked = check(decls, calendar);
        match checked {
            Ok(program) if errors.is_empty() => Ok(Rulebook { path: path.to_path_buf(), program }),
            Ok(_) => Err(sorted(errors)),
            Err(more) => {
                errors.extend(more);
                Err(sorted(errors))
            }
        }
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

/// Diagnostics in file order, the main file's first.
fn sorted(mut d: Diagnostics) -> Diagnostics {
    d.0.sort_by_key(|x| (x.span().src, x.span().start));
    d
}

/// Loads a calendar file; `from` is where it was selected (for errors).
pub fn load_calendar(sources: &mut SourceMap, path: &Path, from: Span) -> Result<CalendarUse, Diagnostics> {
    let path = normalize(path);
    let id = read_file(sources, &path).map_err(|e| {
        let reason = e.0.first().and_then(|d| d.message.rsplit_once("`: ")).map_or("", |(_, r)| r).to_string();
        let near = path.parent().and_then(|dir| {
            let names: Vec<String> = std::fs::read_dir(dir)
                .ok()?
                .flatten()
                .map(|e| e.file_name().to_string_lossy().into_owned())
                .filter(|n| n.ends_with(".toml"))
                .collect();
            let wrong = path.file_name()?.to_string_lossy().into_owned();
            crate::diagnostic::did_you_mean(&wrong, names.iter().map(String::as_str)).map(str::to_string)
        });
        let hint = "the path is relative to the rulebook file, e.g. \"../calendars/nl.toml\"";
        Diagnostics::from(
            Diagnostic::new(
                "input::calendar",
                format!("cannot read the calendar `{}`: {reason}", path.display()),
                from,
            )
            .label("selected here")
            .help(match near {
                Some(n) => format!("did you mean `{n}`? ({hint})"),
                None => hint.to_string(),
            }),
        )
    })?;
    let root = parse_data(sources, id)?;
    let calendar = Calendar::from_node(&root)?;
    Ok(CalendarUse { calendar, path: path.display().to_string(), gates: Vec::new() })
}

/// `a/b/../c` → `a/c`, without touching the file system.
fn normalize(path: &Path) -> PathBuf {
    use std::path::Component;
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// A scenario as given: where it came from and its facts.
pub struct Scenario {
    pub name: String,
    pub facts: Facts,
}
