//! `verdict holidays`: a calendar's holidays, for checking it against other sources.

use super::{Status, Stop, OK};
use std::path::Path;
use verdict::load::load_calendar;
use verdict::source::Span;
use verdict::time::{FIRST_YEAR, LAST_YEAR};
use verdict::SourceMap;

pub fn run(path: &Path, from: i32, to: i32) -> Status {
    if from > to || from < FIRST_YEAR || to > LAST_YEAR {
        return Err(Stop::Usage(format!(
            "error: --from and --to must satisfy {FIRST_YEAR} <= from <= to <= {LAST_YEAR}"
        )));
    }
    let mut sources = SourceMap::new();
    let cal = match load_calendar(&mut sources, path, Span::default()) {
        Ok(c) => c.calendar,
        Err(ds) => return Err(Stop::bad_input(&mut sources, ds.0)),
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
        outln!("{l}");
    }
    Ok(OK)
}
