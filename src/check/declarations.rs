//! Declarations: options, facts (with their lists of records) and
//! conclusions, each name declared once and each type resolved; then the
//! fact that picks the version in force and the calendar's options are
//! checked against them.

use super::ir::{ConcId, FactId, ListId, OptId};
use super::{name_hint, CalendarUse, ConclusionDef, FactDef, ListDef, Named, OptionDef, TableDef, AS_OF_FACT};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rulebook::{Declarations, TypeDecl};
use crate::source::Span;
use crate::syntax::ast::TypeExpr;
use crate::value::{value_from_node, Symbols, Type, Value, WEEKDAY};
use std::collections::HashMap;

/// What the declarations of a rulebook define, before any rule is checked.
pub(super) struct Declared {
    pub symbols: Symbols,
    /// Every declared name, what it is and where it is declared.
    pub names: HashMap<String, (Named, Span)>,
    pub options: Vec<OptionDef>,
    pub facts: Vec<FactDef>,
    pub lists: Vec<ListDef>,
    pub conclusions: Vec<ConclusionDef>,
    pub tables: Vec<TableDef>,
}

/// Reads the declarations, reporting every problem in `errors`.
pub(super) fn declare_all(decls: &Declarations, calendar: Option<&CalendarUse>, errors: &mut Diagnostics) -> Declared {
    let mut d = Declared {
        symbols: Symbols::default(),
        names: HashMap::new(),
        options: Vec::new(),
        facts: Vec::new(),
        lists: Vec::new(),
        conclusions: Vec::new(),
        tables: Vec::new(),
    };
    d.options(decls, errors);
    d.facts(decls, errors);
    d.conclusions(decls, errors);
    d.tables(decls, errors);
    d.date_fact(decls, errors);
    d.as_of_fact(errors);
    d.calendar_options(decls, calendar, errors);
    d
}

impl Declared {
    fn declare(&mut self, name: &str, named: Named, span: Span, errors: &mut Diagnostics) {
        if let Some((_, first)) = self.names.get(name) {
            errors.push(
                Diagnostic::new("check::duplicate-name", format!("`{name}` is declared twice"), span)
                    .label("second declaration")
                    .also(*first, "first declared here")
                    .help("facts, conclusions and options share one set of names; rename one"),
            );
        } else {
            self.names.insert(name.to_string(), (named, span));
        }
    }

    fn options(&mut self, decls: &Declarations, errors: &mut Diagnostics) {
        for o in &decls.options {
            let ty = resolve_type(&o.ty, &mut self.symbols, errors);
            // a bad default is reported; the option stays declared so its uses check
            let default = value_from_node(&o.default, &ty, &self.symbols).unwrap_or_else(|e| {
                if ty != Type::Error {
                    errors.push(e);
                }
                Value::Bool(false)
            });
            self.declare(&o.name, Named::Option(self.options.len() as OptId), o.span, errors);
            self.options.push(OptionDef { name: o.name.clone(), span: o.span, ty, default, doc: o.doc.clone() });
        }
    }

    /// Facts, and the lists of records with their fields.
    fn facts(&mut self, decls: &Declarations, errors: &mut Diagnostics) {
        for f in &decls.facts {
            let id = self.facts.len() as FactId;
            let (ty, records) = match &f.ty.ty {
                TypeExpr::Records(element) => {
                    let list_id = self.lists.len() as ListId;
                    let mut fields = Vec::new();
                    for field in &f.fields {
                        if let Some(def) = fact_def(field, &mut self.symbols, errors) {
                            let full = format!("{}.{}", f.name, field.name);
                            self.declare(&full, Named::ListField(list_id, fields.len() as u32), field.span, errors);
                            fields.push(def);
                        }
                    }
                    if element.contains('.') || self.names.contains_key(element) {
                        errors.push(
                            Diagnostic::new(
                                "check::element-name",
                                format!("`{element}` cannot name one element"),
                                f.ty.span,
                            )
                            .label("clashes with another name")
                            .help("pick a single word not used for anything else, e.g. `list of item`"),
                        );
                    }
                    self.lists.push(ListDef { fact: id, element: element.clone(), fields });
                    (Type::Records(list_id), Some(list_id))
                }
                _ => (resolve_type(&f.ty, &mut self.symbols, errors), None),
            };
            let default = f.default.as_ref().and_then(|n| match value_from_node(n, &ty, &self.symbols) {
                Ok(v) => Some(v),
                Err(e) => {
                    if ty != Type::Error {
                        errors.push(e);
                    }
                    None
                }
            });
            self.declare(&f.name, Named::Fact(id), f.span, errors);
            self.facts.push(FactDef {
                name: f.name.clone(),
                span: f.span,
                ty,
                optional: f.optional,
                default,
                doc: f.doc.clone(),
                records,
            });
        }
    }

