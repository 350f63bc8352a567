//! `verdict new`: writes a starter rulebook (facts, a conclusion, two rules,
//! sources and tests) that checks clean and whose tests fire every rule. The
//! text is `new_rulebook.toml`; the library checks it before it is written.

use super::{Status, Stop, OK};
use std::path::PathBuf;
use verdict::{Diagnostic, Rulebook, SourceMap};

const TEMPLATE: &str = include_str!("new_rulebook.toml");

#[derive(clap::Args, Debug)]
pub struct NewArgs {
    /// The rulebook file to write; it must not exist yet.
    path: PathBuf,
    /// The rulebook's id (default: the file name, e.g. `withdrawal` for withdrawal.toml).
    #[arg(long)]
    id: Option<String>,
}

pub fn run(args: NewArgs) -> Status {
    let mut sources = SourceMap::new();
    let name = args.path.display().to_string();
    let place = |sources: &mut SourceMap| {
        let id = sources.add(name.clone(), "");
        verdict::source::Span::new(id, 0, 0)
    };
    if args.path.exists() {
        let at = place(&mut sources);
        let d = Diagnostic::new("new::exists", format!("`{name}` already exists"), at)
            .label("verdict new writes a new file and never overwrites one")
            .help("give a path that does not exist yet, or move the existing file away");
        return Err(Stop::bad_input(&mut sources, vec![d]));
    }
    let id = args.id.unwrap_or_else(|| default_id(&args.path));
    let text = TEMPLATE.replace("{id}", &id.replace(['"', '\\'], ""));
    // the written file must check: a bad --id is reported before anything is written
    if let Err(ds) = Rulebook::from_str(&mut sources, &name, &text) {
        return Err(Stop::bad_input(&mut sources, ds.0));
    }
    if let Some(dir) = args.path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Err(e) = std::fs::create_dir_all(dir) {
            return Err(Stop::Usage(format!("error: cannot create `{}`: {e}", dir.display())));
        }
    }
    if let Err(e) = std::fs::write(&args.path, &text) {
        let at = place(&mut sources);
        let d = Diagnostic::new("new::write", format!("cannot write `{name}`: {e}"), at)
            .help("check that the directory exists and that you may write to it");
        return Err(Stop::bad_input(&mut sources, vec![d]));
    }
    outln!("wrote {name}: check it with `verdict check {name}`, run its tests with `verdict test {name}`");
    Ok(OK)
}

/// The file name without `.toml`, in the characters an id is written with.
fn default_id(path: &std::path::Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().to_lowercase()).unwrap_or_default();
    let id: String = stem.chars().map(|c| if c.is_ascii_alphanumeric() || c == '.' { c } else { '_' }).collect();
    if id.is_empty() {
        "starter".into()
    } else {
        id
    }
}
