//! `Rulebook.evaluate_arrow`: a pyarrow batch in, a typed batch out. The
//! batch crosses the boundary through the Arrow C stream interface
//! (arrow-pyarrow); rows are read into trees and evaluated in Rust, on
//! several threads with the GIL released, and the verdicts are written
//! column by column. No Python object is made per row.

use crate::errors::{one_line, ScenarioError};
use crate::rows::{check_type, insert, node_at, to_json};
use crate::Rulebook;
use arrow_array::builder::{ArrayBuilder, BooleanBuilder, Date32Builder, Int64Builder, StringBuilder};
use arrow_array::cast::AsArray;
use arrow_array::{Array, ArrayRef, Decimal128Array, ListArray, RecordBatch, StructArray};
use arrow_buffer::{NullBuffer, OffsetBuffer};
use arrow_pyarrow::{FromPyArrow, IntoPyArrow, Table};
use arrow_schema::{DataType, Field, Fields, Schema};
use chrono::NaiveDate;
use pyo3::prelude::*;
use std::sync::Arc;
use verdict::input::{parse_json, Node, NodeKind, Table as NodeTable};
use verdict::output::write_verdicts;
use verdict::source::SourceId;
use verdict::value::{Symbols, Type};
use verdict::{AsOf, OptionValues, Outcome, ScenarioInput, SourceMap, Value};

/// The keyword arguments of `evaluate_arrow`.
pub struct Settings<'a> {
    pub options: Option<&'a str>,
    pub as_of: Option<NaiveDate>,
    pub json_column: Option<&'a str>,
    pub keep: Vec<String>,
    pub money_scale: i8,
    pub decimal_scale: i8,
    pub threads: Option<usize>,
    /// `format="json"`: one string column `verdict` holding the line
    /// `eval --batch` writes, instead of the typed columns.
    pub json_lines: bool,
}

/// One output column: a public conclusion of some version.
struct OutColumn {
    name: String,
    ty: Type,
    per_item: bool,
    /// Its id in each version (in `Rulebook::all` order), `None` where absent.
    ids: Vec<Option<u32>>,
}

/// An undetermined conclusion: its name, element and the facts it needs.
type Undetermined = (String, Option<i64>, Vec<String>);

/// What a row gives for one output column.
enum Cell {
    Null,
    One(Value),
    Items(Vec<Option<Value>>),
}

/// A chunk of rows, evaluated.
#[derive(Default)]
struct Done {
    version: Vec<Option<String>>,
    /// By output column, then row.
    cells: Vec<Vec<Cell>>,
    undetermined: Vec<Vec<Undetermined>>,
    /// With `format="json"`: the verdict object of each row, as `eval --batch` writes it.
    lines: Vec<Option<String>>,
    error: Vec<Option<String>>,
}

impl Done {
    fn new(columns: usize) -> Done {
        Done { cells: (0..columns).map(|_| Vec::new()).collect(), ..Done::default() }
    }
}

/// Rows evaluated and turned into arrays at once by a worker.
const CHUNK: usize = 2048;

/// The output columns of a chunk of rows (version, conclusions, undetermined, error).
type Part = Result<Vec<(Field, ArrayRef)>, String>;

/// Each version's option values, or why the options do not fit it.
type VersionOptions<'r> = Vec<(&'r verdict::Rulebook, Result<OptionValues, String>)>;

