//! Arrow rows into scenario trees: each row of the fact columns becomes the
//! tree a JSON scenario of the same shape gives (a struct is a table, a list
//! is a list, `group.fact` column names nest), read straight from the
//! arrays, with no Python object per row. A null is an absent fact. Floats
//! are refused before any row is read: money and decimals are exact.

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Date64Type, Decimal128Type};
use arrow_array::{Array, ArrayRef};
use arrow_schema::{DataType, Field};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use verdict::input::{Key, Node, NodeKind, Table};
use verdict::source::{SourceId, Span};

/// Where a fast-path node points: nowhere (a row with a problem is read
/// again from its JSON text to locate it, see [`to_json`]).
const NOWHERE: Span = Span { src: SourceId(0), start: 0, end: 0 };

/// An error unless every type in `field` is one a fact can be read from.
pub fn check_type(field: &Field, path: &str) -> Result<(), String> {
    let hint = "cast it to decimal128 (money, decimals) or string";
    match field.data_type() {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64
        | DataType::Utf8
        | DataType::LargeUtf8
        | DataType::Utf8View
        | DataType::Date32
        | DataType::Date64
        | DataType::Decimal128(_, _) => Ok(()),
        DataType::Float16 | DataType::Float32 | DataType::Float64 => Err(format!(
            "column `{path}` is {}, which is not exact\n  hint: {hint}",
            field.data_type()
        )),
        DataType::Struct(fields) => {
            fields.iter().try_for_each(|f| check_type(f, &format!("{path}.{}", f.name())))
        }
        DataType::List(inner) | DataType::LargeList(inner) => check_type(inner, &format!("{path}[]")),
        other => Err(format!(
            "column `{path}` has type {other}, which no fact is read from\n  hint: use bool, integers, decimal128, date32, string, structs and lists"
        )),
    }
}

/// Row `i` of `array` as a node; `None` when it is null (an absent fact).
pub fn node_at(array: &dyn Array, i: usize) -> Result<Option<Node>, String> {
    if array.is_null(i) {
        return Ok(None);
    }
    let kind = match array.data_type() {
        DataType::Null => return Ok(None),
        DataType::Boolean => NodeKind::Bool(array.as_boolean().value(i)),
        DataType::Int8 => NodeKind::Int(array.as_primitive::<arrow_array::types::Int8Type>().value(i).into()),
        DataType::Int16 => NodeKind::Int(array.as_primitive::<arrow_array::types::Int16Type>().value(i).into()),
        DataType::Int32 => NodeKind::Int(array.as_primitive::<arrow_array::types::Int32Type>().value(i).into()),
        DataType::Int64 => NodeKind::Int(array.as_primitive::<arrow_array::types::Int64Type>().value(i)),
        DataType::UInt8 => NodeKind::Int(array.as_primitive::<arrow_array::types::UInt8Type>().value(i).into()),
        DataType::UInt16 => NodeKind::Int(array.as_primitive::<arrow_array::types::UInt16Type>().value(i).into()),
        DataType::UInt32 => NodeKind::Int(array.as_primitive::<arrow_array::types::UInt32Type>().value(i).into()),
        DataType::UInt64 => {
            let v = array.as_primitive::<arrow_array::types::UInt64Type>().value(i);
            NodeKind::Int(i64::try_from(v).map_err(|_| format!("the integer {v} is larger than 64-bit signed"))?)
        }
        DataType::Utf8 => NodeKind::Str(array.as_string::<i32>().value(i).to_string()),
        DataType::LargeUtf8 => NodeKind::Str(array.as_string::<i64>().value(i).to_string()),
        DataType::Utf8View => NodeKind::Str(array.as_string_view().value(i).to_string()),
        DataType::Date32 => NodeKind::Date(day(array.as_primitive::<Date32Type>().value(i).into())?),
        DataType::Date64 => NodeKind::Date(day(array.as_primitive::<Date64Type>().value(i) / 86_400_000)?),
        DataType::Decimal128(_, scale) => {
            let v = array.as_primitive::<Decimal128Type>().value(i);
            let d = u32::try_from(*scale)
                .ok()
                .and_then(|s| Decimal::try_from_i128_with_scale(v, s).ok())
                .ok_or_else(|| format!("the decimal {v} (scale {scale}) does not fit 28 digits"))?;
            NodeKind::Str(d.to_string())
        }
        DataType::Struct(fields) => {
            let s = array.as_struct();
            let mut t = Table::default();
            for (f, col) in fields.iter().zip(s.columns()) {
                if let Some(n) = node_at(col.as_ref(), i)? {
                    t.entries.push((Key { name: f.name().clone(), span: NOWHERE }, n));
                }
            }
            NodeKind::Table(t)
        }
        DataType::List(_) => list(&array.as_list::<i32>().value(i))?,
        DataType::LargeList(_) => list(&array.as_list::<i64>().value(i))?,
        other => return Err(format!("a column of type {other} cannot be read")),
    };
    Ok(Some(Node { kind, span: NOWHERE }))
}

fn list(values: &ArrayRef) -> Result<NodeKind, String> {
    let mut items = Vec::with_capacity(values.len());
    for k in 0..values.len() {
        match node_at(values.as_ref(), k)? {
            Some(n) => items.push(n),
            None => return Err(format!("element {k} of a list is null; leave it out of the list")),
        }
    }
    Ok(NodeKind::Array(items))
}

fn day(days_since_1970: i64) -> Result<NaiveDate, String> {
    NaiveDate::from_ymd_opt(1970, 1, 1)
        .and_then(|e| e.checked_add_signed(chrono::TimeDelta::try_days(days_since_1970)?))
        .ok_or_else(|| format!("day {days_since_1970} since 1970 is out of range"))
}

/// Puts `node` at the dotted `path` (`contract.kind`) of `root`'s table.
pub fn insert(root: &mut Table, path: &[&str], node: Node) {
    let (first, rest) = match path {
        [] => return,
        [first, rest @ ..] => (*first, rest),
    };
    if rest.is_empty() {
        root.entries.push((Key { name: first.to_string(), span: NOWHERE }, node));
        return;
    }
    let at = match root.entries.iter().position(|(k, _)| k.name == first) {
        Some(at) => at,
        None => {
            let table = Node { kind: NodeKind::Table(Table::default()), span: NOWHERE };
            root.entries.push((Key { name: first.to_string(), span: NOWHERE }, table));
            root.entries.len() - 1
        }
    };
    if let NodeKind::Table(t) = &mut root.entries[at].1.kind {
        insert(t, rest, node);
    }
}

/// A tree as JSON text (dates as "YYYY-MM-DD"), to read it again with spans.
pub fn to_json(node: &Node, out: &mut String) {
    match &node.kind {
        NodeKind::Str(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        NodeKind::Int(i) => out.push_str(&i.to_string()),
        NodeKind::Float(f) => out.push_str(f),
        NodeKind::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        NodeKind::Date(d) => out.push_str(&format!("\"{}\"", d.format("%Y-%m-%d"))),
        NodeKind::OtherDateTime(s) => out.push_str(&serde_json::to_string(s).unwrap_or_default()),
        NodeKind::Array(items) => {
            out.push('[');
            for (k, n) in items.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                to_json(n, out);
            }
            out.push(']');
        }
        NodeKind::Table(t) => {
            out.push('{');
            for (k, (key, n)) in t.entries.iter().enumerate() {
                if k > 0 {
                    out.push(',');
                }
                out.push_str(&serde_json::to_string(&key.name).unwrap_or_default());
                out.push(':');
                to_json(n, out);
            }
            out.push('}');
        }
    }
}
