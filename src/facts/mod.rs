//! Facts: a scenario (TOML or JSON tree) validated against a rulebook's fact
//! schema. Unknown facts, wrong types, values outside an enumeration and
//! missing required facts are located errors. A JSON line can also be read
//! straight into the slots (`direct`), falling back to the tree for errors.

mod direct;
pub(crate) use direct::{find_date, read_json_line};

use crate::check::ir::{FactId, ListId};
use crate::check::{FactDef, Program};
use crate::diagnostic::{did_you_mean, suggest, Diagnostic, Diagnostics};
use crate::input::{Node, Table};
use crate::source::Span;
use crate::value::{too_long, value_from_node, Value, MAX_LIST};

/// One element of a list of records: a value per field.
pub type Record = Vec<Option<Value>>;

/// The facts of one scenario, by slot.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facts {
    /// By fact id; `None` when an optional fact is absent (and for lists of records).
    pub values: Vec<Option<Value>>,
    /// Whether the value came from the rulebook's `default`.
    pub defaulted: Vec<bool>,
    /// By list id.
    pub lists: Vec<Vec<Record>>,
    /// Where each fact was written (for located errors of `[[checks]]`).
    pub spans: Vec<Option<Span>>,
    /// By list id, per element: the element's span and each field's.
    pub record_spans: Vec<Vec<(Span, Vec<Option<Span>>)>>,
}

impl Facts {
    /// No fact given yet, for `prog`'s slots.
    fn empty(prog: &Program) -> Facts {
        Facts {
            values: vec![None; prog.facts.len()],
            defaulted: vec![false; prog.facts.len()],
            lists: vec![Vec::new(); prog.lists.len()],
            spans: vec![None; prog.facts.len()],
            record_spans: vec![Vec::new(); prog.lists.len()],
        }
    }

    /// No fact given yet, for `prog`'s slots, in the buffers of `self` (a
    /// previous scenario's facts, of any program): a reader that reads many
    /// scenarios allocates for the slots once.
    fn reset(mut self, prog: &Program) -> Facts {
        let (facts, lists) = (prog.facts.len(), prog.lists.len());
        self.values.clear();
        self.values.resize(facts, None);
        self.defaulted.clear();
        self.defaulted.resize(facts, false);
        self.spans.clear();
        self.spans.resize(facts, None);
        self.lists.iter_mut().for_each(Vec::clear);
        self.lists.resize_with(lists, Vec::new);
        self.record_spans.iter_mut().for_each(Vec::clear);
        self.record_spans.resize_with(lists, Vec::new);
        self
    }

    /// Validates a scenario tree against the program's fact schema (the
    /// rulebook's `[[checks]]` are run by the loading step, `Rulebook::facts`).
    pub(crate) fn from_node(prog: &Program, root: &Node) -> Result<Facts, Diagnostics> {
        let mut loader = Loader {
            prog,
            facts: Facts::empty(prog),
            groups: Vec::new(),
            misspelt: Vec::new(),
            errors: Diagnostics::default(),
        };
        match root.as_table() {
            Ok(t) => loader.table(t, &mut String::new()),
            Err(e) => {
                // nothing else can be said about a scenario that is not a table
                return Err(e
                    .help("a scenario is a table of facts (a JSON object), e.g. contract.kind = \"goods\"")
                    .into());
            }
        }
        loader.finish(root.span)
    }
}

struct Loader<'p> {
    prog: &'p Program,
    /// A fact is given when its span is set.
    facts: Facts,
    /// Group tables seen, to point at when a fact in them is missing.
    groups: Vec<(&'p str, Span)>,
    /// Facts an unknown key probably meant (reported there, not again as missing).
    misspelt: Vec<String>,
    errors: Diagnostics,
}

impl<'p> Loader<'p> {
    /// The entries of a table whose dotted name is `path` (empty at the top);
    /// `path` is extended with each key in turn and given back as it came.
    fn table(&mut self, t: &Table, path: &mut String) {
        let prefix_len = path.len();
        for (key, node) in &t.entries {
            path.truncate(prefix_len);
            if prefix_len > 0 {
                path.push('.');
            }
            path.push_str(&key.name);
            let full = path.as_str();
            let prog: &'p Program = self.prog;
            if let Some(&id) = prog.names.facts.get(full) {
                self.fact(id, node);
            } else if let Some(group) = prog.names.groups.get(full) {
                match node.as_table() {
                    Ok(inner) => {
                        self.groups.push((group, key.span));
                        self.table(inner, path);
                    }
                    Err(e) => self.errors.push(
                        e.help(format!("`{full}` groups facts: give it as a table (a JSON object) of its facts")),
                    ),
                }
            } else {
                let full = full.to_string();
                let prefix = &path[..prefix_len];
                let level: Vec<&str> = self.level_names(prefix);
                if let Some(meant) = did_you_mean(&key.name, level.iter().copied()) {
                    let meant = if prefix.is_empty() { meant.to_string() } else { format!("{prefix}.{meant}") };
                    self.misspelt.push(meant);
                }
                self.errors.push(
                    Diagnostic::new("facts::unknown", format!("unknown fact `{full}`"), key.span)
                        .label("this rulebook has no such fact")
                        .help(suggest(&key.name, &level, "fact")),
                );
            }
        }
        path.truncate(prefix_len);
    }

