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
use chrono::NaiveDate;
use std::path::{Path, PathBuf};

/// Largest file read (rulebook, calendar or scenario).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// A loaded, checked rulebook.
#[derive(Debug, Clone)]
pub struct Rulebook {
    pub path: PathBuf,
    pub program: Program,
    /// Other versions of the same rulebook, each in force for its own dates.
    pub versions: Vec<Rulebook>,
}

/// Why a version was chosen for a scenario.
#[derive(Debug, Clone)]
pub struct InForce {
    pub date_fact: String,
    pub date: NaiveDate,
    pub from: Option<NaiveDate>,
    pub until: Option<NaiveDate>,
}

/// Reads a file into the source map, or says why it cannot be read.
pub fn read_file(sources: &mut SourceMap, path: &Path) -> Result<SourceId, Diagnostics> {
    let name = path.display().to_string();
    let too_large = || format!("the file is larger than {} MB", MAX_FILE_BYTES / 1024 / 1024);
    let text = match std::fs::metadata(path) {
        Err(e) => Err(e.to_string()),
        Ok(m) if m.is_dir() => Err("it is a directory".to_string()),
        Ok(m) if m.len() > MAX_FILE_BYTES => Err(too_large()),
        // read at most the limit whatever the size says (a device reports 0)
        Ok(_) => std::fs::File::open(path).map_err(|e| e.to_string()).and_then(|f| {
            use std::io::Read;
            let mut bytes = Vec::new();
            f.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
            if bytes.len() as u64 > MAX_FILE_BYTES {
                return Err(too_large());
            }
            String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_string())
        }),
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
        let (mut rb, versions) = Rulebook::load_one(sources, path)?;
        rb.load_versions(sources, &versions)?;
        Ok(rb)
    }

    /// One file, without the other versions it lists (returned for the caller).
    fn load_one(sources: &mut SourceMap, path: &Path) -> Result<(Rulebook, Vec<(String, Span)>), Diagnostics> {
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
        let other_versions = decls.meta.other_versions.clone();
        let checked = check(decls, calendar);
        match checked {
            Ok(program) if errors.is_empty() => {
                Ok((Rulebook { path: path.to_path_buf(), program, versions: Vec::new() }, other_versions))
            }
            Ok(_) => Err(sorted(errors)),
            Err(more) => {
                errors.extend(more);
                Err(sorted(errors))
            }
        }
    }

    /// Loads the other versions this rulebook lists, and checks they fit together.
    fn load_versions(&mut self, sources: &mut SourceMap, list: &[(String, Span)]) -> Result<(), Diagnostics> {
        let mut errors = Diagnostics::default();
        let meta = &self.program.meta;
        if !list.is_empty() && meta.date_fact.is_none() {
            errors.push(
                Diagnostic::new("load::versions", "other versions need `date_fact` to choose between them", list[0].1)
                    .label("versions listed here")
                    .help("add date_fact = \"contract.concluded_on\" (the fact whose date decides) to [rulebook]"),
            );
        }
        for (rel, span) in list {
            let path = normalize(&self.path.parent().unwrap_or(Path::new(".")).join(rel));
            let other = match Rulebook::load_one(sources, &path) {
                Ok((rb, _)) => rb, // the main file lists every version; a version's own list is not followed
                Err(e) => {
                    errors.extend(e);
                    continue;
                }
            };
            let om = &other.program.meta;
            let problem = if om.id != meta.id {
                Some(format!("`{rel}` is rulebook `{}`, not another version of `{}`", om.id, meta.id))
            } else if om.date_fact.as_ref().map(|d| &d.0) != meta.date_fact.as_ref().map(|d| &d.0) {
                Some(format!("`{rel}` must choose its version by the same `date_fact`"))
            } else if std::iter::once(&self.program.meta)
                .chain(self.versions.iter().map(|v| &v.program.meta))
                .any(|m| overlap(m, om))
            {
                Some(format!("`{rel}` is in force on days another version also covers"))
            } else {
                None
            };
            match problem {
                Some(msg) => errors.push(Diagnostic::new("load::versions", msg, *span).label("this version").help(
                    "versions share the id and date_fact, and their effective_from/effective_until do not overlap",
                )),
                None => self.versions.push(other),
            }
        }
        errors.finish(())
    }

    /// The version in force for a scenario, and why (`None` when no `date_fact`
    /// is declared). A date no version covers is an error, with one version too.
    pub fn select(&self, root: &Node) -> Result<(&Rulebook, Option<InForce>), Diagnostic> {
        let Some((fact, _)) = &self.program.meta.date_fact else { return Ok((self, None)) };
        let mut node = Some(root);
        for part in fact.split('.') {
            node = node.and_then(|n| n.as_table().ok()).and_then(|t| t.get(part));
        }
        let Some(node) = node else {
            if self.versions.is_empty() {
                return Ok((self, None)); // one version: the missing fact is reported with the others
            }
            return Err(Diagnostic::new(
                "load::version",
                format!(
                    "the scenario does not give `{fact}`, which decides the version of `{}` in force",
                    self.program.meta.id
                ),
                Span { end: root.span.start, ..root.span },
            )
            .label("needed to choose a version")
            .help(format!("add `{fact}`")));
        };
        let date = node.as_date()?;
        let candidates = std::iter::once(self).chain(self.versions.iter());
        for rb in candidates {
            let m = &rb.program.meta;
            if m.effective_from.is_none_or(|f| f <= date) && m.effective_until.is_none_or(|u| date <= u) {
                let why = InForce { date_fact: fact.clone(), date, from: m.effective_from, until: m.effective_until };
                return Ok((rb, Some(why)));
            }
        }
        let ranges: Vec<String> = std::iter::once(self)
            .chain(self.versions.iter())
            .map(|rb| {
                let m = &rb.program.meta;
                let f = m.effective_from.map_or("…".into(), |d| d.to_string());
                let u = m.effective_until.map_or("…".into(), |d| d.to_string());
                format!("{} from {f} to {u}", m.version)
            })
            .collect();
        Err(Diagnostic::new(
            "load::version",
            format!("no version of `{}` is in force on {date}", self.program.meta.id),
            node.span,
        )
        .label("no version covers this date")
        .help(format!("versions: {}", ranges.join("; "))))
    }

    /// Loads a scenario file against the version in force for it.
    pub fn scenario(&self, sources: &mut SourceMap, path: &Path) -> Result<Facts, Diagnostics> {
        self.scenario_versioned(sources, path).map(|(_, f, _)| f)
    }

    /// Loads a scenario file: the version in force, its facts, and why that version.
    pub fn scenario_versioned(
        &self,
        sources: &mut SourceMap,
        path: &Path,
    ) -> Result<(&Rulebook, Facts, Option<InForce>), Diagnostics> {
        let id = read_file(sources, path)?;
        let root = parse_data(sources, id)?;
        match self.select(&root) {
            Ok((rb, why)) => Ok((rb, Facts::from_node(&rb.program, &root)?, why)),
            // the scenario's own errors (a misspelt date fact, a list for a table) say more
            Err(d) => Err(Facts::from_node(&self.program, &root).err().unwrap_or_else(|| d.into())),
        }
    }

    pub fn evaluate(&self, facts: &Facts, options: &OptionValues, explain: bool) -> Result<Verdicts, EvalError> {
        self.program.evaluate(facts, options, explain)
    }
}

fn overlap(a: &crate::rulebook::Meta, b: &crate::rulebook::Meta) -> bool {
    let a_from = a.effective_from.unwrap_or(NaiveDate::MIN);
    let b_from = b.effective_from.unwrap_or(NaiveDate::MIN);
    let a_until = a.effective_until.unwrap_or(NaiveDate::MAX);
    let b_until = b.effective_until.unwrap_or(NaiveDate::MAX);
    a_from <= b_until && b_from <= a_until
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
