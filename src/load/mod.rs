//! Loading: a rulebook (with its calendar and other versions) from a file or
//! from text, through every stage, with all diagnostics of a file collected;
//! then a scenario against it ([`Rulebook::scenario`]).

mod scenario;
mod versions;

pub use crate::check::AS_OF_FACT;
pub use scenario::{AsOf, Scenario, ScenarioInput};
pub use versions::InForce;

use crate::check::{check, CalendarUse, Program};
use crate::diagnostic::{Diagnostic, Diagnostics};
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
    /// The file it was read from (or the name it was given); the calendar,
    /// other versions and test scenarios are found relative to it.
    pub path: PathBuf,
    /// The checked rules, facts and conclusions.
    pub program: Program,
    /// Other versions of the same rulebook, each in force for its own dates.
    pub versions: Vec<Rulebook>,
    /// The directories every file it names (calendar, other versions, test
    /// scenarios) must lie in, when it was loaded from a text someone else
    /// sent ([`Rulebook::from_str_within`]); `None`: any file may be read.
    pub confined_to: Option<Vec<PathBuf>>,
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
    /// The lints of this rulebook and of each of its other versions
    /// ([`crate::check::lints`]): warnings, the rulebook still evaluates.
    pub fn lints(&self, sources: &SourceMap) -> Vec<Diagnostic> {
        std::iter::once(self)
            .chain(&self.versions)
            .flat_map(|v| crate::check::lints::lints(&v.program, sources))
            .collect()
    }

    /// Loads and checks a rulebook file and the calendar it selects.
    pub fn load(sources: &mut SourceMap, path: &Path) -> Result<Rulebook, Diagnostics> {
        let id = read_file(sources, path)?;
        Rulebook::load_with_versions(sources, path, id, None)
    }

    /// Loads and checks a rulebook from text. `name` stands for its path: the
    /// calendar and other versions it names are read relative to it, from disk.
    /// No file is read when it names none.
    ///
    /// ```
    /// let mut sources = verdict::SourceMap::new();
    /// let text = "[rulebook]\nid = \"x\"\n";
    /// let err = verdict::Rulebook::from_str(&mut sources, "x.toml", text).unwrap_err();
    /// assert!(!err.0.is_empty());
    /// ```
    pub fn from_str(sources: &mut SourceMap, name: &str, text: &str) -> Result<Rulebook, Diagnostics> {
        let id = sources.add(name, text);
        Rulebook::load_with_versions(sources, Path::new(name), id, None)
    }

    /// Like [`Rulebook::from_str`] for a text from someone who may not read
    /// every file here (a request to a service): every file the rulebook
    /// names (its calendar, other versions and test scenarios) must lie inside
    /// one of `roots` once `..` and links are resolved; one outside is a
    /// located error that does not say whether the file exists.
    pub fn from_str_within(
        sources: &mut SourceMap,
        name: &str,
        text: &str,
        roots: &[PathBuf],
    ) -> Result<Rulebook, Diagnostics> {
        let id = sources.add(name, text);
        Rulebook::load_with_versions(sources, Path::new(name), id, Some(roots))
    }

    /// A file already in the source map, with the other versions it lists.
    fn load_with_versions(
        sources: &mut SourceMap,
        path: &Path,
        id: SourceId,
        root: Option<&[PathBuf]>,
    ) -> Result<Rulebook, Diagnostics> {
        let (mut rb, versions) = Rulebook::load_text(sources, path, id, root)?;
        rb.load_versions(sources, &versions)?;
        Ok(rb)
    }

    /// One file, without the other versions it lists (returned for the caller).
    fn load_one(
        sources: &mut SourceMap,
        path: &Path,
        root: Option<&[PathBuf]>,
    ) -> Result<(Rulebook, Vec<(String, Span)>), Diagnostics> {
        let id = read_file(sources, path)?;
        Rulebook::load_text(sources, path, id, root)
    }

    /// A file already in the source map, without its other versions.
    fn load_text(
        sources: &mut SourceMap,
        path: &Path,
        id: SourceId,
        confined: Option<&[PathBuf]>,
    ) -> Result<(Rulebook, Vec<(String, Span)>), Diagnostics> {
        let root = parse_data(sources, id)?;
        let text = sources.get(id).text.clone();
        // every stage runs, so one problem does not hide the others
        let (decls, mut errors) = rulebook::read(id, &text, &root);
        let calendar = match &decls.calendar {
            None => None,
            Some((rel, span)) => {
                let cal_path = path.parent().unwrap_or(Path::new(".")).join(rel);
                match confine(&cal_path, confined, *span, "calendar", rel) {
                    Ok(()) => load_calendar(sources, &cal_path, *span).map_err(|e| errors.extend(e)).ok(),
                    Err(d) => {
                        errors.push(d);
                        None
                    }
                }
            }
        };
        let other_versions = decls.meta.other_versions.clone();
        let checked = check(decls, calendar);
        match checked {
            Ok(program) if errors.is_empty() => {
                let confined_to = confined.map(<[PathBuf]>::to_vec);
                Ok((Rulebook { path: path.to_path_buf(), program, versions: Vec::new(), confined_to }, other_versions))
            }
            Ok(_) => Err(sorted(errors)),
            Err(more) => {
                errors.extend(more);
                Err(sorted(errors))
            }
        }
    }
}

