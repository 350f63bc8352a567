//! The loaded rulebook set: every rulebook of the directory with its content
//! revision, and the files that did not load with their diagnostics. The
//! service holds it in an `ArcSwap` ([`super::App::set`]): a request takes
//! one snapshot for its whole life, so a reload (`reload.rs`) swaps in a
//! new set atomically and no request ever sees half of one.

use super::errors::diagnostics_data;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};
use verdict::diagnostic::{Diagnostic, DiagnosticData};
use verdict::load::{files_in, parse_data, read_file};
use verdict::{Rulebook, SourceMap};

/// One rulebook as served.
pub struct Loaded {
    /// The rulebook, with its other versions.
    pub rulebook: Rulebook,
    /// sha256 (hex) of the texts of every file it was loaded from: the
    /// rulebook, its other versions and its calendar, in load order.
    pub revision: String,
    /// The main file, relative to the served directory.
    pub path: String,
}

/// A file that did not load.
pub struct LoadError {
    /// The file, relative to the served directory.
    pub path: String,
    /// Why, as data.
    pub diagnostics: Vec<DiagnosticData>,
    /// The same, with their files, for the startup report on stderr.
    pub rendered: (SourceMap, Vec<Diagnostic>),
    /// When the load failed, RFC 3339 UTC.
    pub time: String,
    /// After a reload: the id of the rulebook this file served before,
    /// whose last good version keeps serving.
    pub kept: Option<String>,
}

impl LoadError {
    /// An error about a whole file, without a place inside it.
    fn plain(path: String, code: &'static str, message: String, help: String, time: &str) -> LoadError {
        LoadError {
            diagnostics: vec![DiagnosticData {
                code,
                message,
                file: path.clone(),
                line: 1,
                column: 1,
                field: None,
                text: String::new(),
                label: None,
                help: Some(help),
                severity: verdict::diagnostic::Severity::Error,
            }],
            path,
            rendered: (SourceMap::new(), Vec::new()),
            time: time.to_string(),
            kept: None,
        }
    }
}

/// Everything one request sees.
pub struct RulebookSet {
    /// The directory served.
    pub dir: PathBuf,
    /// By rulebook id.
    pub rulebooks: BTreeMap<String, std::sync::Arc<Loaded>>,
    /// Files that did not load, in path order.
    pub errors: Vec<LoadError>,
    /// What a rulebook text sent by a client may read (`Rulebook::from_str_within`):
    /// the served directory and the folders of the scenario files its rulebooks' tests use.
    pub read_roots: Vec<PathBuf>,
}

/// Where a rulebook text a client sent stands in the served directory: its
/// `name` when that is a relative path of plain parts ending in `.toml` (so
/// its calendar and other versions resolve as a served file's would), else
/// the name's last part, or `default`, at the directory's top.
pub fn place(dir: &Path, name: &str, default: &str) -> PathBuf {
    let rel = Path::new(name);
    let plain = rel.components().all(|c| matches!(c, std::path::Component::Normal(_)));
    if plain && rel.extension().is_some_and(|e| e == "toml") {
        dir.join(rel)
    } else {
        dir.join(rel.file_name().map_or_else(|| PathBuf::from(default), PathBuf::from))
    }
}

/// The served directory and every folder a served rulebook's test scenarios
/// come from (the shipped rulebooks' tests use `examples/`).
fn read_roots(dir: &Path, rulebooks: &BTreeMap<String, std::sync::Arc<Loaded>>) -> Vec<PathBuf> {
    let mut roots = vec![dir.to_path_buf()];
    let all = rulebooks.values().flat_map(|l| std::iter::once(&l.rulebook).chain(l.rulebook.versions.iter()));
    for rb in all {
        let base = rb.path.parent().unwrap_or(Path::new("."));
        for t in &rb.program.tests {
            if let Some(folder) = t.scenario.as_ref().and_then(|(rel, _)| base.join(rel).parent().map(canonical)) {
                if !roots.contains(&folder) {
                    roots.push(folder);
                }
            }
        }
    }
    roots
}