pub fn evaluate<'py>(
    py: Python<'py>,
    rb: &Rulebook,
    batch: &Bound<'py, PyAny>,
    s: &Settings,
) -> PyResult<Bound<'py, PyAny>> {
    let table = Table::from_pyarrow_bound(batch).map_err(|e| {
        ScenarioError::new_err(format!(
            "batch: not an Arrow batch ({e})\n  hint: give a pyarrow.RecordBatch or pyarrow.Table"
        ))
    })?;
    let (batches, schema) = table.into_inner();
    for name in &s.keep {
        if schema.index_of(name).is_err() {
            return Err(ScenarioError::new_err(format!(
                "keep: the batch has no column `{name}`\n  hint: columns: {}",
                names(&schema)
            )));
        }
    }
    let columns = out_columns(rb)?;
    let versions = version_options(rb, s.options)?;
    let fact_columns = fact_columns(&schema, s)?;
    let threads = s.threads.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).max(1);
    let symbols: Vec<&Symbols> = rb.all().map(|v| &v.program.symbols).collect();
    // evaluation without the GIL: arrays and rulebooks are plain Rust data.
    // Each worker turns every CHUNK rows into arrays at once, so the memory
    // of the rows' values is reused instead of growing with the batch.
    let parts: Option<Vec<Part>> = py.detach(|| {
        let mut all = Vec::new();
        for b in &batches {
            let n = b.num_rows();
            let per = n.div_ceil(threads).max(1);
            let parts: Option<Vec<Vec<Part>>> = std::thread::scope(|scope| {
                let handles: Vec<_> = (0..n)
                    .step_by(per)
                    .map(|start| {
                        let (cols, versions, columns, symbols) = (&fact_columns, &versions, &columns, &symbols);
                        scope.spawn(move || {
                            let end = (start + per).min(n);
                            let mut out = Vec::new();
                            for from in (start..end).step_by(CHUNK) {
                                let mut done = Done::new(columns.len());
                                for i in from..(from + CHUNK).min(end) {
                                    row(rb, b, cols, i, s, versions, columns, symbols, &mut done);
                                }
                                out.push(part(rb, columns, &done, s));
                            }
                            out
                        })
                    })
                    .collect();
                handles.into_iter().map(|h| h.join().ok()).collect()
            });
            all.extend(parts?.into_iter().flatten());
        }
        Some(all)
    });
    // a worker that panicked (a bug, not an input) is an error, never a short batch
    let parts =
        parts.ok_or_else(|| pyo3::exceptions::PyRuntimeError::new_err("internal: an evaluation thread failed"))?;
    let internal =
        |e: String| pyo3::exceptions::PyRuntimeError::new_err(format!("internal: building the output failed: {e}"));
    let parts: Vec<Vec<(Field, ArrayRef)>> = parts.into_iter().collect::<Result<_, _>>().map_err(internal)?;
    let empty =
        if parts.is_empty() { Some(part(rb, &columns, &Done::new(columns.len()), s).map_err(internal)?) } else { None };
    let out = build(&batches, &schema, &parts, empty, s).map_err(internal)?;
    out.into_pyarrow(py)
}

fn names(schema: &Schema) -> String {
    schema.fields().iter().map(|f| f.name().as_str()).collect::<Vec<_>>().join(", ")
}

/// The columns rows are read from: `(index, path)`, or the JSON column alone.
fn fact_columns(schema: &Schema, s: &Settings) -> PyResult<Vec<(usize, Vec<String>)>> {
    if let Some(json) = s.json_column {
        let Ok(i) = schema.index_of(json) else {
            return Err(ScenarioError::new_err(format!(
                "json_column: the batch has no column `{json}`\n  hint: columns: {}",
                names(schema)
            )));
        };
        if !matches!(schema.field(i).data_type(), DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View) {
            return Err(ScenarioError::new_err(format!(
                "json_column: column `{json}` is {}, not a string\n  hint: give a column of JSON text, one scenario per row",
                schema.field(i).data_type()
            )));
        }
        return Ok(vec![(i, Vec::new())]);
    }
    let mut out = Vec::new();
    for (i, f) in schema.fields().iter().enumerate() {
        if s.keep.contains(f.name()) {
            continue;
        }
        check_type(f, f.name()).map_err(ScenarioError::new_err)?;
        out.push((i, f.name().split('.').map(str::to_string).collect()));
    }
    Ok(out)
}