/// Diagnostics in file order, the main file's first.
fn sorted(mut d: Diagnostics) -> Diagnostics {
    d.0.sort_by_key(|x| (x.span().src, x.span().start));
    d
}

/// The files directly in `dir` whose extension is `ext` (`toml`, `json`),
/// sorted by path; none when the folder cannot be read.
pub fn files_in(dir: &Path, ext: &str) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|e| e == ext))
        .collect();
    files.sort();
    files
}

/// An error unless `path` lies inside one of `roots` (when there are any
/// limits) once `..` and links are resolved. `what` and `written` name it as
/// the rulebook does; the message does not say whether the file exists.
pub(crate) fn confine(
    path: &Path,
    roots: Option<&[PathBuf]>,
    at: Span,
    what: &str,
    written: &str,
) -> Result<(), Diagnostic> {
    let Some(roots) = roots else { return Ok(()) };
    if roots.iter().any(|root| within(path, root)) {
        return Ok(());
    }
    Err(Diagnostic::new(
        "load::outside",
        format!("the {what} `{written}` is outside the directory this rulebook may read"),
        at,
    )
    .label("outside the directories this service reads")
    .help("name a file of the served directory (or of a folder the served rulebooks' tests use), relative to the rulebook, e.g. \"../calendars/nl.toml\""))
}

/// Whether `path` is inside `root`: by its written form with `..` resolved,
/// and, when it exists, by its real path (links followed).
fn within(path: &Path, root: &Path) -> bool {
    let absolute = |p: &Path| match std::env::current_dir() {
        Ok(cwd) if p.is_relative() => normalize(&cwd.join(p)),
        _ => normalize(p),
    };
    let root_written = absolute(root);
    let root_real = root.canonicalize().unwrap_or_else(|_| root_written.clone());
    let written = absolute(path);
    if !written.starts_with(&root_written) && !written.starts_with(&root_real) {
        return false;
    }
    match path.canonicalize() {
        Ok(real) => real.starts_with(&root_real),
        Err(_) => true, // not there: reading it says so, inside the directory
    }
}

/// Loads a calendar file; `from` is where it was selected (for errors).
pub fn load_calendar(sources: &mut SourceMap, path: &Path, from: Span) -> Result<CalendarUse, Diagnostics> {
    let path = normalize(path);
    let id = read_file(sources, &path).map_err(|e| {
        let reason = e.0.first().and_then(|d| d.message.rsplit_once("`: ")).map_or("", |(_, r)| r).to_string();
        let near = path.parent().and_then(|dir| {
            let names: Vec<String> = files_in(dir, "toml")
                .iter()
                .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
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
