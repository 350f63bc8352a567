//! `verdict fmt`: rewrites rulebooks, calendars and scenarios in their
//! canonical layout (src/format), or with `--check` lists those that would change.

use super::{expand, Renderer, BAD_INPUT, OK};
use std::path::PathBuf;
use verdict::format::format_file;
use verdict::load::read_file;
use verdict::SourceMap;

pub fn run(paths: &[PathBuf], check: bool, renderer: &Renderer) -> u8 {
    let mut sources = SourceMap::new();
    let (mut failed, mut changed) = (0usize, 0usize);
    for path in expand(paths) {
        let name = path.display().to_string();
        let formatted = read_file(&mut sources, &path).and_then(|id| {
            let text = sources.get(id).text.clone();
            format_file(&mut sources, &name, &text).map(|out| (text, out))
        });
        let (text, out) = match formatted {
            Ok(pair) => pair,
            Err(ds) => {
                failed += 1;
                outln!("error {name}  (not formatted)");
                renderer.eprint(&sources, &ds.0);
                continue;
            }
        };
        if *text == *out {
            continue;
        }
        changed += 1;
        if check {
            outln!("would reformat {name}");
            let diff = similar::TextDiff::from_lines(&*text, &out);
            out!("{}", diff.unified_diff().context_radius(1).header(&name, &format!("{name} (formatted)")));
        } else if let Err(e) = std::fs::write(&path, &out) {
            failed += 1;
            eprintln!("error {name}: cannot write the formatted file: {e}");
        } else {
            outln!("formatted {name}");
        }
    }
    if failed > 0 || (check && changed > 0) {
        if check && changed > 0 {
            outln!("{changed} file(s) would be reformatted; run `verdict fmt` on them");
        }
        BAD_INPUT
    } else {
        OK
    }
}
