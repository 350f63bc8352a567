//! `verdict` for Python: a pyo3 module over the library's public API.
//! [`Rulebook`] loads and checks a rulebook, evaluates scenarios given as
//! dicts, JSON or TOML text or files (the contract's verdict object, the
//! bytes `verdict eval --format json` prints), and Arrow batches column by
//! column ([`arrow`]); [`diff`] compares two versions row by row.

mod arrow;
mod errors;
mod pyvalue;
mod rows;

use chrono::NaiveDate;
use errors::{raise, Kind, RulebookError, ScenarioError, VerdictError};
use pyo3::prelude::*;
use pyo3::types::{PyDate, PyDateTime, PyDict, PyList, PyMapping, PyString};
use std::path::{Path, PathBuf};
use verdict::input::{parse_json, Node, NodeKind};
use verdict::load::{is_json, parse_data, read_file};
use verdict::output::write_verdicts;
use verdict::source::SourceId;
use verdict::{AsOf, Diagnostic, OptionValues, ScenarioInput, SourceMap};

/// A loaded, checked rulebook (with its calendar and other versions).
#[pyclass(frozen, module = "verdict")]
pub struct Rulebook {
    rb: verdict::Rulebook,
    /// The rulebook's files, for locating problems found while evaluating.
    sources: SourceMap,
}

/// A scenario's text in its own map (its problems point into it), not yet parsed.
struct Read {
    sources: SourceMap,
    id: SourceId,
    /// The file's path when the scenario is a file (the output's `scenario`).
    path: Option<String>,
}

/// Why a scenario gave no verdict, found without the GIL and raised with it.
enum Failed {
    /// Problems of the scenario or the options, located in the scenario's
    /// map, with the tree their JSON paths are taken from.
    Input(Vec<Diagnostic>, Option<Node>),
    /// A problem found while evaluating; it points into the rulebook.
    Evaluation(Diagnostic),
}

#[pymethods]
impl Rulebook {
    /// Loads and checks a rulebook file, its calendar and the other versions
    /// it lists. Raises RulebookError with file:line:column and a hint for
    /// every problem.
    #[staticmethod]
    fn load(py: Python<'_>, path: PathBuf) -> PyResult<Rulebook> {
        let mut sources = SourceMap::new();
        match verdict::Rulebook::load(&mut sources, &path) {
            Ok(rb) => Ok(Rulebook { rb, sources }),
            Err(ds) => Err(raise(py, Kind::Rulebook, &ds.0, &sources, None)),
        }
    }

    /// Loads and checks a rulebook from text; `name` stands for its path
    /// (errors name it; a calendar or other version it names is read
    /// relative to it).
    #[staticmethod]
    #[pyo3(signature = (text, name = "rulebook.toml"))]
    fn from_str(py: Python<'_>, text: &str, name: &str) -> PyResult<Rulebook> {
        let mut sources = SourceMap::new();
        match verdict::Rulebook::from_str(&mut sources, name, text) {
            Ok(rb) => Ok(Rulebook { rb, sources }),
            Err(ds) => Err(raise(py, Kind::Rulebook, &ds.0, &sources, None)),
        }
    }

    /// The rulebook's id, e.g. "nl.withdrawal".
    #[getter]
    fn id(&self) -> &str {
        &self.rb.program.meta.id
    }

    /// The version of this file (other versions: `versions`).
    #[getter]
    fn version(&self) -> &str {
        &self.rb.program.meta.version
    }

    /// Every version this rulebook holds, this file's first.
    #[getter]
    fn versions(&self) -> Vec<String> {
        self.all().map(|v| v.program.meta.version.clone()).collect()
    }