/// The output columns: every public conclusion of the rulebook's versions,
/// this file's order first; one name has one type in every version.
fn out_columns(rb: &Rulebook) -> PyResult<Vec<OutColumn>> {
    let versions: Vec<&verdict::Rulebook> = rb.all().collect();
    let mut out: Vec<OutColumn> = Vec::new();
    for (k, v) in versions.iter().enumerate() {
        let prog = &v.program;
        for (c, def) in prog.conclusions.iter().enumerate() {
            if def.internal {
                continue;
            }
            match out.iter_mut().find(|o| o.name == def.name) {
                Some(o) if o.ty == def.ty && o.per_item == def.per_item.is_some() => o.ids[k] = Some(c as u32),
                Some(_) => {
                    return Err(crate::errors::RulebookError::new_err(format!(
                        "{}: conclusion `{}` has another type in version {}, so it cannot be one column\n  hint: give it one type in every version, or evaluate each version with its own Rulebook",
                        v.path.display(),
                        def.name,
                        prog.meta.version
                    )))
                }
                None => {
                    let mut ids = vec![None; versions.len()];
                    ids[k] = Some(c as u32);
                    out.push(OutColumn { name: def.name.clone(), ty: def.ty.clone(), per_item: def.per_item.is_some(), ids });
                }
            }
        }
    }
    Ok(out)
}

/// The options for each version; an error when they fit none.
fn version_options<'r>(rb: &'r Rulebook, options: Option<&str>) -> PyResult<VersionOptions<'r>> {
    let mut sources = SourceMap::new();
    let node = match options {
        None => None,
        Some(text) => {
            let id = sources.add("options", text.to_string());
            Some(parse_json(id, text).map_err(|d| ScenarioError::new_err(one_line(&[d], &sources, None)))?)
        }
    };
    let mut out = Vec::new();
    let mut first_error = None;
    for v in rb.all() {
        let o = match &node {
            None => Ok(v.default_options()),
            Some(n) => crate::option_values(v, n).map_err(|d| one_line(&[d], &sources, Some(n))),
        };
        if let Err(e) = &o {
            first_error.get_or_insert_with(|| e.clone());
        }
        out.push((v, o));
    }
    if out.iter().all(|(_, o)| o.is_err()) {
        return Err(ScenarioError::new_err(format!("options: {}", first_error.unwrap_or_default())));
    }
    Ok(out)
}

/// Row `i` of batch `b`: read, evaluated, its cells appended to `done`.
#[allow(clippy::too_many_arguments, reason = "one row's evaluation, called from one place")]
fn row(
    rb: &Rulebook,
    b: &RecordBatch,
    cols: &[(usize, Vec<String>)],
    i: usize,
    s: &Settings,
    versions: &VersionOptions,
    columns: &[OutColumn],
    symbols: &[&Symbols],
    done: &mut Done,
) {
    if s.json_lines {
        let (version, line, error) = match evaluate_line(rb, b, cols, i, s, versions) {
            Ok((version, line)) => (Some(version), Some(line), None),
            Err(e) => (None, None, Some(e)),
        };
        done.version.push(version);
        done.lines.push(line);
        done.error.push(error);
        return;
    }
    match evaluate_row(rb, b, cols, i, s, versions, columns, symbols) {
        Ok((version, cells, undetermined)) => {
            done.version.push(Some(version));
            for (col, cell) in done.cells.iter_mut().zip(cells) {
                col.push(cell);
            }
            done.undetermined.push(undetermined);
            done.error.push(None);
        }
        Err(e) => {
            done.version.push(None);
            for col in &mut done.cells {
                col.push(Cell::Null);
            }
            done.undetermined.push(Vec::new());
            done.error.push(Some(e));
        }
    }
}

type RowResult = Result<(String, Vec<Cell>, Vec<Undetermined>), String>;

/// Row `i` as the scenario of the version in force, read and evaluated.
fn read_and_evaluate<'r>(
    rb: &'r Rulebook,
    b: &RecordBatch,
    cols: &[(usize, Vec<String>)],
    i: usize,
    s: &Settings,
    versions: &VersionOptions,
) -> Result<(verdict::Scenario<'r>, usize, verdict::Verdicts), String> {
    let json = s.json_column.is_some();
    let node = tree(b, cols, i, json)?;
    let as_of = s.as_of.map(|day| AsOf { day, given_by: "as_of" });
    let read = rb.rb.scenario_as_of(&mut SourceMap::new(), ScenarioInput::Tree(&node), as_of);
    let scenario = match read {
        Ok(sc) => sc,
        Err(_) => return Err(located(rb, &node, json, as_of)),
    };
    let k = versions.iter().position(|(v, _)| std::ptr::eq(*v, scenario.version)).unwrap_or(0);
    let opts = versions[k].1.as_ref().map_err(|e| format!("options: {e}"))?;
    let v = scenario
        .evaluate(opts, false)
        .map_err(|e| format!("evaluating failed: {}", one_line(&[*e], &rb.sources, None)))?;
    Ok((scenario, k, v))
}

