//! An index of a rulebook's names for editors: every declaration (fact,
//! field, conclusion, option, table, rule, source, test) and every place a
//! name is used (in rule-language strings, `overrides`, `cite`, `concludes`,
//! the keys of `[[tests]]`), each with its span in the rulebook file.
//!
//! It is built from the same spanned tree and declarations `check` reads,
//! and it is built even when the rulebook has errors (what could be read is
//! indexed), so an editor can hover, jump and complete while the author is
//! still typing. Nothing here decides a verdict.
//!
//! ```
//! use verdict::index::{DefKind, Occurs, RulebookIndex};
//! use verdict::source::SourceId;
//! let text = "[rulebook]\nid = \"x\"\ntitle = \"x\"\nversion = \"1\"\n\n[facts.contract.kind]\ntype = \"one of goods, services\"\n\n[conclusions.allowed]\ntype = \"bool\"\n\n[[rules]]\nid = \"goods\"\nconcludes = \"allowed\"\nvalue = 'contract.kind is goods'\ncite = \"CRD\"\n";
//! let index = RulebookIndex::of_rulebook(SourceId(0), text).expect("the TOML parses");
//! let at = text.find("contract.kind is").unwrap();
//! let used = index.at(at).expect("a name is used there");
//! assert_eq!(used.text, "contract.kind");
//! let Occurs::Name(Some(target)) = &used.occurs else { panic!("resolved") };
//! let def = index.definition(target).expect("declared");
//! assert_eq!((def.kind, def.values.as_slice()), (DefKind::Fact, &["goods".to_string(), "services".to_string()][..]));
//! ```

mod keys;
#[cfg(test)]
mod tests;
mod walk;

use crate::input::{parse_toml, Node, NodeKind};
use crate::rulebook::{self, FactDecl, TypeDecl};
use crate::source::{SourceId, Span};
use crate::syntax::ast::TypeExpr;
use chrono::NaiveDate;

pub use keys::scenario_keys;

/// What a declaration declares.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum DefKind {
    /// `[facts.NAME]`.
    Fact,
    /// A field of a list of records, named `LIST.FIELD` (`items.received_on`).
    Field,
    /// `[conclusions.NAME]`.
    Conclusion,
    /// `[options.NAME]`.
    Option,
    /// `[tables.NAME]`.
    Table,
    /// A `[[rules]]` entry, by its `id`.
    Rule,
    /// A key of `[sources]`.
    Source,
    /// A `[[tests]]` entry, by its `name`.
    Test,
    /// A `[[checks]]` entry, by its `id`.
    Check,
}

/// A declaration a name can point to: its kind and full name.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Target {
    /// What is declared.
    pub kind: DefKind,
    /// Its full name (`contract.kind`, `items.received_on`, a rule id).
    pub name: String,
}

/// One declaration, with what an editor shows about it.
#[derive(Clone, Debug)]
pub struct Definition {
    /// What is declared.
    pub kind: DefKind,
    /// Its full name.
    pub name: String,
    /// Where the name is written (the last key of `[facts.a.b]`, the text of a rule's `id`).
    pub span: Span,
    /// The type as written (`one of goods, services`), for facts, fields, conclusions, options and tables.
    pub ty: Option<String>,
    /// The allowed values of an enumeration type.
    pub values: Vec<String>,
    /// `doc`.
    pub doc: Option<String>,
    /// `optional = true` (facts and fields).
    pub optional: bool,
    /// A rule's `because`.
    pub because: Option<String>,
    /// A rule's or table's `cite`.
    pub cite: Option<String>,
    /// A rule's `concludes`.
    pub concludes: Option<String>,
    /// A source's title (or a test's scenario file).
    pub title: Option<String>,
    /// A source's URL.
    pub url: Option<String>,
}

/// The kind of file a path in a rulebook names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FileKind {
    /// `calendar`.
    Calendar,
    /// An entry of `other_versions`.
    Version,
    /// A test's `scenario`.
    Scenario,
}

/// What is at one place.
#[derive(Clone, Debug, PartialEq)]
pub enum Occurs {
    /// A dotted name in a rule string, resolved to its declaration (`None`: declared nowhere).
    Name(Option<Target>),
    /// A bare enumeration value; `owner` is the fact, conclusion or option whose type has it, when known.
    EnumValue {
        /// The declaration whose enumeration type has the value.
        owner: Option<Target>,
    },
    /// A built-in function's name in a call.
    Function,
    /// A date literal.
    Date(NaiveDate),
    /// A number, amount or duration literal.
    Number,
    /// A `"text"` literal.
    Text,
    /// A word of the rule language (`is`, `and`, `period`, …).
    Keyword,
    /// The first word of a `cite` part, a key of `[sources]`.
    CiteKey,
    /// A rule id in `overrides`.
    Override,
    /// The conclusion a rule `concludes`.
    Concludes,
    /// A TOML key (in `[[tests]]` or a scenario) naming a fact, field, conclusion or option.
    Key(Target),
    /// A path to another file, relative to the rulebook.
    File(FileKind),
}