    /// The facts a scenario gives: dicts with name, type, doc, optional,
    /// default (as the JSON contract writes it, None without one), values (of
    /// an enumeration) and fields (of a list of records).
    #[getter]
    fn facts<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let prog = &self.rb.program;
        let list = PyList::empty(py);
        for f in &prog.facts {
            list.append(self.fact_dict(py, f)?)?;
        }
        Ok(list)
    }

    /// The public conclusions (those in the output): dicts with name, type,
    /// doc and per_item (a list per element of a list of records).
    #[getter]
    fn conclusions<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let prog = &self.rb.program;
        let list = PyList::empty(py);
        for c in prog.conclusions.iter().filter(|c| !c.internal) {
            let d = PyDict::new(py);
            d.set_item("name", &c.name)?;
            set_type(&d, prog, &c.ty)?;
            d.set_item("doc", c.doc.as_deref())?;
            d.set_item("per_item", c.per_item.is_some())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// The options (interpretation flags): dicts with name, type, default and doc.
    #[getter]
    fn options<'py>(&self, py: Python<'py>) -> PyResult<Bound<'py, PyList>> {
        let prog = &self.rb.program;
        let list = PyList::empty(py);
        for o in &prog.options {
            let d = PyDict::new(py);
            d.set_item("name", &o.name)?;
            set_type(&d, prog, &o.ty)?;
            d.set_item("default", pyvalue::from_json(py, &o.default.to_json(&prog.symbols))?)?;
            d.set_item("doc", o.doc.as_deref())?;
            list.append(d)?;
        }
        Ok(list)
    }

    /// Evaluates one scenario: a dict (values str, bool, int, Decimal, date),
    /// JSON or TOML text, or a path (os.PathLike) to a scenario file. Returns
    /// the verdict object of the JSON contract (docs/OUTPUT.md) as a dict;
    /// `json.dumps(result, separators=(",", ":"), ensure_ascii=False)` gives
    /// the bytes `verdict eval --format json` prints (with trace=True).
    #[pyo3(signature = (scenario, options = None, trace = false, as_of = None))]
    fn evaluate<'py>(
        &self,
        py: Python<'py>,
        scenario: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyAny>>,
        trace: bool,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyAny>> {
        let options = options_text(options)?;
        let as_of = day_arg(as_of, "as_of")?;
        let bytes = self.evaluate_one(py, scenario, options.as_deref(), trace, as_of)?;
        to_python(py, &bytes)
    }

    /// Evaluates each scenario of an iterable as `evaluate` does; returns a
    /// list in the same order. A scenario that gives no verdict gives
    /// `{"index": i, "error": "…"}` in its place (like `eval --batch`), so
    /// one bad scenario does not stop the others.
    #[pyo3(signature = (scenarios, options = None, trace = false, as_of = None))]
    fn evaluate_many<'py>(
        &self,
        py: Python<'py>,
        scenarios: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyAny>>,
        trace: bool,
        as_of: Option<&Bound<'py, PyAny>>,
    ) -> PyResult<Bound<'py, PyList>> {
        let options = options_text(options)?;
        let as_of = day_arg(as_of, "as_of")?;
        let out = PyList::empty(py);
        for (i, s) in scenarios.try_iter()?.enumerate() {
            match self.evaluate_one(py, &s?, options.as_deref(), trace, as_of) {
                Ok(bytes) => out.append(to_python(py, &bytes)?)?,
                Err(e) if e.is_instance_of::<VerdictError>(py) => {
                    let d = PyDict::new(py);
                    d.set_item("index", i)?;
                    d.set_item("error", e.value(py).str()?)?;
                    out.append(d)?;
                }
                Err(e) => return Err(e),
            }
        }
        Ok(out)
    }

    /// Evaluates a `pyarrow.RecordBatch` or `Table` whose columns are facts
    /// (struct columns for fact groups, lists of structs for lists of
    /// records, or columns named `group.fact`), or whose column `json_column`
    /// holds each row's scenario as JSON. Returns a RecordBatch: the
    /// `keep` columns as given, `version`, one typed column per public
    /// conclusion (bool, int64, decimal128, date32, string, lists for
    /// per-item conclusions), `undetermined` and `error` (null for a row
    /// that gave a verdict). A null in a fact column is an absent fact.
    /// `format="json"` gives, instead of the typed columns, one string
    /// column `verdict`: each row's verdict object as the very line
    /// `eval --batch` writes for it (without the newline), then `error`.
    #[pyo3(signature = (batch, options = None, as_of = None, json_column = None, keep = None, money_scale = 2, decimal_scale = 10, threads = None, format = "arrow"))]
    #[allow(clippy::too_many_arguments, reason = "the keyword arguments of one Python method")]
    fn evaluate_arrow<'py>(
        &self,
        py: Python<'py>,
        batch: &Bound<'py, PyAny>,
        options: Option<&Bound<'py, PyAny>>,
        as_of: Option<&Bound<'py, PyAny>>,
        json_column: Option<String>,
        keep: Option<Vec<String>>,
        money_scale: i8,
        decimal_scale: i8,
        threads: Option<usize>,
        format: &str,
    ) -> PyResult<Bound<'py, PyAny>> {
        let json_lines = match format {
            "arrow" => false,
            "json" => true,
            other => {
                return Err(ScenarioError::new_err(format!(
                    "format: `{other}` is not a format of evaluate_arrow\n  hint: give format=\"arrow\" (typed columns, the default) or format=\"json\" (the lines of eval --batch)"
                )))
            }
        };
        let options = options_text(options)?;
        let as_of = day_arg(as_of, "as_of")?;
        let settings = arrow::Settings {
            options: options.as_deref(),
            as_of,
            json_column: json_column.as_deref(),
            keep: keep.unwrap_or_default(),
            money_scale,
            decimal_scale,
            threads,
            json_lines,
        };
        arrow::evaluate(py, self, batch, &settings)
    }

    fn __repr__(&self) -> String {
        format!("<verdict.Rulebook {} {}>", self.id(), self.version())
    }
}