/// Row `i` evaluated into the line `eval --batch` writes for it (without
/// its newline): the library's `output::write_verdicts`, as the CLI calls it.
fn evaluate_line(
    rb: &Rulebook,
    b: &RecordBatch,
    cols: &[(usize, Vec<String>)],
    i: usize,
    s: &Settings,
    versions: &VersionOptions,
) -> Result<(String, String), String> {
    let (scenario, _, v) = read_and_evaluate(rb, b, cols, i, s, versions)?;
    let prog = &scenario.version.program;
    let mut out = Vec::with_capacity(1024);
    write_verdicts(&mut out, prog, &v, None, scenario.in_force.as_ref());
    let line = String::from_utf8(out).map_err(|e| format!("internal: the verdict is not UTF-8: {e}"))?;
    Ok((prog.meta.version.clone(), line))
}

/// Row `i` as a scenario tree (fast path: no spans).
fn tree(b: &RecordBatch, cols: &[(usize, Vec<String>)], i: usize, json: bool) -> Result<Node, String> {
    if json {
        let col = b.column(cols[0].0);
        let text = match col.data_type() {
            DataType::Utf8 => col.as_string::<i32>().value(i),
            DataType::LargeUtf8 => col.as_string::<i64>().value(i),
            _ => col.as_string_view().value(i),
        };
        if col.is_null(i) {
            return Err("the scenario is null\n  hint: give each row a JSON object".into());
        }
        let mut sources = SourceMap::new();
        let id = sources.add(format!("row {i}"), text.to_string());
        return parse_json(id, text).map_err(|d| one_line(&[d], &sources, None));
    }
    let mut root = NodeTable::default();
    for (c, path) in cols {
        let array = b.column(*c);
        let node = node_at(array.as_ref(), i).map_err(|e| format!("column `{}`: {e}", path.join(".")))?;
        if let Some(n) = node {
            let path: Vec<&str> = path.iter().map(String::as_str).collect();
            insert(&mut root, &path, n);
        }
    }
    let span = verdict::source::Span::new(SourceId(0), 0, 0);
    Ok(Node { kind: NodeKind::Table(root), span })
}

#[allow(clippy::too_many_arguments, reason = "one row's evaluation, called from one place")]
fn evaluate_row(
    rb: &Rulebook,
    b: &RecordBatch,
    cols: &[(usize, Vec<String>)],
    i: usize,
    s: &Settings,
    versions: &VersionOptions,
    columns: &[OutColumn],
    symbols: &[&Symbols],
) -> RowResult {
    let (scenario, k, v) = read_and_evaluate(rb, b, cols, i, s, versions)?;
    let prog = &scenario.version.program;
    let mut cells = Vec::with_capacity(columns.len());
    for col in columns {
        let Some(c) = col.ids[k] else {
            cells.push(Cell::Null);
            continue;
        };
        let scale = scale_of(&col.ty, s);
        let cell = if col.per_item {
            let mut items = Vec::with_capacity(v.per_item[c as usize].len());
            for o in &v.per_item[c as usize] {
                items.push(match o {
                    Outcome::Value(x) => Some(fits(x, scale, &col.name, symbols[k])?.clone()),
                    _ => None,
                });
            }
            Cell::Items(items)
        } else {
            match &v.global[c as usize] {
                Outcome::Value(x) => Cell::One(fits(x, scale, &col.name, symbols[k])?.clone()),
                _ => Cell::Null,
            }
        };
        cells.push(cell);
    }
    let mut undetermined = Vec::new();
    for (c, def) in prog.conclusions.iter().enumerate() {
        if def.internal {
            continue;
        }
        let outcomes: &[Outcome] =
            if def.per_item.is_some() { &v.per_item[c] } else { std::slice::from_ref(&v.global[c]) };
        for (item, o) in outcomes.iter().enumerate() {
            if let Outcome::Undetermined(needs) = o {
                let item = def.per_item.is_some().then_some(item as i64);
                undetermined.push((def.name.clone(), item, needs.iter().map(|n| n.name(prog)).collect()));
            }
        }
    }
    Ok((prog.meta.version.clone(), cells, undetermined))
}