/// One use of a name (or a literal) with where it is written.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// Where (inside a string, the quotes left out).
    pub span: Span,
    /// The text as written.
    pub text: String,
    /// What it is.
    pub occurs: Occurs,
}

/// A `[[tests]]` entry: its name and where the entry and its name are.
#[derive(Clone, Debug)]
pub struct TestEntry {
    /// `name`.
    pub name: String,
    /// Where `name`'s text is written.
    pub name_span: Span,
    /// Where the `[[tests]]` header is (the entry's first line), when it is written as a header.
    pub header: Option<Span>,
}

/// Every declaration and use of a name in one rulebook file.
#[derive(Clone, Debug, Default)]
pub struct RulebookIndex {
    /// Declarations, in file order by kind.
    pub definitions: Vec<Definition>,
    /// Uses of names and literals, sorted by position.
    pub occurrences: Vec<Occurrence>,
    /// The rule-language strings (`when`, `value`, `require`, `cite`), content only.
    pub rule_texts: Vec<Span>,
    /// The `[[tests]]` entries, in file order.
    pub tests: Vec<TestEntry>,
    /// List facts and what one element is called in rules: (`items`, `item`).
    pub elements: Vec<(String, String)>,
}

impl RulebookIndex {
    /// Indexes the rulebook `text` (file `src`); `None` when it is not TOML
    /// (the TOML error is what `check` reports then).
    pub fn of_rulebook(src: SourceId, text: &str) -> Option<RulebookIndex> {
        let root = parse_toml(src, text).ok()?;
        let (decls, _) = rulebook::read(src, text, &root);
        let mut index = RulebookIndex::default();
        index.declare(&decls, text);
        walk::uses(&mut index, &decls, text);
        keys::test_keys(&mut index, &root, text);
        index.rule_texts = walk::rule_texts(&root, text);
        index.occurrences.sort_by_key(|o| (o.span.start, o.span.end));
        Some(index)
    }

    /// The occurrence whose span holds byte `offset` (its end included, so a
    /// cursor just after a name finds it).
    pub fn at(&self, offset: usize) -> Option<&Occurrence> {
        let o = offset as u32;
        self.occurrences.iter().find(|x| x.span.start <= o && o <= x.span.end)
    }

    /// The declaration whose name is written at byte `offset`.
    pub fn definition_at(&self, offset: usize) -> Option<&Definition> {
        let o = offset as u32;
        self.definitions.iter().find(|d| d.span.start <= o && o <= d.span.end)
    }

    /// The declaration of `target`.
    pub fn definition(&self, target: &Target) -> Option<&Definition> {
        self.definitions.iter().find(|d| d.kind == target.kind && d.name == target.name)
    }

