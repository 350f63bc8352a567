//! `verdict holidays`: a calendar's holidays, for checking it against other sources.

use super::{Renderer, BAD_INPUT, OK, USAGE};
use std::path::Path;
use verdict::load::load_calendar;
use verdict::source::Span;
use verdict::time::{FIRST_YEAR, LAST_YEAR};
use verdict::SourceMap;

pub fn run(path: &Path, from: i32, to: i32, renderer: &Renderer) -> u8 {
    if from > to || from < FIRST_YEAR || to > LAST_YEAR {
        eprintln!("error: --from and --to must satisfy {FIRST_YEAR} <= from <= to <= {LAST_YEAR}");
        return USAGE;
    }
    let mut sources = SourceMap::new();
    let cal = match load_calendar(&mut sources, path, Span::default()) {
        Ok(c) => c.calendar,
        Err(ds) => {
            renderer.eprint(&sources, &ds.0);
            return BAD_INPUT;
        }
    };
    let mut lines = Vec::new();
    for year in from..=to {
        for h in &cal.holidays {
            if let Some(d) = h.date_in(year) {
                let option = h.option.as_ref().map_or("-", |(o, _)| o.as_str());
                lines.push(format!("{}\t{}\t{option}", d.format("%Y-%m-%d"), h.name));
            }
        }
    }
    lines.sort();
    for l in lines {
        println!("{l}");
    }
    OK
}