/// A row that did not read, read again from its JSON text so that each
/// problem names its field.
fn located(rb: &Rulebook, node: &Node, json: bool, as_of: Option<AsOf>) -> String {
    let mut text = String::new();
    to_json(node, &mut text);
    let mut sources = SourceMap::new();
    let id = sources.add(if json { "row" } else { "row (as JSON)" }, text.clone());
    let again = match parse_json(id, &text) {
        Ok(n) => n,
        Err(d) => return one_line(&[d], &sources, None),
    };
    match rb.rb.scenario_as_of(&mut sources, ScenarioInput::Tree(&again), as_of) {
        Err(ds) => {
            let msg = one_line(&ds.0, &sources, Some(&again));
            if json {
                msg
            } else {
                msg.replace("row (as JSON)", "row")
            }
        }
        Ok(_) => "the row does not fit the rulebook".into(),
    }
}

/// The decimal scale of a column's values (money or decimal), if any.
fn scale_of(ty: &Type, s: &Settings) -> Option<(i8, &'static str)> {
    match ty {
        Type::Money => Some((s.money_scale, "money_scale")),
        Type::Decimal => Some((s.decimal_scale, "decimal_scale")),
        Type::List(inner) => scale_of(inner, s),
        _ => None,
    }
}

/// `x` when its amounts fit the column's scale exactly; the error says which argument to raise.
fn fits<'v>(x: &'v Value, scale: Option<(i8, &str)>, name: &str, symbols: &Symbols) -> Result<&'v Value, String> {
    let Some((scale, arg)) = scale else { return Ok(x) };
    let check = |d: &rust_decimal::Decimal| {
        let needed = d.normalize().scale();
        if i64::from(needed) > i64::from(scale) {
            Err(format!(
                "conclusion `{name}` = {} has {needed} decimals, more than the column's {scale}\n  hint: pass {arg}={needed} (or more)",
                x.display(symbols)
            ))
        } else {
            Ok(())
        }
    };
    match x {
        Value::Money(d) | Value::Decimal(d) => check(d)?,
        Value::List(items) => {
            for item in items.iter() {
                fits(item, Some((scale, arg)), name, symbols)?;
            }
        }
        _ => {}
    }
    Ok(x)
}

/// The Arrow type of a conclusion's values.
fn data_type(ty: &Type, s: &Settings) -> DataType {
    match ty {
        Type::Bool => DataType::Boolean,
        Type::Int => DataType::Int64,
        Type::Money => DataType::Decimal128(38, s.money_scale),
        Type::Decimal => DataType::Decimal128(38, s.decimal_scale),
        Type::Date => DataType::Date32,
        Type::Interval => DataType::Struct(interval_fields()),
        Type::Timeline => DataType::List(Arc::new(Field::new("item", DataType::Struct(event_fields()), true))),
        Type::List(inner) => DataType::List(Arc::new(Field::new("item", data_type(inner, s), true))),
        _ => DataType::Utf8,
    }
}

fn interval_fields() -> Fields {
    Fields::from(vec![Field::new("from", DataType::Date32, false), Field::new("to", DataType::Date32, false)])
}

fn event_fields() -> Fields {
    Fields::from(vec![
        Field::new("from", DataType::Date32, false),
        Field::new("to", DataType::Date32, true),
        Field::new("event", DataType::Utf8, false),
    ])
}

fn days(d: NaiveDate) -> i32 {
    let epoch = NaiveDate::from_ymd_opt(1970, 1, 1).unwrap_or_default();
    (d - epoch).num_days() as i32
}

