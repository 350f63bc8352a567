//! Python values in and out: a scenario or options given as Python objects
//! become JSON text (read by the library's own JSON reader, so every problem
//! is located like a `--batch` line's), and the contract's JSON object
//! becomes Python dicts and lists.

use crate::errors::ScenarioError;
use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDate, PyDateTime, PyDict, PyFloat, PyInt, PyList, PyMapping, PyString, PyTuple};
use pyo3::IntoPyObjectExt;

/// Deepest nesting accepted from Python (the JSON reader has its own limit).
const MAX_DEPTH: usize = 64;

/// Writes `obj` as JSON text into `out`: dicts with string keys, lists and
/// tuples, str, bool, int, `decimal.Decimal` (as an exact number),
/// `datetime.date` (as "YYYY-MM-DD") and None. A float, a datetime or any
/// other type is an error naming the field `path` and saying what to write.
pub fn to_json(obj: &Bound<'_, PyAny>, path: &str, out: &mut String) -> PyResult<()> {
    to_json_at(obj, path, out, 0)
}

fn bad(path: &str, what: String, hint: &str) -> PyErr {
    ScenarioError::new_err(format!("{path}: {what}\n  hint: {hint}"))
}

fn to_json_at(obj: &Bound<'_, PyAny>, path: &str, out: &mut String, depth: usize) -> PyResult<()> {
    if depth > MAX_DEPTH {
        return Err(bad(path, "nested too deeply".into(), "a scenario is fact groups, records and values"));
    }
    let shown = || obj.repr().map(|r| r.to_string()).unwrap_or_else(|_| "?".into());
    if obj.is_none() {
        return Err(bad(path, "None is not a value".into(), "leave an absent fact out instead of giving None"));
    } else if obj.is_instance_of::<PyBool>() {
        out.push_str(if obj.extract::<bool>()? { "true" } else { "false" });
    } else if obj.is_instance_of::<PyInt>() {
        let i: i64 = obj.extract().map_err(|_| {
            bad(path, format!("the integer {} is too large", shown()), "integers are 64-bit; write amounts as strings")
        })?;
        out.push_str(&i.to_string());
    } else if obj.is_instance_of::<PyFloat>() {
        return Err(bad(
            path,
            format!("{} is a float, which is not exact", shown()),
            "write money and decimals as decimal.Decimal(\"94.90\") or as a string \"94.90\"",
        ));
    } else if obj.is_instance_of::<PyString>() {
        let s: String = obj.extract()?;
        out.push_str(&serde_json::to_string(&s).unwrap_or_default());
    } else if obj.is_instance_of::<PyDateTime>() {
        return Err(bad(
            path,
            format!("{} is a date and time", shown()),
            "give a datetime.date (use .date()) or a string YYYY-MM-DD",
        ));
    } else if obj.is_instance_of::<PyDate>() {
        let iso: String = obj.call_method0("isoformat")?.extract()?;
        out.push('"');
        out.push_str(&iso);
        out.push('"');
    } else if is_decimal(obj)? {
        if !obj.call_method0("is_finite")?.extract::<bool>()? {
            return Err(bad(
                path,
                format!("{} is not a finite number", shown()),
                "give a number such as Decimal(\"94.90\")",
            ));
        }
        // plain notation (no exponent), every written digit kept
        let text: String = obj.py().import("builtins")?.call_method1("format", (obj, "f"))?.extract()?;
        out.push_str(&text);
    } else if let Ok(map) = obj.cast::<PyMapping>() {
        out.push('{');
        for (k, kv) in map.items()?.iter().enumerate() {
            let (key, value): (Bound<PyAny>, Bound<PyAny>) = kv.extract()?;
            let Ok(name) = key.extract::<String>() else {
                return Err(bad(
                    path,
                    format!("the key {} is not a string", key.repr()?),
                    "fact groups and facts are named by strings",
                ));
            };
            if k > 0 {
                out.push(',');
            }
            out.push_str(&serde_json::to_string(&name).unwrap_or_default());
            out.push(':');
            let inner = if path.is_empty() { name.clone() } else { format!("{path}.{name}") };
            to_json_at(&value, &inner, out, depth + 1)?;
        }
        out.push('}');
    } else if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        out.push('[');
        for (i, item) in obj.try_iter()?.enumerate() {
            if i > 0 {
                out.push(',');
            }
            to_json_at(&item?, &format!("{path}[{i}]"), out, depth + 1)?;
        }
        out.push(']');
    } else {
        let ty = obj.get_type().name().map(|n| n.to_string()).unwrap_or_default();
        return Err(bad(
            path,
            format!("a value of type `{ty}` cannot be a fact: {}", shown()),
            "give dicts, lists, str, bool, int, decimal.Decimal or datetime.date",
        ));
    }
    Ok(())
}

fn is_decimal(obj: &Bound<'_, PyAny>) -> PyResult<bool> {
    let decimal = obj.py().import("decimal")?.getattr("Decimal")?;
    obj.is_instance(&decimal)
}

/// A JSON value of the contract as Python: objects as dicts (key order
/// kept), strings, ints, bools, None; a number with a fraction (none is
/// written by the contract) as `decimal.Decimal`, never a float.
pub fn from_json<'py>(py: Python<'py>, v: &serde_json::Value) -> PyResult<Bound<'py, PyAny>> {
    use serde_json::Value as J;
    Ok(match v {
        J::Null => py.None().into_bound(py),
        J::Bool(b) => b.into_bound_py_any(py)?,
        J::Number(n) => match (n.as_i64(), n.as_u64()) {
            (Some(i), _) => i.into_bound_py_any(py)?,
            (_, Some(u)) => u.into_bound_py_any(py)?,
            _ => py.import("decimal")?.getattr("Decimal")?.call1((n.to_string(),))?,
        },
        J::String(s) => s.into_bound_py_any(py)?,
        J::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(from_json(py, item)?)?;
            }
            list.into_any()
        }
        J::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, from_json(py, item)?)?;
            }
            dict.into_any()
        }
    })
}