/// The content revision of what a source map holds.
pub fn revision(sources: &SourceMap) -> String {
    let mut hash = Sha256::new();
    for file in sources.files() {
        hash.update((file.text.len() as u64).to_le_bytes());
        hash.update(file.text.as_bytes());
    }
    hash.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// The `.toml` files under `dir`, sorted, directories searched recursively.
fn toml_files(dir: &Path, out: &mut Vec<PathBuf>) {
    out.extend(files_in(dir, "toml"));
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    let mut dirs: Vec<PathBuf> = entries.flatten().map(|e| e.path()).filter(|p| p.is_dir()).collect();
    dirs.sort();
    for d in dirs {
        toml_files(&d, out);
    }
}

/// Whether the file is a calendar (a `[calendar]` table and no `[rulebook]`).
fn is_calendar(path: &Path) -> bool {
    let mut sources = SourceMap::new();
    let Ok(id) = read_file(&mut sources, path) else { return false };
    let Ok(root) = parse_data(&sources, id) else { return false };
    root.as_table().is_ok_and(|t| t.get("calendar").is_some() && t.get("rulebook").is_none())
}

/// The files a rulebook file lists under `rulebook.other_versions`, read
/// from its TOML even when it does not load or check; when the TOML itself
/// is broken, from the line that starts with `other_versions`.
fn listed_versions(path: &Path) -> Vec<PathBuf> {
    let base = path.parent().unwrap_or(Path::new("."));
    let mut sources = SourceMap::new();
    let Ok(id) = read_file(&mut sources, path) else { return Vec::new() };
    let listed: Vec<String> = match parse_data(&sources, id) {
        Ok(root) => root
            .as_table()
            .ok()
            .and_then(|t| t.get("rulebook")?.as_table().ok()?.get("other_versions")?.as_str_list().ok())
            .map(|l| l.into_iter().map(|(s, _)| s.to_string()).collect())
            .unwrap_or_default(),
        Err(_) => {
            let text = &sources.get(id).text;
            let line = text.lines().find(|l| l.trim_start().starts_with("other_versions")).unwrap_or("");
            let line = line.split('#').next().unwrap_or("");
            line.split('"').skip(1).step_by(2).map(str::to_string).collect()
        }
    };
    listed.iter().map(|rel| canonical(&base.join(rel))).collect()
}

fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

impl RulebookSet {
    /// Loads and checks every rulebook under `dir`. A file another rulebook
    /// lists as one of its versions is served as that version, not on its
    /// own; a second file with an id already served is a load error.
    pub fn load(dir: &Path) -> RulebookSet {
        let mut files = Vec::new();
        toml_files(dir, &mut files);
        let rel = |p: &Path| p.strip_prefix(dir).unwrap_or(p).display().to_string();
        let time = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
        let mut loaded = Vec::new();
        let mut errors = Vec::new();
        for path in files.iter().filter(|p| !is_calendar(p)) {
            let mut sources = SourceMap::new();
            match Rulebook::load(&mut sources, path) {
                Ok(rb) => loaded.push((path.clone(), rb, revision(&sources))),
                Err(ds) => errors.push(LoadError {
                    path: rel(path),
                    diagnostics: diagnostics_data(&sources, &ds.0, None),
                    rendered: (sources, ds.0),
                    time: time.clone(),
                    kept: None,
                }),
            }
        }
        let versions: HashSet<PathBuf> =
            loaded.iter().flat_map(|(_, rb, _)| rb.versions.iter().map(|v| canonical(&v.path))).collect();
        // the versions of a file that did not load are not served on their
        // own: an old version would decide cases the broken one is for
        let of_broken: Vec<(PathBuf, String)> = errors
            .iter()
            .flat_map(|e| listed_versions(&dir.join(&e.path)).into_iter().map(|v| (v, e.path.clone())))
            .collect();
        let mut rulebooks = BTreeMap::new();
        for (path, rulebook, revision) in loaded {
            if versions.contains(&canonical(&path)) {
                continue;
            }
            if let Some((_, main)) = of_broken.iter().find(|(v, _)| *v == canonical(&path)) {
                let message = format!("not served on its own: it is a version listed by `{main}`, which did not load");
                let help = format!("fix `{main}`; its versions are served with it");
                errors.push(LoadError::plain(rel(&path), "serve::version-of-broken", message, help, &time));
                continue;
            }
            let id = rulebook.program.meta.id.clone();
            if let Some(first) = rulebooks.get(&id) {
                let first: &std::sync::Arc<Loaded> = first;
                let message = format!("rulebook `{id}` is already served from `{}`", first.path);
                let help = "give each rulebook its own id, or list this file in `other_versions`".to_string();
                errors.push(LoadError::plain(rel(&path), "serve::duplicate-id", message, help, &time));
                continue;
            }
            let loaded = Loaded { rulebook, revision, path: rel(&path) };
            rulebooks.insert(id, std::sync::Arc::new(loaded));
        }
        errors.sort_by(|a, b| a.path.cmp(&b.path));
        let read_roots = read_roots(dir, &rulebooks);
        RulebookSet { dir: dir.to_path_buf(), rulebooks, errors, read_roots }
    }

    /// The rulebook `id`, or a 404 that names the nearest ids.
    pub fn get(&self, id: &str) -> Result<std::sync::Arc<Loaded>, super::errors::ApiError> {
        self.rulebooks.get(id).cloned().ok_or_else(|| {
            let ids: Vec<&str> = self.rulebooks.keys().map(String::as_str).collect();
            super::errors::ApiError::unknown_rulebook(id, &ids)
        })
    }
}