    /// Dated tables: a scalar type, every row's value of that type, and a
    /// name of its own (a table named like a fact would make `at NAME` ambiguous).
    fn tables(&mut self, decls: &Declarations, errors: &mut Diagnostics) {
        for t in &decls.tables {
            let mut ty = resolve_type(&t.ty, &mut self.symbols, errors);
            if matches!(ty, Type::List(_) | Type::Records(_) | Type::Timeline | Type::Interval | Type::Duration) {
                errors.push(
                    Diagnostic::new(
                        "check::table-type",
                        format!("a table holds single values, not {}", self.symbols.type_name(&ty)),
                        t.ty.span,
                    )
                    .label("not a table type")
                    .help("use decimal (rates), money (amounts), integer, date, bool, text or `one of …`"),
                );
                ty = Type::Error;
            }
            let mut rows = Vec::new();
            let notes = t.rows.iter().filter_map(|r| r.note.clone().map(|n| (r.from, n))).collect();
            for r in &t.rows {
                match value_from_node(&r.value, &ty, &self.symbols) {
                    Ok(v) => rows.push((r.from, v)),
                    Err(e) => {
                        if ty != Type::Error {
                            errors.push(e.also(r.from_span, format!("the row from {}", r.from)));
                        }
                    }
                }
            }
            if let Some(other) = self.tables.iter().find(|o| o.name == t.name) {
                errors.push(
                    Diagnostic::new("check::duplicate-name", format!("table `{}` is declared twice", t.name), t.span)
                        .label("second declaration")
                        .also(other.span, "first declared here")
                        .help("rename one of the tables"),
                );
            } else if let Some((_, first)) = self.names.get(&t.name) {
                errors.push(
                    Diagnostic::new(
                        "check::duplicate-name",
                        format!("table `{}` has the name of a fact, option or conclusion", t.name),
                        t.span,
                    )
                    .label("table")
                    .also(*first, "declared here too")
                    .help("give the table a name of its own, e.g. ending in `_rate` or `_table`"),
                );
            }
            self.tables.push(TableDef {
                name: t.name.clone(),
                span: t.span,
                ty,
                doc: t.doc.clone(),
                cite: t.cite.as_ref().map(|c| c.text.clone()),
                rows,
                notes,
            });
        }
    }

    /// Conclusions; one named after a list of records (`items.x`) is per item.
    fn conclusions(&mut self, decls: &Declarations, errors: &mut Diagnostics) {
        for c in &decls.conclusions {
            let ty = resolve_type(&c.ty, &mut self.symbols, errors);
            let first = c.name.split('.').next().unwrap_or("");
            let per_item = self.names.get(first).and_then(|(n, _)| match n {
                Named::Fact(f) => self.facts[*f as usize].records,
                _ => None,
            });
            self.declare(&c.name, Named::Conclusion(self.conclusions.len() as ConcId), c.span, errors);
            self.conclusions.push(ConclusionDef {
                name: c.name.clone(),
                span: c.span,
                ty,
                per_item,
                internal: c.internal,
                doc: c.doc.clone(),
                rules: Vec::new(),
            });
        }
    }

    /// The fact that picks the version in force must be a date.
    fn date_fact(&self, decls: &Declarations, errors: &mut Diagnostics) {
        if let Some((name, span)) = &decls.meta.date_fact {
            let ok =
                matches!(self.names.get(name), Some((Named::Fact(f), _)) if self.facts[*f as usize].ty == Type::Date);
            if !ok {
                let dates: Vec<&str> =
                    self.facts.iter().filter(|f| f.ty == Type::Date).map(|f| f.name.as_str()).collect();
                errors.push(
                    Diagnostic::new("check::date-fact", format!("`{name}` is not a date fact of this rulebook"), *span)
                        .label("cannot pick a version by this")
                        .help(name_hint(name, &dates)),
                );
            }
        }
    }

    /// The evaluation day, if a rulebook reads one, is a date given once per
    /// scenario: `--as-of` fills it.
    fn as_of_fact(&self, errors: &mut Diagnostics) {
        if let Some(f) = self.facts.iter().find(|f| f.name == AS_OF_FACT) {
            if f.ty != Type::Date {
                errors.push(
                    Diagnostic::new(
                        "check::as-of-fact",
                        format!("`{AS_OF_FACT}` is the day a scenario is evaluated as of, so it must be a date"),
                        f.span,
                    )
                    .label(format!("declared as {}", self.symbols.type_name(&f.ty)))
                    .help(
                        "write type = \"date\" (with optional = true, so --as-of can be left out), or give this fact another name",
                    ),
                );
            }
        }
    }