/// Values of one type as an array; `symbols` names enumeration values.
fn array(ty: &Type, vals: &[Option<&Value>], s: &Settings, symbols: &Symbols) -> Result<ArrayRef, String> {
    Ok(match ty {
        Type::Bool => {
            let mut b = BooleanBuilder::with_capacity(vals.len());
            vals.iter()
                .for_each(|v| b.append_option(v.and_then(|v| if let Value::Bool(x) = v { Some(*x) } else { None })));
            Arc::new(b.finish())
        }
        Type::Int => {
            let mut b = Int64Builder::with_capacity(vals.len());
            vals.iter()
                .for_each(|v| b.append_option(v.and_then(|v| if let Value::Int(x) = v { Some(*x) } else { None })));
            Arc::new(b.finish())
        }
        Type::Money | Type::Decimal => {
            let scale = if matches!(ty, Type::Money) { s.money_scale } else { s.decimal_scale };
            let mut out = Vec::with_capacity(vals.len());
            for v in vals {
                out.push(match v {
                    Some(Value::Money(d) | Value::Decimal(d)) => Some(mantissa(d, scale)?),
                    _ => None,
                });
            }
            Arc::new(Decimal128Array::from(out).with_precision_and_scale(38, scale).map_err(|e| e.to_string())?)
        }
        Type::Date => {
            let mut b = Date32Builder::with_capacity(vals.len());
            vals.iter().for_each(|v| {
                b.append_option(v.and_then(|v| if let Value::Date(d) = v { Some(days(*d)) } else { None }))
            });
            Arc::new(b.finish())
        }
        Type::Interval => {
            let (mut from, mut to) = (Date32Builder::new(), Date32Builder::new());
            for v in vals {
                let (a, b) = if let Some(Value::Interval(a, b)) = v { (days(*a), days(*b)) } else { (0, 0) };
                from.append_value(a);
                to.append_value(b);
            }
            let nulls = NullBuffer::from(vals.iter().map(|v| v.is_some()).collect::<Vec<_>>());
            let cols: Vec<ArrayRef> = vec![Arc::new(from.finish()), Arc::new(to.finish())];
            Arc::new(StructArray::try_new(interval_fields(), cols, Some(nulls)).map_err(|e| e.to_string())?)
        }
        Type::Timeline => {
            let (mut offsets, mut from, mut to, mut event) =
                (vec![0i32], Date32Builder::new(), Date32Builder::new(), StringBuilder::new());
            for v in vals {
                if let Some(Value::Timeline(events)) = v {
                    for e in events.iter() {
                        from.append_value(days(e.from));
                        to.append_option(e.to.map(days));
                        event.append_value(&*e.label);
                    }
                }
                offsets.push(i32::try_from(from.len()).map_err(|e| e.to_string())?);
            }
            let cols: Vec<ArrayRef> = vec![Arc::new(from.finish()), Arc::new(to.finish()), Arc::new(event.finish())];
            let inner = StructArray::try_new(event_fields(), cols, None).map_err(|e| e.to_string())?;
            let nulls = NullBuffer::from(vals.iter().map(|v| v.is_some()).collect::<Vec<_>>());
            let field = Arc::new(Field::new("item", DataType::Struct(event_fields()), true));
            Arc::new(
                ListArray::try_new(field, OffsetBuffer::new(offsets.into()), Arc::new(inner), Some(nulls))
                    .map_err(|e| e.to_string())?,
            )
        }
        Type::List(inner) => {
            let rows: Vec<Option<Vec<Option<&Value>>>> = vals
                .iter()
                .map(|v| match v {
                    Some(Value::List(items)) => Some(items.iter().map(Some).collect()),
                    _ => None,
                })
                .collect();
            list_array(inner, &rows, s, symbols)?
        }
        _ => {
            let mut b = StringBuilder::with_capacity(vals.len(), vals.len() * 8);
            vals.iter().for_each(|v| b.append_option(v.map(|v| v.display(symbols))));
            Arc::new(b.finish())
        }
    })
}

