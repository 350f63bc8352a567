//! `verdict schema`: the JSON Schema of a rulebook's scenarios, the same
//! document `verdict serve` answers at `/v1/rulebooks/{id}/schema`.

use super::{load, Status, OK};
use std::path::Path;
use verdict::schema::scenario_schema;
use verdict::SourceMap;

pub fn run(rulebook: &Path) -> Status {
    let mut sources = SourceMap::new();
    let rb = load(&mut sources, rulebook)?;
    let schema = scenario_schema(&rb.program);
    outln!("{}", serde_json::to_string_pretty(&schema).expect("a JSON value serialises"));
    Ok(OK)
}