    /// The calendar's options must be declared bool options.
    fn calendar_options(&self, decls: &Declarations, calendar: Option<&CalendarUse>, errors: &mut Diagnostics) {
        if let Some(cal) = calendar {
            for (opt, span) in cal.calendar.options() {
                match self.options.iter().find(|o| &o.name == opt) {
                    Some(o) if o.ty == Type::Bool => {}
                    Some(o) => errors.push(
                        Diagnostic::new(
                            "check::calendar-option",
                            format!("option `{opt}` switches holidays on, so it must be a bool"),
                            o.span,
                        )
                        .label("not a bool")
                        .also(*span, "used by the calendar here")
                        .help("declare it with type = \"bool\""),
                    ),
                    None => errors.push(
                        Diagnostic::new(
                            "check::calendar-option",
                            format!("the calendar uses option `{opt}`, which this rulebook does not declare"),
                            decls.calendar.as_ref().map_or(*span, |c| c.1),
                        )
                        .label("calendar selected here")
                        .also(*span, "option used here")
                        .help(format!("add [options.{opt}] with type = \"bool\", a default and a doc")),
                    ),
                }
            }
        }
    }
}

fn fact_def(f: &crate::rulebook::FactDecl, symbols: &mut Symbols, errors: &mut Diagnostics) -> Option<FactDef> {
    let ty = resolve_type(&f.ty, symbols, errors);
    let default = match f.default.as_ref().map(|n| value_from_node(n, &ty, symbols)).transpose() {
        Ok(d) => d,
        Err(_) if ty == Type::Error => None,
        Err(e) => {
            errors.push(e);
            None
        }
    };
    Some(FactDef {
        name: f.name.clone(),
        span: f.span,
        ty,
        optional: f.optional,
        default,
        doc: f.doc.clone(),
        records: None,
    })
}

fn resolve_type(t: &TypeDecl, symbols: &mut Symbols, errors: &mut Diagnostics) -> Type {
    fn go(t: &TypeExpr, span: Span, symbols: &mut Symbols, errors: &mut Diagnostics) -> Type {
        match t {
            TypeExpr::Bool => Type::Bool,
            TypeExpr::Integer => Type::Int,
            TypeExpr::Decimal => Type::Decimal,
            TypeExpr::Money => Type::Money,
            TypeExpr::Date => Type::Date,
            TypeExpr::Duration => Type::Duration,
            TypeExpr::Text => Type::Text,
            TypeExpr::Weekday => Type::Enum(WEEKDAY),
            TypeExpr::Interval => Type::Interval,
            TypeExpr::Timeline => Type::Timeline,
            TypeExpr::Enum(values) => Type::Enum(symbols.add_enum(values)),
            TypeExpr::List(inner) => Type::List(Box::new(go(inner, span, symbols, errors))),
            TypeExpr::Unknown => Type::Error,
            TypeExpr::Records(_) => {
                errors.push(
                    Diagnostic::new("check::records", "a list of records can only be a fact", span)
                        .label("not allowed here")
                        .help("declare the list under [facts] with its fields; per-item conclusions are named `list.name`"),
                );
                Type::Error
            }
        }
    }
    go(&t.ty, t.span, symbols, errors)
}

#[cfg(test)]
mod tests {
    use crate::test_support::fails_with;

    #[test]
    fn a_name_declared_twice_is_refused() {
        let body = r#"
[facts.order.total]
type = "money"
doc = "Total."

[conclusions.order.total]
type = "money"
doc = "Total again."

[[rules]]
id = "total"
concludes = "order.total"
value = 'order.total'
cite = "LAW art. 1"
"#;
        fails_with(body, "check::duplicate-name", "`order.total` is declared twice");
    }

    #[test]
    fn a_date_fact_must_be_a_date() {
        let body = r#"
[facts.order.count]
type = "integer"
doc = "How many."

[conclusions.order.many]
type = "bool"
doc = "More than one."

[[rules]]
id = "many"
concludes = "order.many"
value = 'order.count > 1'
cite = "LAW art. 1"
"#;
        // date_fact lives in [rulebook], so it goes into the header
        let text = crate::test_support::rulebook(body)
            .replace("version = \"1\"", "version = \"1\"\ndate_fact = \"order.count\"");
        let mut sources = crate::SourceMap::new();
        let err = crate::Rulebook::from_str(&mut sources, "t.toml", &text).unwrap_err();
        assert!(err.0.iter().any(|d| d.code == "check::date-fact"), "{err:?}");
    }

    #[test]
    fn the_evaluation_day_must_be_a_date() {
        let body = r#"
[facts.as_of]
type = "integer"
doc = "Wrongly a number."

[conclusions.late]
type = "bool"
doc = "Late."

[[rules]]
id = "late"
concludes = "late"
value = 'as_of > 3'
cite = "LAW art. 1"
"#;
        fails_with(body, "check::as-of-fact", "`as_of` is the day a scenario is evaluated as of, so it must be a date");
    }
}