impl Rulebook {
    /// This version and the others it lists.
    fn all(&self) -> impl Iterator<Item = &verdict::Rulebook> {
        std::iter::once(&self.rb).chain(self.rb.versions.iter())
    }

    fn fact_dict<'py>(&self, py: Python<'py>, f: &verdict::check::FactDef) -> PyResult<Bound<'py, PyDict>> {
        let prog = &self.rb.program;
        let d = PyDict::new(py);
        d.set_item("name", &f.name)?;
        set_type(&d, prog, &f.ty)?;
        d.set_item("doc", f.doc.as_deref())?;
        d.set_item("optional", f.optional)?;
        let default = match &f.default {
            Some(v) => pyvalue::from_json(py, &v.to_json(&prog.symbols))?,
            None => py.None().into_bound(py),
        };
        d.set_item("default", default)?;
        if let Some(l) = f.records {
            let fields = PyList::empty(py);
            for field in &prog.lists[l as usize].fields {
                fields.append(self.fact_dict(py, field)?)?;
            }
            d.set_item("fields", fields)?;
        }
        Ok(d)
    }

    /// Reads a Python scenario argument into a tree.
    fn read(&self, py: Python<'_>, scenario: &Bound<'_, PyAny>) -> PyResult<Read> {
        // the scenario's own map: its problems point into it
        let mut sources = SourceMap::new();
        let (id, path) = if scenario.hasattr("__fspath__")? {
            let path: String = py.import("os")?.call_method1("fspath", (scenario,))?.extract()?;
            match read_file(&mut sources, Path::new(&path)) {
                Ok(id) => (id, Some(path)),
                Err(ds) => return Err(raise(py, Kind::Scenario, &ds.0, &sources, None)),
            }
        } else if let Ok(text) = scenario.cast::<PyString>() {
            (sources.add("scenario", text.to_str()?.to_string()), None)
        } else if scenario.cast::<PyMapping>().is_ok() {
            let mut text = String::new();
            pyvalue::to_json(scenario, "scenario", &mut text)?;
            (sources.add("scenario", text), None)
        } else {
            let ty = scenario.get_type().name()?.to_string();
            return Err(ScenarioError::new_err(format!(
                "scenario: a `{ty}` is not a scenario\n  hint: give a dict of fact groups, JSON or TOML text, or a path to a scenario file"
            )));
        };
        Ok(Read { sources, id, path })
    }

    /// One scenario to the verdict object's bytes. The scenario is taken
    /// from Python with the GIL; it is read and evaluated without it, so
    /// other Python threads run meanwhile.
    fn evaluate_one(
        &self,
        py: Python<'_>,
        scenario: &Bound<'_, PyAny>,
        options: Option<&str>,
        trace: bool,
        as_of: Option<NaiveDate>,
    ) -> PyResult<Vec<u8>> {
        let mut read = self.read(py, scenario)?;
        py.detach(|| self.decide(&mut read, options, trace, as_of)).map_err(|f| match f {
            Failed::Input(ds, root) => raise(py, Kind::Scenario, &ds, &read.sources, root.as_ref()),
            Failed::Evaluation(d) => raise(py, Kind::Scenario, &[d], &self.sources, None),
        })
    }

    /// The verdict object of a scenario read into its map. JSON is read
    /// straight into the facts, as `verdict eval --batch` reads a line;
    /// TOML, and JSON with a problem, is parsed into a tree so that every
    /// problem is located.
    fn decide(
        &self,
        read: &mut Read,
        options: Option<&str>,
        trace: bool,
        as_of: Option<NaiveDate>,
    ) -> Result<Vec<u8>, Failed> {
        let given = as_of.map(|day| AsOf { day, given_by: "as_of" });
        let text = &read.sources.get(read.id).text;
        let direct = if is_json(&read.sources, read.id) { self.rb.scenario_json_line(text, given).ok() } else { None };
        let s = match direct {
            Some(s) => s,
            None => {
                let root = parse_data(&read.sources, read.id).map_err(|ds| Failed::Input(ds.0, None))?;
                match self.rb.scenario_as_of(&mut read.sources, ScenarioInput::Tree(&root), given) {
                    Ok(s) => s,
                    Err(ds) => return Err(Failed::Input(ds.0, Some(root))),
                }
            }
        };
        let values = match options {
            None => s.version.default_options(),
            Some(text) => {
                let id = read.sources.add("options", text.to_string());
                let node = parse_json(id, text).map_err(|d| Failed::Input(vec![d], None))?;
                match option_values(s.version, &node) {
                    Ok(values) => values,
                    Err(d) => return Err(Failed::Input(vec![d], Some(node))),
                }
            }
        };
        let v = s.evaluate(&values, trace).map_err(|e| Failed::Evaluation(*e))?;
        let mut out = Vec::with_capacity(1024);
        write_verdicts(&mut out, &s.version.program, &v, read.path.as_deref(), s.in_force.as_ref());
        Ok(out)
    }
}