    /// Every use of `target`: names in rules, keys in tests, `overrides`,
    /// `concludes` and cite keys.
    pub fn references<'a>(&'a self, target: &'a Target) -> impl Iterator<Item = &'a Occurrence> + 'a {
        self.occurrences.iter().filter(move |o| o.target().as_ref() == Some(target))
    }

    /// What a dotted name written in a rule means, resolved as `check`
    /// resolves names (`item.…` as a field or per-item conclusion of the
    /// list whose element is called `item`).
    pub fn resolve(&self, name: &str) -> Occurs {
        walk::resolve(self, None, name, None)
    }

    /// The declarations of `kind`.
    pub fn of_kind(&self, kind: DefKind) -> impl Iterator<Item = &Definition> {
        self.definitions.iter().filter(move |d| d.kind == kind)
    }

    /// What the declaration whose type has enumeration value `value` is, when exactly one has it.
    fn enum_owner(&self, value: &str) -> Option<Target> {
        let mut owners = self.definitions.iter().filter(|d| d.values.iter().any(|v| v == value));
        let first = owners.next()?;
        Some(Target { kind: first.kind, name: first.name.clone() })
    }

    fn push(&mut self, span: Span, text: &str, occurs: Occurs) {
        self.occurrences.push(Occurrence { span, text: text.to_string(), occurs });
    }

    fn declare(&mut self, decls: &rulebook::Declarations, text: &str) {
        let ty_text = |t: &TypeDecl| content(text, t.span).map(|s| text[s.range()].to_string());
        let values = |t: &TypeDecl| match &t.ty {
            TypeExpr::Enum(v) => v.clone(),
            _ => Vec::new(),
        };
        let base = |kind, name: &str, span| Definition {
            kind,
            name: name.to_string(),
            span,
            ty: None,
            values: Vec::new(),
            doc: None,
            optional: false,
            because: None,
            cite: None,
            concludes: None,
            title: None,
            url: None,
        };
        for f in &decls.facts {
            let mut d = base(DefKind::Fact, &f.name, f.span);
            (d.ty, d.values, d.doc, d.optional) =
                (ty_text(&f.ty), values(&f.ty), f.doc.as_deref().map(str::to_string), f.optional);
            self.definitions.push(d);
            if let TypeExpr::Records(element) = &f.ty.ty {
                self.elements.push((f.name.clone(), element.clone()));
            }
            self.fields(f, &ty_text, &values, &base);
        }
        for c in &decls.conclusions {
            let mut d = base(DefKind::Conclusion, &c.name, c.span);
            (d.ty, d.values, d.doc) = (ty_text(&c.ty), values(&c.ty), c.doc.as_deref().map(str::to_string));
            self.definitions.push(d);
        }
        for o in &decls.options {
            let mut d = base(DefKind::Option, &o.name, o.span);
            (d.ty, d.values, d.doc) = (ty_text(&o.ty), values(&o.ty), o.doc.as_deref().map(str::to_string));
            self.definitions.push(d);
        }
        for t in &decls.tables {
            let mut d = base(DefKind::Table, &t.name, t.span);
            (d.ty, d.doc, d.cite) =
                (ty_text(&t.ty), t.doc.as_deref().map(str::to_string), t.cite.as_ref().map(|c| c.text.clone()));
            self.definitions.push(d);
        }
        for r in &decls.rules {
            let mut d = base(DefKind::Rule, &r.id, content(text, r.id_span).unwrap_or(r.id_span));
            d.because = r.because.as_deref().map(str::to_string);
            d.cite = r.cite.as_ref().map(|c| c.text.clone());
            d.concludes = Some(r.concludes.0.clone());
            self.definitions.push(d);
        }
        for s in &decls.sources {
            let mut d = base(DefKind::Source, &s.key, s.span);
            (d.title, d.url) = (s.title.clone(), s.url.clone());
            self.definitions.push(d);
        }
        for c in &decls.checks {
            self.definitions.push(base(DefKind::Check, &c.id, content(text, c.span).unwrap_or(c.span)));
        }
    }

    fn fields(
        &mut self,
        f: &FactDecl,
        ty_text: &dyn Fn(&TypeDecl) -> Option<String>,
        values: &dyn Fn(&TypeDecl) -> Vec<String>,
        base: &dyn Fn(DefKind, &str, Span) -> Definition,
    ) {
        for field in &f.fields {
            let mut d = base(DefKind::Field, &format!("{}.{}", f.name, field.name), field.span);
            (d.ty, d.values, d.doc, d.optional) =
                (ty_text(&field.ty), values(&field.ty), field.doc.as_deref().map(str::to_string), field.optional);
            self.definitions.push(d);
        }
    }
}

impl Occurrence {
    /// The declaration this occurrence names, if it names one.
    pub fn target(&self) -> Option<Target> {
        match &self.occurs {
            Occurs::Name(t) => t.clone(),
            Occurs::Key(t) => Some(t.clone()),
            Occurs::CiteKey => Some(Target { kind: DefKind::Source, name: self.text.clone() }),
            Occurs::Override => Some(Target { kind: DefKind::Rule, name: self.text.clone() }),
            Occurs::Concludes => Some(Target { kind: DefKind::Conclusion, name: self.text.clone() }),
            _ => None,
        }
    }
}

/// The span of a TOML string's content (quotes left out) when `span` is a
/// one-line string written with quotes; `None` for anything else.
pub fn content(text: &str, span: Span) -> Option<Span> {
    let raw = text.get(span.range())?;
    let quote = if raw.starts_with("'''") || raw.starts_with("\"\"\"") {
        3
    } else if raw.starts_with(['"', '\'']) {
        1
    } else {
        return Some(span);
    };
    (raw.len() >= 2 * quote).then(|| Span::new(span.src, span.start as usize + quote, span.end as usize - quote))
}

/// A string node's content span and text, for a string written in the file.
fn string_at(node: &Node, text: &str) -> Option<(Span, String)> {
    match &node.kind {
        NodeKind::Str(s) => Some((content(text, node.span)?, s.clone())),
        _ => None,
    }
}