/// Rows of lists (a per-item conclusion, a list value) as a list array.
fn list_array(
    inner: &Type,
    rows: &[Option<Vec<Option<&Value>>>],
    s: &Settings,
    symbols: &Symbols,
) -> Result<ArrayRef, String> {
    let mut offsets = vec![0i32];
    let mut flat: Vec<Option<&Value>> = Vec::new();
    for r in rows {
        if let Some(items) = r {
            flat.extend(items.iter().copied());
        }
        offsets.push(i32::try_from(flat.len()).map_err(|e| e.to_string())?);
    }
    let values = array(inner, &flat, s, symbols)?;
    let nulls = NullBuffer::from(rows.iter().map(Option::is_some).collect::<Vec<_>>());
    let field = Arc::new(Field::new("item", data_type(inner, s), true));
    Ok(Arc::new(
        ListArray::try_new(field, OffsetBuffer::new(offsets.into()), values, Some(nulls)).map_err(|e| e.to_string())?,
    ))
}

/// An amount as the integer of a decimal128 of `scale`, exactly.
fn mantissa(d: &rust_decimal::Decimal, scale: i8) -> Result<i128, String> {
    let d = d.normalize();
    let up = i64::from(scale) - i64::from(d.scale());
    let factor = u32::try_from(up).ok().and_then(|u| 10i128.checked_pow(u));
    factor.and_then(|f| d.mantissa().checked_mul(f)).ok_or_else(|| format!("{d} does not fit decimal128(38, {scale})"))
}

/// The output batch: kept columns, then each output column of the parts joined.
fn build(
    batches: &[RecordBatch],
    schema: &Schema,
    parts: &[Vec<(Field, ArrayRef)>],
    empty: Option<Vec<(Field, ArrayRef)>>,
    s: &Settings,
) -> Result<RecordBatch, String> {
    let mut fields = Vec::new();
    let mut arrays: Vec<ArrayRef> = Vec::new();
    for name in &s.keep {
        let i = schema.index_of(name).map_err(|e| e.to_string())?;
        let parts: Vec<&dyn Array> = batches.iter().map(|b| b.column(i).as_ref()).collect();
        let joined = if parts.is_empty() {
            arrow_array::new_empty_array(schema.field(i).data_type())
        } else {
            arrow_select::concat::concat(&parts).map_err(|e| e.to_string())?
        };
        fields.push(schema.field(i).clone());
        arrays.push(joined);
    }
    if let Some(empty) = empty {
        for (f, a) in empty {
            fields.push(f);
            arrays.push(a);
        }
    } else {
        for k in 0..parts[0].len() {
            let pieces: Vec<&dyn Array> = parts.iter().map(|p| p[k].1.as_ref()).collect();
            fields.push(parts[0][k].0.clone());
            arrays.push(arrow_select::concat::concat(&pieces).map_err(|e| e.to_string())?);
        }
    }
    RecordBatch::try_new(Arc::new(Schema::new(fields)), arrays).map_err(|e| e.to_string())
}

/// One chunk's rows as arrays: version, conclusions, undetermined, error.
fn part(rb: &Rulebook, columns: &[OutColumn], done: &Done, s: &Settings) -> Part {
    let mut out = Vec::new();
    let symbols = &rb.rb.program.symbols;
    let mut version = StringBuilder::new();
    done.version.iter().for_each(|v| version.append_option(v.as_deref()));
    out.push((Field::new("version", DataType::Utf8, true), Arc::new(version.finish()) as ArrayRef));
    if s.json_lines {
        let bytes: usize = done.lines.iter().map(|l| l.as_ref().map_or(0, String::len)).sum();
        let mut lines = StringBuilder::with_capacity(done.lines.len(), bytes);
        done.lines.iter().for_each(|l| lines.append_option(l.as_deref()));
        out.push((Field::new("verdict", DataType::Utf8, true), Arc::new(lines.finish()) as ArrayRef));
        let mut error = StringBuilder::new();
        done.error.iter().for_each(|e| error.append_option(e.as_deref()));
        out.push((Field::new("error", DataType::Utf8, true), Arc::new(error.finish()) as ArrayRef));
        return Ok(out);
    }
    for (k, col) in columns.iter().enumerate() {
        // enumeration values are named by the version that decided; names are shared text
        let syms = rb.all().zip(&col.ids).find(|(_, id)| id.is_some()).map_or(symbols, |(v, _)| &v.program.symbols);
        let cells = done.cells[k].iter();
        let a = if col.per_item {
            let rows: Vec<Option<Vec<Option<&Value>>>> = cells
                .map(|c| match c {
                    Cell::Items(items) => Some(items.iter().map(Option::as_ref).collect()),
                    _ => None,
                })
                .collect();
            list_array(&col.ty, &rows, s, syms)?
        } else {
            let vals: Vec<Option<&Value>> = cells.map(|c| if let Cell::One(v) = c { Some(v) } else { None }).collect();
            array(&col.ty, &vals, s, syms)?
        };
        let ty = if col.per_item {
            DataType::List(Arc::new(Field::new("item", data_type(&col.ty, s), true)))
        } else {
            data_type(&col.ty, s)
        };
        out.push((Field::new(&col.name, ty, true), a));
    }
    let (und, und_type) = undetermined(done.undetermined.iter())?;
    out.push((Field::new("undetermined", und_type, false), und));
    let mut error = StringBuilder::new();
    done.error.iter().for_each(|e| error.append_option(e.as_deref()));
    out.push((Field::new("error", DataType::Utf8, true), Arc::new(error.finish()) as ArrayRef));
    Ok(out)
}