/// `type` of a fact, conclusion or option: the rule language's name for it
/// (`date`, `money`, `list of date`, …), `enum` with its `values` for an enumeration.
fn set_type(d: &Bound<'_, PyDict>, prog: &verdict::Program, ty: &verdict::value::Type) -> PyResult<()> {
    match ty {
        verdict::value::Type::Enum(e) => {
            d.set_item("type", "enum")?;
            d.set_item("values", prog.symbols.value_names(*e))
        }
        other => d.set_item("type", prog.symbols.type_name(other)),
    }
}

/// A request's options object as option values of `version` (its defaults
/// for the rest); an unknown option or a bad value is located at its key or value.
pub fn option_values(version: &verdict::Rulebook, node: &Node) -> Result<OptionValues, Diagnostic> {
    let prog = &version.program;
    let mut values = version.default_options();
    let NodeKind::Table(t) = &node.kind else {
        return Err(Diagnostic::new("options::not-a-table", "options must be a dict of option names", node.span)
            .help("give e.g. options={\"good_friday_is_holiday\": False}"));
    };
    for (key, value) in &t.entries {
        let Some(opt) = prog.option_id(&key.name) else {
            return Err(Diagnostic::new(
                "options::unknown",
                format!("`{}` (version {}) has no option `{}`", prog.meta.id, prog.meta.version, key.name),
                key.span,
            )
            .label("unknown option")
            .help(prog.suggest_option(&key.name)));
        };
        values.set_node(prog, opt, value).map_err(|msg| {
            Diagnostic::new("options::value", msg, value.span).label("invalid value").help(format!(
                "`{}` takes {}",
                key.name,
                prog.symbols.type_name(&prog.options[opt as usize].ty)
            ))
        })?;
    }
    Ok(values)
}

/// The `options` argument as JSON text (None when not given).
fn options_text(options: Option<&Bound<'_, PyAny>>) -> PyResult<Option<String>> {
    let Some(o) = options.filter(|o| !o.is_none()) else { return Ok(None) };
    if o.cast::<PyMapping>().is_err() {
        return Err(ScenarioError::new_err(
            "options: not a dict\n  hint: give e.g. options={\"good_friday_is_holiday\": False}",
        ));
    }
    let mut text = String::new();
    pyvalue::to_json(o, "options", &mut text)?;
    Ok(Some(text))
}

/// A day argument: a `datetime.date` or a string YYYY-MM-DD.
fn day_arg(day: Option<&Bound<'_, PyAny>>, name: &str) -> PyResult<Option<NaiveDate>> {
    let Some(d) = day.filter(|d| !d.is_none()) else { return Ok(None) };
    let hint = format!("give {name}=datetime.date(2026, 3, 20) or {name}=\"2026-03-20\"");
    let text: String = if d.is_instance_of::<PyDateTime>() {
        return Err(ScenarioError::new_err(format!("{name}: {} is a date and time\n  hint: {hint}", d.repr()?)));
    } else if d.is_instance_of::<PyDate>() {
        d.call_method0("isoformat")?.extract()?
    } else if let Ok(s) = d.extract::<String>() {
        s
    } else {
        return Err(ScenarioError::new_err(format!("{name}: {} is not a day\n  hint: {hint}", d.repr()?)));
    };
    NaiveDate::parse_from_str(&text, "%Y-%m-%d")
        .map(Some)
        .map_err(|e| ScenarioError::new_err(format!("{name}: `{text}` is not a day ({e})\n  hint: {hint}")))
}