    /// Names that may appear directly under `prefix`.
    fn level_names(&self, prefix: &str) -> Vec<&'p str> {
        let prog: &'p Program = self.prog;
        let mut out: Vec<&'p str> = Vec::new();
        for f in &prog.facts {
            let rest =
                if prefix.is_empty() { Some(f.name.as_str()) } else { f.name.strip_prefix(&format!("{prefix}.")) };
            if let Some(part) = rest.and_then(|r| r.split('.').next()) {
                if !out.contains(&part) {
                    out.push(part);
                }
            }
        }
        out
    }

    fn fact(&mut self, id: FactId, node: &Node) {
        let def = &self.prog.facts[id as usize];
        self.facts.spans[id as usize] = Some(node.span);
        if let Some(list) = def.records {
            self.records(list, def, node);
            return;
        }
        match value_from_node(node, &def.ty, &self.prog.symbols) {
            Ok(v) => self.facts.values[id as usize] = Some(v),
            Err(e) => self.errors.push(e),
        }
    }

    fn records(&mut self, list: ListId, def: &FactDef, node: &Node) {
        let items = match node.as_array() {
            Ok(items) => items,
            Err(e) => return self.errors.push(e.help(format!("write each element as a [[{}]] table", def.name))),
        };
        if items.len() > MAX_LIST {
            return self.errors.push(too_long(node.span));
        }
        let fields = &self.prog.lists[list as usize].fields;
        for item in items {
            let table = match item.as_table() {
                Ok(t) => t,
                Err(e) => {
                    self.errors.push(e.help(format!("each element of `{}` is a table of its fields", def.name)));
                    continue;
                }
            };
            let mut record: Record = vec![None; fields.len()];
            let mut written = vec![false; fields.len()];
            for (key, value) in &table.entries {
                match fields.iter().position(|f| f.name == key.name) {
                    Some(i) => {
                        written[i] = true;
                        match value_from_node(value, &fields[i].ty, &self.prog.symbols) {
                            Ok(v) => record[i] = Some(v),
                            Err(e) => self.errors.push(e),
                        }
                    }
                    None => {
                        let names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
                        self.errors.push(
                            Diagnostic::new(
                                "facts::unknown",
                                format!("unknown field `{}` in `{}`", key.name, def.name),
                                key.span,
                            )
                            .label("no such field")
                            .help(suggest(&key.name, &names, "field")),
                        );
                    }
                }
            }
            for (i, f) in fields.iter().enumerate() {
                if record[i].is_none() && !written[i] {
                    match &f.default {
                        Some(d) => record[i] = Some(d.clone()),
                        None if f.optional => {}
                        None => self.errors.push(
                            Diagnostic::new("facts::missing", format!("`{}` needs `{}`", def.name, f.name), item.span)
                                .label(format!("`{}` is missing in this element", f.name))
                                .help(format!(
                                    "add `{} = …`{}",
                                    f.name,
                                    f.doc.as_deref().map(|d| format!(" ({d})")).unwrap_or_default()
                                )),
                        ),
                    }
                }
            }
            let field_spans = fields.iter().map(|f| table.get(&f.name).map(|n| n.span)).collect();
            self.facts.record_spans[list as usize].push((item.span, field_spans));
            self.facts.lists[list as usize].push(record);
        }
    }

    fn finish(mut self, root: Span) -> Result<Facts, Diagnostics> {
        for (i, def) in self.prog.facts.iter().enumerate() {
            if self.facts.spans[i].is_some() || def.records.is_some() {
                continue;
            }
            if let Some(d) = &def.default {
                self.facts.values[i] = Some(d.clone());
                self.facts.defaulted[i] = true;
            } else if !def.optional && !self.misspelt.contains(&def.name) {
                let group = def.name.rsplit_once('.').map(|(g, _)| g);
                let at = group
                    .and_then(|g| self.groups.iter().find(|(n, _)| *n == g))
                    // no such group: the start of the scenario (of a test's inline `facts`)
                    .map_or(Span::new(root.src, root.start as usize, root.start as usize), |(_, s)| *s);
                let (table, key) = def.name.rsplit_once('.').unwrap_or(("", &def.name));
                let place = if table.is_empty() { String::new() } else { format!(" to `{table}`") };
                self.errors.push(
                    Diagnostic::new(
                        "facts::missing",
                        format!("the scenario does not give `{}`, which this rulebook requires", def.name),
                        at,
                    )
                    .label("required fact missing")
                    .help(format!(
                        "add `{key} = …`{place}{}",
                        def.doc.as_deref().map(|d| format!(": {d}")).unwrap_or_default()
                    )),
                );
            }
        }
        self.errors.finish(self.facts)
    }
}