/// `undetermined`: per row, a list of {conclusion, item, needs}.
fn undetermined<'a>(rows: impl Iterator<Item = &'a Vec<Undetermined>>) -> Result<(ArrayRef, DataType), String> {
    let needs_field = Arc::new(Field::new("item", DataType::Utf8, false));
    let fields = Fields::from(vec![
        Field::new("conclusion", DataType::Utf8, false),
        Field::new("item", DataType::Int64, true),
        Field::new("needs", DataType::List(needs_field.clone()), false),
    ]);
    let (mut offsets, mut conclusion, mut item) = (vec![0i32], StringBuilder::new(), Int64Builder::new());
    let (mut need_offsets, mut need) = (vec![0i32], StringBuilder::new());
    for r in rows {
        for (c, i, needs) in r {
            conclusion.append_value(c);
            item.append_option(*i);
            needs.iter().for_each(|n| need.append_value(n));
            need_offsets.push(i32::try_from(need.len()).map_err(|e| e.to_string())?);
        }
        offsets.push(i32::try_from(conclusion.len()).map_err(|e| e.to_string())?);
    }
    let needs = ListArray::try_new(needs_field, OffsetBuffer::new(need_offsets.into()), Arc::new(need.finish()), None)
        .map_err(|e| e.to_string())?;
    let cols: Vec<ArrayRef> = vec![Arc::new(conclusion.finish()), Arc::new(item.finish()), Arc::new(needs)];
    let inner = StructArray::try_new(fields.clone(), cols, None).map_err(|e| e.to_string())?;
    let field = Arc::new(Field::new("item", DataType::Struct(fields), false));
    let ty = DataType::List(field.clone());
    let list = ListArray::try_new(field, OffsetBuffer::new(offsets.into()), Arc::new(inner), None)
        .map_err(|e| e.to_string())?;
    Ok((Arc::new(list), ty))
}

/// Every row of an Arrow batch as a located scenario tree (for `diff`);
/// a row that cannot be read raises, naming the row.
pub fn scenario_trees(batch: &Bound<'_, PyAny>, json_column: Option<&str>) -> PyResult<Vec<(SourceMap, Node)>> {
    let table = Table::from_pyarrow_bound(batch)?;
    let (batches, schema) = table.into_inner();
    let s = Settings {
        options: None,
        as_of: None,
        json_column,
        keep: Vec::new(),
        money_scale: 2,
        decimal_scale: 10,
        threads: None,
        json_lines: false,
    };
    let cols = fact_columns(&schema, &s)?;
    let mut out = Vec::new();
    let mut row_no = 0;
    for b in &batches {
        for i in 0..b.num_rows() {
            let node = tree(b, &cols, i, json_column.is_some())
                .map_err(|e| ScenarioError::new_err(format!("row {row_no}: {e}")))?;
            let mut text = String::new();
            to_json(&node, &mut text);
            let mut sources = SourceMap::new();
            let id = sources.add(format!("row {row_no}"), text.clone());
            let located = parse_json(id, &text).map_err(|d| ScenarioError::new_err(one_line(&[d], &sources, None)))?;
            out.push((sources, located));
            row_no += 1;
        }
    }
    Ok(out)
}