/// The contract's JSON bytes as Python objects.
fn to_python<'py>(py: Python<'py>, bytes: &[u8]) -> PyResult<Bound<'py, PyAny>> {
    let v: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| pyo3::exceptions::PyRuntimeError::new_err(format!("internal: the verdict is not JSON: {e}")))?;
    pyvalue::from_json(py, &v)
}

/// How verdicts change from `old` to `new` on each scenario of `batch` (an
/// iterable of scenarios as `evaluate` takes them, or a pyarrow
/// RecordBatch/Table as `evaluate_arrow` takes it): a list of the changed
/// verdicts, each a dict with row, conclusion, item, old, new ({value,
/// state, rule, cite}), responsible_rule and cause; a row valid for one
/// version only gives {row, invalid_for, error}.
#[pyfunction]
#[pyo3(signature = (old, new, batch, json_column = None))]
fn diff<'py>(
    py: Python<'py>,
    old: &Rulebook,
    new: &Rulebook,
    batch: &Bound<'py, PyAny>,
    json_column: Option<String>,
) -> PyResult<Bound<'py, PyList>> {
    let scenarios: Vec<(SourceMap, Node)> = if batch.hasattr("__arrow_c_stream__")? {
        arrow::scenario_trees(batch, json_column.as_deref())?
    } else {
        let mut out = Vec::new();
        for s in batch.try_iter()? {
            let r = old.read(py, &s?)?;
            let root = parse_data(&r.sources, r.id).map_err(|ds| raise(py, Kind::Scenario, &ds.0, &r.sources, None))?;
            out.push((r.sources, root));
        }
        out
    };
    let list = PyList::empty(py);
    for (row, (sources, node)) in scenarios.into_iter().enumerate() {
        let scenario = verdict::diff::Scenario { name: format!("row {row}"), node, set: Vec::new() };
        let d = verdict::diff::compare(&old.rb, &new.rb, scenario);
        let sides = [("old", &d.old), ("new", &d.new)];
        let invalid = sides.iter().find_map(|(n, s)| match s {
            verdict::diff::Side::Invalid(ds) => Some((n, ds)),
            _ => None,
        });
        if let Some((side, ds)) = invalid {
            if sides.iter().all(|(_, s)| matches!(s, verdict::diff::Side::Invalid(_))) {
                return Err(raise(py, Kind::Scenario, ds, &sources, Some(&d.scenario.node)));
            }
            let e = PyDict::new(py);
            e.set_item("row", row)?;
            e.set_item("invalid_for", *side)?;
            e.set_item("error", errors::one_line(ds, &sources, Some(&d.scenario.node)))?;
            list.append(e)?;
            continue;
        }
        for c in &d.changes {
            let e = PyDict::new(py);
            e.set_item("row", row)?;
            e.set_item("conclusion", &c.conclusion)?;
            e.set_item("item", c.item)?;
            for (key, s) in [("old", &c.old), ("new", &c.new)] {
                let side = PyDict::new(py);
                side.set_item("value", pyvalue::from_json(py, &s.value)?)?;
                side.set_item("state", s.state)?;
                side.set_item("rule", s.rule.as_ref().map(|r| r.0.clone()))?;
                side.set_item("cite", s.rule.as_ref().map(|r| r.1.clone()))?;
                e.set_item(key, side)?;
            }
            e.set_item("responsible_rule", &c.responsible)?;
            let cause = match &c.cause {
                Some((name, item)) => {
                    let d = PyDict::new(py);
                    d.set_item("conclusion", name)?;
                    d.set_item("item", item)?;
                    d.into_any()
                }
                None => py.None().into_bound(py),
            };
            e.set_item("cause", cause)?;
            list.append(e)?;
        }
    }
    Ok(list)
}

/// The native module, re-exported by the `verdict` package.
#[pymodule]
fn _verdict(m: &Bound<'_, PyModule>) -> PyResult<()> {
    let py = m.py();
    m.add_class::<Rulebook>()?;
    m.add_function(wrap_pyfunction!(diff, m)?)?;
    m.add("VerdictError", py.get_type::<VerdictError>())?;
    m.add("RulebookError", py.get_type::<RulebookError>())?;
    m.add("ScenarioError", py.get_type::<ScenarioError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
