//! Loading: a rulebook (with its calendar and other versions) from a file or
//! from text, through every stage, with all diagnostics of a file collected;
//! then a scenario against it ([`Rulebook::scenario`]).

mod kind;
mod scenario;
mod versions;

pub use kind::{expect_kind, kind_of, FileKind};

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

/// How the commands take a rulebook, for an error about a file of another kind.
const RULEBOOK_USAGE: &str =
    "The rulebook comes first: verdict eval RULEBOOK SCENARIO…, verdict check/test RULEBOOK…; a calendar is selected by the rulebook (calendar = \"…\").";

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
    /// `program`'s conditions compiled, for evaluation without a trace.
    pub(crate) compiled: crate::eval::Compiled,
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
            Ok(bytes)
        }),
    };
    let text = match text.map(String::from_utf8) {
        Ok(Ok(t)) => Ok(t),
        Ok(Err(e)) => return Err(not_utf8(sources, name, e.as_bytes(), e.utf8_error().valid_up_to()).into()),
        Err(e) => Err(e),
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

/// A file that is not UTF-8: located at its first bad byte (the text is kept
/// with that byte replaced, so the place can be shown), with the encoding it
/// was probably saved in.
fn not_utf8(sources: &mut SourceMap, name: String, bytes: &[u8], at: usize) -> Diagnostic {
    let byte = bytes.get(at).copied().unwrap_or(0);
    let id = sources.add(name.clone(), String::from_utf8_lossy(bytes).into_owned());
    let (line, column) = sources.line_col(id, at);
    let end = at + '\u{FFFD}'.len_utf8();
    let help = match latin1(byte) {
        Some((c, encoding)) => format!(
            "it looks like {encoding}, where 0x{byte:02X} is `{c}`: save the file as UTF-8 (in an editor, \"Save with encoding: UTF-8\"; or iconv -f {} -t UTF-8)",
            if encoding.starts_with("Latin") { "LATIN1" } else { "WINDOWS-1252" }
        ),
        None => "save the file as UTF-8 text".to_string(),
    };
    Diagnostic::new(
        "input::encoding",
        format!("`{name}` is not UTF-8: byte 0x{byte:02X} at line {line}, column {column} (byte {at})"),
        Span::new(id, at, end),
    )
    .label("not UTF-8")
    .help(help)
}

/// The character a byte stands for in Latin-1 (0xA0–0xFF) or Windows-1252
/// (the common characters of 0x80–0x9F), with the encoding's name.
fn latin1(byte: u8) -> Option<(char, &'static str)> {
    let windows = match byte {
        0x80 => '€',
        0x85 => '…',
        0x91 => '‘',
        0x92 => '’',
        0x93 => '“',
        0x94 => '”',
        0x96 => '–',
        0x97 => '—',
        0x9C => 'œ',
        0x8C => 'Œ',
        0xA0..=0xFF => return Some((char::from(byte), "Latin-1 (ISO-8859-1) or Windows-1252")),
        _ => return None,
    };
    Some((windows, "Windows-1252"))
}

/// Parses TOML, or JSON when the text starts with `{`.
pub fn parse_data(sources: &SourceMap, id: SourceId) -> Result<Node, Diagnostics> {
    let text = &sources.get(id).text;
    if is_json(sources, id) { parse_json(id, text) } else { parse_toml(id, text) }.map_err(Diagnostics::from)
}

/// Whether [`parse_data`] reads a source as JSON (a `.json` name, or text
/// that opens with `{`) rather than TOML.
pub fn is_json(sources: &SourceMap, id: SourceId) -> bool {
    let file = sources.get(id);
    file.name.ends_with(".json") || file.text.trim_start().starts_with('{')
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

    /// A rulebook of one checked program (no other versions, any file may be
    /// read), its conditions compiled for evaluation: for a program checked
    /// by hand, say with a calendar given as data (`crate::check::check`).
    pub fn from_program(path: &Path, program: Program) -> Rulebook {
        let compiled = crate::eval::Compiled::new(&program);
        Rulebook { path: path.to_path_buf(), program, versions: Vec::new(), confined_to: None, compiled }
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
        expect_kind(&root, FileKind::Rulebook, RULEBOOK_USAGE)?;
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
                let mut rulebook = Rulebook::from_program(path, program);
                rulebook.confined_to = confined.map(<[PathBuf]>::to_vec);
                Ok((rulebook, other_versions))
            }
            Ok(_) => Err(sorted(errors)),
            Err(more) => {
                errors.extend(without_follow_ons(&errors, more));
                Err(sorted(errors))
            }
        }
    }
}

/// The checker's diagnostics, or none when the reader already refused a
/// value of the wrong type (a list where one text is expected, a text for a
/// date, a key missing): that declaration or rule was left out, so the
/// checker's "no rule concludes", "unknown name", "needs a calendar" would be
/// one root cause reported many times. The root is reported first and alone.
fn without_follow_ons(read: &Diagnostics, checked: Diagnostics) -> Diagnostics {
    const ROOTS: &[&str] = &[
        "input::wrong-type",
        "input::missing-key",
        "input::bad-date",
        "rulebook::declaration",
        "syntax::unknown-type",
    ];
    if read.0.iter().any(|d| ROOTS.contains(&d.code)) {
        return Diagnostics::default();
    }
    checked
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
    expect_kind(&root, FileKind::Calendar, "A rulebook selects its calendar with calendar = \"…\" in [rulebook]; `verdict holidays` takes a calendar file.")
        .map_err(|d| if from == Span::default() { d } else { d.also(from, "selected here") })?;
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

#[cfg(test)]
mod encoding_tests {
    use super::*;

    #[test]
    fn latin1_file_is_located_with_its_encoding() {
        let dir = std::env::temp_dir().join(format!("verdict-latin1-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("r.toml");
        std::fs::write(&path, b"[rulebook]\ntitle = \"Droit de r\xe9tractation\"\n").unwrap();
        let mut sources = SourceMap::new();
        let err = read_file(&mut sources, &path).unwrap_err();
        let d = &err.0[0];
        assert_eq!(d.code, "input::encoding");
        assert!(d.message.contains("byte 0xE9 at line 2, column 20"), "{}", d.message);
        assert!(d.help.as_deref().unwrap_or("").contains("Latin-1"), "{:?}", d.help);
        assert_eq!(sources.location(d.span()), format!("{}:2:20", path.display()));
        std::fs::remove_dir_all(&dir).ok();
    }
}
