//! The rulebook file: TOML tables read into declarations, with every
//! expression and type parsed (see docs/LANGUAGE.md). Nothing downstream sees TOML.

use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::{Fields, Key, Node, NodeKind};
use crate::source::{SourceId, Span};
use crate::syntax::ast::{Expr, TypeExpr};
use crate::syntax::{parse_expr, parse_type, StringMap};
use crate::text::Text;
use chrono::NaiveDate;

mod letters;
pub use letters::{pieces, LetterDecl, Piece};

/// Metadata from `[rulebook]`.
#[derive(Clone, Debug, Default)]
pub struct Meta {
    /// `id`: the same for every version of the rulebook.
    pub id: String,
    /// `title`, for people.
    pub title: Text,
    /// `version`, as written.
    pub version: String,
    /// `jurisdiction`, if given.
    pub jurisdiction: Option<String>,
    /// `languages` (a string or a list); empty when not given.
    pub languages: Vec<String>,
    /// The first day this version is in force, included; `None`: no start.
    pub effective_from: Option<NaiveDate>,
    /// The last day this version is in force, included; `None`: no end.
    pub effective_until: Option<NaiveDate>,
    /// Where `effective_until` was written.
    pub effective_until_span: Option<Span>,
    /// The fact whose date decides which version is in force.
    pub date_fact: Option<(String, Span)>,
    /// Other versions of this rulebook (paths relative to this file).
    pub other_versions: Vec<(String, Span)>,
    /// `currency` of every amount; `EUR` when not given.
    pub currency: String,
    /// `description`, if given.
    pub description: Option<String>,
    /// `before`: what applied before this version (see [`Before`]).
    pub before: Option<Before>,
}

/// `before = { message = "…", cite = "…" }` in `[rulebook]`: the law that applied
/// before the first version, named in the error for a date no version covers.
#[derive(Clone, Debug)]
pub struct Before {
    /// What applied then, for people.
    pub message: String,
    /// Its citation; each part starts with a key of `[sources]`.
    pub cite: Cite,
    /// Where `before` was written.
    pub span: Span,
}

/// A declared `type`, parsed, with where it was written.
#[derive(Clone, Debug)]
pub struct TypeDecl {
    /// The type; [`TypeExpr::Unknown`] when it did not parse (already reported).
    pub ty: TypeExpr,
    /// Where the `type` value was written.
    pub span: Span,
}

/// One entry of `[sources]`: a key that citations start with.
#[derive(Clone, Debug)]
pub struct SourceDecl {
    /// The key (`CRD`).
    pub key: String,
    /// Where the key was written.
    pub span: Span,
    /// The title: the entry's string, or its table's `title`.
    pub title: Option<String>,
    /// Its table's `url`, if given.
    pub url: Option<String>,
}

/// A fact, or a field of a list of records.
#[derive(Clone, Debug)]
pub struct FactDecl {
    /// The dotted name (`item.received_on`); for a field, the field's own name.
    pub name: String,
    /// Where its key was written.
    pub span: Span,
    /// Its `type`.
    pub ty: TypeDecl,
    /// `optional = true`: a scenario may leave it out.
    pub optional: bool,
    /// `default`, as written (read once its type is checked).
    pub default: Option<Node>,
    /// `doc`: what the fact is, for people.
    pub doc: Option<Text>,
    /// The fields, for `list of NAME`.
    pub fields: Vec<FactDecl>,
    /// `labels`: how its enumeration's values read in each language.
    pub labels: Vec<LabelDecl>,
}

/// One entry of a declaration's `labels` table: `labels.goods = { en = "goods",
/// nl = "goederen" }` labels the enumeration value `goods`; on a timeline
/// conclusion, `labels."Order placed" = { nl = "…" }` labels an event as the
/// rule writes it. The identifier stays what rules, scenarios and JSON use.
#[derive(Clone, Debug)]
pub struct LabelDecl {
    /// The value (or event) labelled, as written.
    pub value: String,
    /// Where its key was written.
    pub span: Span,
    /// The label, per language.
    pub text: Text,
}

/// An option (`[options]`): a choice the rulebook leaves to its user, with a default `--set` changes.
#[derive(Clone, Debug)]
pub struct OptionDecl {
    /// The option's name (`good_friday_is_holiday`).
    pub name: String,
    /// Where its key was written.
    pub span: Span,
    /// Its `type`.
    pub ty: TypeDecl,
    /// `default`, as written (read once its type is checked).
    pub default: Node,
    /// `doc`, if given.
    pub doc: Option<Text>,
    /// `labels`: how its enumeration's values read in each language.
    pub labels: Vec<LabelDecl>,
}

/// A conclusion (`[conclusions.…]`): what the rules decide.
#[derive(Clone, Debug)]
pub struct ConclusionDecl {
    /// The dotted name (`withdrawal.in_time`).
    pub name: String,
    /// Where its key was written.
    pub span: Span,
    /// Its `type`.
    pub ty: TypeDecl,
    /// `internal = true`: computed and traced, left out of the output's conclusions.
    pub internal: bool,
    /// `doc`, if given.
    pub doc: Option<Text>,
    /// `labels`: how its enumeration's values (or its timeline's events) read in each language.
    pub labels: Vec<LabelDecl>,
}

/// A rule (`[[rules]]`): a value for one conclusion, when its condition holds.
#[derive(Clone, Debug)]
pub struct RuleDecl {
    /// `id`, naming the rule in `overrides`, the trace and the output.
    pub id: String,
    /// Where `id`'s value was written.
    pub id_span: Span,
    /// `concludes`: the conclusion's name, and where it was written.
    pub concludes: (String, Span),
    /// `when`: the condition; `None` when not given (always applies) or when it did not parse (see `broken`).
    pub when: Option<Expr>,
    /// The condition as written, to spot two rules with the same one.
    pub when_text: Option<String>,
    /// `None` when it did not parse (already reported).
    pub value: Option<Expr>,
    /// Where `value` was written.
    pub value_span: Span,
    /// An expression of this rule did not parse (already reported).
    pub broken: bool,
    /// `because`: the reason in plain words, for the explanation.
    pub because: Option<Text>,
    /// `cite`; `None` when not given (checking reports it).
    pub cite: Option<Cite>,
    /// `overrides`: the ids of the rules this one is an exception to, each with where it was written.
    pub overrides: Vec<(String, Span)>,
}

/// A rule's `cite`: the text, and the first word of each `;`-separated part
/// with its place in the file.
#[derive(Clone, Debug)]
pub struct Cite {
    /// The citation as written (`CRD art. 9(1)`).
    pub text: String,
    /// Where the citation was written.
    pub span: Span,
    /// Each part's first word (a key of `[sources]`), with where it was written.
    pub parts: Vec<(String, Span)>,
}

fn cite_parts(text: &str, map: &StringMap) -> Vec<(String, Span)> {
    let mut out = Vec::new();
    let mut offset = 0;
    for part in text.split(';') {
        let lead = part.len() - part.trim_start().len();
        let word = part.split_whitespace().next().unwrap_or("");
        let start = offset + lead;
        out.push((word.to_string(), map.span(start, start + word.len().max(1))));
        offset += part.len() + 1;
    }
    out
}

/// A dated parameter table (`[tables.NAME]`): values that change over time,
/// each row in force from its `from` day until the next row's.
#[derive(Clone, Debug)]
pub struct TableDecl {
    /// The table's name (`statutory_interest_rate`).
    pub name: String,
    /// Where its key was written.
    pub span: Span,
    /// Its `type`: the type of every row's value.
    pub ty: TypeDecl,
    /// `doc`, if given.
    pub doc: Option<Text>,
    /// `cite`: where the values come from (checked like a rule's).
    pub cite: Option<Cite>,
    /// The rows, in file order, which is strictly increasing `from` order (checked here).
    pub rows: Vec<RowDecl>,
}

/// One row of a dated table.
#[derive(Clone, Debug)]
pub struct RowDecl {
    /// The first day the value is in force.
    pub from: NaiveDate,
    /// Where `from` was written.
    pub from_span: Span,
    /// `value`, as written (read once the table's type is checked).
    pub value: Node,
    /// `note`: a remark for people (the decree, or that the value is not verified).
    pub note: Option<Text>,
}

/// A test case (`[[tests]]`): facts or a scenario file, and the outcomes expected.
#[derive(Clone, Debug)]
pub struct TestDecl {
    /// `name`, shown in the test report.
    pub name: String,
    /// The test's table.
    pub span: Span,
    /// `facts`: the scenario written inline; laid over `scenario` when both are given.
    pub facts: Option<Node>,
    /// `scenario`: a scenario file's path, relative to the rulebook, and where it was written.
    pub scenario: Option<(String, Span)>,
    /// `expect`: by conclusion name, a value, `"absent"` or `"undetermined"` (a list of them for a per-item conclusion).
    pub expect: Vec<(Key, Node)>,
    /// `set`: option values, by option name.
    pub set: Vec<(Key, Node)>,
    /// `expect_rule`: by conclusion name, the id of the rule that must decide it (a list of ids for a per-item conclusion, or one id for every element).
    pub expect_rule: Vec<(Key, Node)>,
    /// `expect_cite`: by conclusion name, text the deciding rule's `cite` must contain.
    pub expect_cite: Vec<(Key, Node)>,
}

/// Everything a rulebook file declares, parsed but not yet checked.
#[derive(Clone, Debug, Default)]
pub struct Declarations {
    /// The rulebook file.
    pub src: SourceId,
    /// `[rulebook]`.
    pub meta: Meta,
    /// `[rulebook]`'s `calendar`: the holiday calendar file's path, relative to the rulebook, and where it was written.
    pub calendar: Option<(String, Span)>,
    /// `[sources]`, in file order.
    pub sources: Vec<SourceDecl>,
    /// `[options]`, in file order.
    pub options: Vec<OptionDecl>,
    /// `[facts]`, in file order.
    pub facts: Vec<FactDecl>,
    /// `[conclusions]`, in file order.
    pub conclusions: Vec<ConclusionDecl>,
    /// `[[rules]]`, in file order.
    pub rules: Vec<RuleDecl>,
    /// `[[tests]]`, in file order.
    pub tests: Vec<TestDecl>,
    /// `[[checks]]`, in file order.
    pub checks: Vec<CheckDecl>,
    /// `[tables]`, in file order.
    pub tables: Vec<TableDecl>,
    /// `[letters]`, in file order.
    pub letters: Vec<LetterDecl>,
}

/// A condition every scenario must meet (`[[checks]]`), reported at the
/// scenario's own text when it fails.
#[derive(Clone, Debug)]
pub struct CheckDecl {
    /// `id`, named in the failure's label.
    pub id: String,
    /// Where `id`'s value was written.
    pub span: Span,
    /// Checked for each element of this list.
    pub each: Option<(String, Span)>,
    /// `None` when it did not parse (already reported).
    pub require: Option<Expr>,
    /// `message`: what is wrong with the scenario, as the diagnostic says it.
    pub message: Text,
    /// `hint`: how to fix it, as the diagnostic's help.
    pub hint: Option<Text>,
}

/// Called for each declaration found in a nested table: (reader, full name, key span, table).
type DeclareFn<'f, R> = dyn FnMut(&mut R, String, Span, &Node) -> Result<(), Diagnostic> + 'f;

struct Reader<'a> {
    src: SourceId,
    text: &'a str,
    errors: Diagnostics,
    /// `languages` of `[rulebook]`, read first: a text table's keys must be among them.
    languages: Vec<String>,
}

/// Reads a rulebook's tree into declarations, with every error found. What
/// could not be read is left out or marked, so checking can still go on.
pub fn read(src: SourceId, text: &str, root: &Node) -> (Declarations, Diagnostics) {
    let languages = (|| root.as_table().ok()?.get("rulebook")?.as_table().ok()?.get("languages")?.as_str_list().ok())()
        .map(|l| l.into_iter().map(|(s, _)| s.to_string()).collect())
        .unwrap_or_default();
    let mut r = Reader { src, text, errors: Diagnostics::default(), languages };
    let mut decls = Declarations { src, ..Declarations::default() };
    const TOP: &[&str] =
        &["rulebook", "sources", "options", "tables", "facts", "checks", "conclusions", "rules", "tests", "letters"];
    match Fields::new(root, "a rulebook", TOP) {
        Err(e) => r.errors.push(e),
        Ok(top) => {
            r.errors.extend(top.unknown_keys());
            match top.req("rulebook") {
                Ok(n) => r.meta(n, &mut decls),
                Err(e) => {
                    // a misspelt `[rulebok]`: one error, at it, instead of "missing" at the top
                    let near = root.as_table().ok().and_then(|t| {
                        t.entries
                            .iter()
                            .map(|(k, _)| k)
                            .find(|k| crate::diagnostic::did_you_mean(&k.name, ["rulebook"]).is_some())
                    });
                    match near {
                        Some(k) => {
                            r.errors.0.retain(|d| d.span() != k.span);
                            r.errors.push(
                                Diagnostic::new(
                                    "input::missing-key",
                                    format!("a rulebook needs `rulebook`; `{}` is probably it, misspelt", k.name),
                                    k.span,
                                )
                                .label("misspelt?")
                                .help("write the metadata table as [rulebook]"),
                            );
                        }
                        None => r.errors.push(e.help("start the file with [rulebook] and its id, title and version")),
                    }
                }
            }
            if let Some(n) = top.opt("sources") {
                r.sources(n, &mut decls.sources);
            }
            if let Some(n) = top.opt("options") {
                r.each_entry(n, |r, key, node| r.option(key, node).map(|o| decls.options.push(o)));
            }
            if let Some(n) = top.opt("tables") {
                r.each_entry(n, |r, key, node| r.table(key, node).map(|t| decls.tables.push(t)));
            }
            if let Some(n) = top.opt("facts") {
                r.declarations(n, "", &mut |r, name, span, node| {
                    r.fact(name, span, node, true).map(|f| decls.facts.push(f))
                });
            }
            if let Some(n) = top.opt("conclusions") {
                r.declarations(n, "", &mut |r, name, span, node| {
                    r.conclusion(name, span, node).map(|c| decls.conclusions.push(c))
                });
            }
            if let Some(n) = top.opt("rules") {
                r.each_item(n, |r, node| r.rule(node).map(|x| decls.rules.push(x)));
            }
            if let Some(n) = top.opt("tests") {
                r.each_item(n, |r, node| r.test(node).map(|x| decls.tests.push(x)));
            }
            if let Some(n) = top.opt("checks") {
                r.each_item(n, |r, node| r.check(node).map(|x| decls.checks.push(x)));
            }
            if let Some(n) = top.opt("letters") {
                r.letters(n, &mut decls.letters);
            }
        }
    }
    if let Some(before) = &decls.meta.before {
        for (word, span) in &before.cite.parts {
            if !decls.sources.iter().any(|s| &s.key == word) {
                r.errors.push(
                    Diagnostic::new(
                        "rulebook::before",
                        "the citation of `before` does not start with a declared source",
                        *span,
                    )
                    .label(format!("`{word}` is not in [sources]"))
                    .help("start each `;`-separated part of the citation with a key of [sources]"),
                );
            }
        }
    }
    (decls, r.errors)
}

impl Reader<'_> {
    /// A text for people: a string, or a table of the declared languages.
    fn text(&self, node: &Node) -> Result<Text, Diagnostic> {
        Text::read(node, self.languages.first().map(String::as_str), &self.languages)
    }

    fn opt_text(&self, f: &Fields, key: &str) -> Result<Option<Text>, Diagnostic> {
        f.opt(key).map(|n| self.text(n)).transpose()
    }

    /// A declaration's `labels` table: value → text (checked against its type later).
    fn labels(&self, f: &Fields) -> Result<Vec<LabelDecl>, Diagnostic> {
        let Some(n) = f.opt("labels") else { return Ok(Vec::new()) };
        let t = n.as_table().map_err(|e| {
            e.help("write labels.VALUE = { en = \"…\", nl = \"…\" }, one entry per value of the enumeration")
        })?;
        t.entries
            .iter()
            .map(|(k, v)| Ok(LabelDecl { value: k.name.clone(), span: k.span, text: self.text(v)? }))
            .collect()
    }

    fn attempt(&mut self, result: Result<(), Diagnostic>) {
        if let Err(e) = result {
            self.errors.push(e);
        }
    }

    fn meta(&mut self, node: &Node, decls: &mut Declarations) {
        const KEYS: &[&str] = &[
            "id",
            "title",
            "version",
            "jurisdiction",
            "languages",
            "effective_from",
            "effective_until",
            "date_fact",
            "other_versions",
            "calendar",
            "currency",
            "description",
            "before",
        ];
        let f = match Fields::new(node, "[rulebook]", KEYS) {
            Ok(f) => f,
            Err(e) => return self.errors.push(e),
        };
        self.errors.extend(f.unknown_keys());
        // each field on its own: one that is wrong leaves the others read (and
        // the currency at its default), so it gives one error, not follow-ons
        let m = &mut decls.meta;
        m.currency = "EUR".to_string();
        let results = [
            f.req_str("id").map(|(s, _)| m.id = s.to_string()),
            f.req("title").and_then(|n| self.text(n)).map(|t| m.title = t),
            f.req_str("version").map(|(s, _)| m.version = s.to_string()),
            f.opt_str("jurisdiction").map(|j| m.jurisdiction = j.map(|(s, _)| s.to_string())),
            f.opt("languages").map_or(Ok(()), |n| {
                n.as_str_list().map(|l| m.languages = l.into_iter().map(|(s, _)| s.to_string()).collect())
            }),
            f.opt("effective_from").map(Node::as_date).transpose().map(|d| m.effective_from = d),
            f.opt("effective_until").map(|n| n.as_date().map(|d| (d, n.span))).transpose().map(|d| {
                (m.effective_until, m.effective_until_span) = (d.map(|d| d.0), d.map(|d| d.1));
            }),
            f.opt_str("date_fact").map(|d| m.date_fact = d.map(|(s, sp)| (s.to_string(), sp))),
            f.opt("other_versions").map_or(Ok(()), |n| {
                n.as_str_list().map(|l| m.other_versions = l.into_iter().map(|(s, sp)| (s.to_string(), sp)).collect())
            }),
            f.opt_str("currency").map(|c| {
                if let Some((c, _)) = c {
                    m.currency = c.to_string();
                }
            }),
            f.opt_str("description").map(|d| m.description = d.map(|(s, _)| s.to_string())),
            f.opt("before").map(|n| self.before(n)).transpose().map(|b| m.before = b),
            f.opt_str("calendar").map(|c| decls.calendar = c.map(|(s, span)| (s.to_string(), span))),
        ];
        for r in results {
            self.attempt(r);
        }
        // reported beside the rest of [rulebook], which is still read
        let m = &decls.meta;
        if let (Some(from), Some(until), Some(span)) = (m.effective_from, m.effective_until, m.effective_until_span) {
            if until < from {
                self.errors.push(
                    Diagnostic::new(
                        "rulebook::effective-range",
                        format!("`effective_until = {until}` is before `effective_from = {from}`: this version is never in force"),
                        span,
                    )
                    .label("before `effective_from`")
                    .help("effective_until is the last day the version applies, on or after effective_from; swap the two dates if they are the wrong way round"),
                );
            }
        }
    }

    fn before(&mut self, node: &Node) -> Result<Before, Diagnostic> {
        let f = Fields::new(node, "`before`", &["message", "cite"])?;
        self.errors.extend(f.unknown_keys());
        let message = f.req_str("message")?.0.to_string();
        let n = f.req("cite")?;
        let (text, map) = self.dsl(n)?;
        Ok(Before { message, cite: Cite { parts: cite_parts(&text, &map), text, span: n.span }, span: node.span })
    }

    fn sources(&mut self, node: &Node, out: &mut Vec<SourceDecl>) {
        self.each_entry(node, |_, key, value| {
            if let Some(e) = uncitable(key, value) {
                return Err(e);
            }
            let (title, url) = match &value.kind {
                NodeKind::Str(s) => (Some(s.clone()), None),
                _ => {
                    let f = Fields::new(value, "a source", &["title", "url"])?;
                    if let Some(e) = f.unknown_keys().0.into_iter().next() {
                        return Err(e);
                    }
                    (f.opt_str("title")?.map(|(s, _)| s.to_string()), f.opt_str("url")?.map(|(s, _)| s.to_string()))
                }
            };
            out.push(SourceDecl { key: key.name.clone(), span: key.span, title, url });
            Ok(())
        });
    }

    fn each_entry(&mut self, node: &Node, mut f: impl FnMut(&mut Self, &Key, &Node) -> Result<(), Diagnostic>) {
        match node.as_table() {
            Err(e) => self.errors.push(e),
            Ok(t) => {
                for (k, v) in &t.entries {
                    let r = f(self, k, v);
                    self.attempt(r);
                }
            }
        }
    }

    fn each_item(&mut self, node: &Node, mut f: impl FnMut(&mut Self, &Node) -> Result<(), Diagnostic>) {
        match node.as_array() {
            Err(e) => self.errors.push(e.help("write each entry as [[rules]] or [[tests]]")),
            Ok(items) => {
                for item in items {
                    let r = f(self, item);
                    self.attempt(r);
                }
            }
        }
    }

    /// Walks nested tables; a table with a `type` key declares `prefix.key`.
    fn declarations(&mut self, node: &Node, prefix: &str, f: &mut DeclareFn<'_, Self>) {
        let table = match node.as_table() {
            Ok(t) => t,
            Err(e) => return self.errors.push(e),
        };
        for (k, v) in &table.entries {
            let name = if prefix.is_empty() { k.name.clone() } else { format!("{prefix}.{}", k.name) };
            if let Err(e) = check_name_part(&k.name, k.span) {
                self.errors.push(e);
                continue;
            }
            match &v.kind {
                NodeKind::Table(t) if t.get("type").is_some() => {
                    let r = f(self, name, k.span, v);
                    self.attempt(r);
                }
                NodeKind::Table(t) if t.entries.iter().any(|(_, x)| !matches!(x.kind, NodeKind::Table(_))) => {
                    self.errors.push(no_type(&name, k.span, t));
                }
                NodeKind::Table(_) => self.declarations(v, &name, f),
                _ => self.errors.push(
                    Diagnostic::new(
                        "rulebook::declaration",
                        format!("`{name}` should be a table with a `type`"),
                        v.span,
                    )
                    .label("not a declaration")
                    .help(format!("write [facts.{name}] or [conclusions.{name}] with type = \"…\" and doc = \"…\"")),
                ),
            }
        }
    }

    /// A declared type; a bad one is reported and read as unknown, so the
    /// name stays declared and its uses raise no further errors.
    fn type_decl(&mut self, node: &Node) -> TypeDecl {
        let ty = self.dsl(node).and_then(|(text, map)| parse_type(&text, &map));
        let ty = ty.unwrap_or_else(|e| {
            self.errors.push(e);
            TypeExpr::Unknown
        });
        TypeDecl { ty, span: node.span }
    }

    /// An expression, or `None` (reported) when it does not parse.
    fn expr(&mut self, node: &Node) -> Option<Expr> {
        match self.dsl(node).and_then(|(text, map)| parse_expr(&text, &map)) {
            Ok(e) => Some(e),
            Err(e) => {
                self.errors.push(e);
                None
            }
        }
    }

    /// The text of a string value and the map from it back into the file.
    fn dsl(&self, node: &Node) -> Result<(String, StringMap), Diagnostic> {
        let text = node.as_str()?.to_string();
        let raw = self.text.get(node.span.range()).unwrap_or("");
        let map = if raw.starts_with(['\'', '"']) {
            StringMap::for_toml_string(self.src, raw, node.span.start as usize, &text)
        } else {
            StringMap::verbatim(self.src, node.span.start as usize)
        };
        Ok((text, map))
    }

    fn fact(&mut self, name: String, span: Span, node: &Node, top_level: bool) -> Result<FactDecl, Diagnostic> {
        const KEYS: &[&str] = &["type", "optional", "default", "doc", "fields", "labels"];
        let f = Fields::new(node, "a fact", KEYS)?;
        self.errors.extend(f.unknown_keys());
        let ty = self.type_decl(f.req("type")?);
        let mut fields = Vec::new();
        match (&ty.ty, f.opt("fields")) {
            (TypeExpr::Records(_), Some(n)) if top_level => {
                self.each_entry(n, |r, key, value| {
                    check_name_part(&key.name, key.span)?;
                    r.fact(key.name.clone(), key.span, value, false).map(|x| fields.push(x))
                });
            }
            (TypeExpr::Records(_), _) if !top_level => {
                return Err(Diagnostic::new(
                    "rulebook::nested-records",
                    "a field cannot itself be a list of records",
                    ty.span,
                )
                .label("nested list of records")
                .help("use `list of date` or another scalar list, or a separate fact"))
            }
            (TypeExpr::Records(_), None) => {
                return Err(Diagnostic::new(
                    "rulebook::fields",
                    format!("`{name}` is a list of records but has no fields"),
                    ty.span,
                )
                .label("declare its fields")
                .help(format!("add [facts.{name}.fields.NAME] tables with a type each")))
            }
            (_, Some(n)) => {
                return Err(Diagnostic::new("rulebook::fields", "only a `list of NAME` has fields", n.span)
                    .label("unexpected fields")
                    .help("change the type to `list of item`, or remove `fields`"))
            }
            _ => {}
        }
        Ok(FactDecl {
            name,
            span,
            ty,
            optional: f.opt("optional").map(Node::as_bool).transpose()?.unwrap_or(false),
            default: f.opt("default").cloned(),
            doc: self.opt_text(&f, "doc")?,
            fields,
            labels: self.labels(&f)?,
        })
    }

    fn option(&mut self, key: &Key, node: &Node) -> Result<OptionDecl, Diagnostic> {
        check_name_part(&key.name, key.span)?;
        let f = Fields::new(node, "an option", &["type", "default", "doc", "labels"])?;
        self.errors.extend(f.unknown_keys());
        Ok(OptionDecl {
            name: key.name.clone(),
            span: key.span,
            ty: self.type_decl(f.req("type")?),
            default: f
                .req("default")
                .map_err(|e| e.help("every option needs a default: the reading used unless --set says otherwise"))?
                .clone(),
            doc: self.opt_text(&f, "doc")?,
            labels: self.labels(&f)?,
        })
    }

    fn table(&mut self, key: &Key, node: &Node) -> Result<TableDecl, Diagnostic> {
        check_name_part(&key.name, key.span)?;
        let f = Fields::new(node, "a table", &["type", "doc", "cite", "rows"])?;
        self.errors.extend(f.unknown_keys());
        let ty = self.type_decl(f.req("type")?);
        let cite = match f.opt("cite") {
            None => None,
            Some(n) => {
                let (text, map) = self.dsl(n).map_err(|e| cite_list(n, e))?;
                Some(Cite { parts: cite_parts(&text, &map), text, span: n.span })
            }
        };
        let rows_node = f.req("rows").map_err(|e| {
            e.help("add rows = [ { from = 2024-01-01, value = \"0.07\" }, … ], one per day the value changes")
        })?;
        // a bad row is reported and left out; the table stays declared so its uses check
        let mut rows: Vec<RowDecl> = Vec::new();
        for row in rows_node.as_array()? {
            match self.row(&key.name, row, &rows) {
                Ok(r) => rows.push(r),
                Err(e) => self.errors.push(e),
            }
        }
        if rows_node.as_array()?.is_empty() {
            self.errors.push(
                Diagnostic::new("rulebook::table-empty", format!("table `{}` has no rows", key.name), rows_node.span)
                    .label("no rows")
                    .help("add at least one row: { from = 2024-01-01, value = … }"),
            );
        }
        Ok(TableDecl { name: key.name.clone(), span: key.span, ty, doc: self.opt_text(&f, "doc")?, cite, rows })
    }

    /// One row of table `table`, after the `earlier` rows.
    fn row(&mut self, table: &str, row: &Node, earlier: &[RowDecl]) -> Result<RowDecl, Diagnostic> {
        let rf = Fields::new(row, "a table row", &["from", "value", "note"])?;
        self.errors.extend(rf.unknown_keys());
        let from_node = rf.req("from")?;
        let from = from_node.as_date()?;
        let note = self.opt_text(&rf, "note")?;
        let value = rf.req("value")?.clone();
        if let Some(prev) = earlier.iter().find(|r| r.from == from) {
            return Err(Diagnostic::new(
                "rulebook::table-duplicate-day",
                format!("table `{table}` has two rows from {from}"),
                from_node.span,
            )
            .label("second row for this day")
            .also(prev.from_span, "first row for this day")
            .help("keep one row per day; a table gives one value on each day"));
        }
        if let Some(prev) = earlier.last().filter(|r| r.from > from) {
            return Err(Diagnostic::new(
                "rulebook::table-order",
                format!("the rows of table `{table}` are not in date order: {from} comes after {}", prev.from),
                from_node.span,
            )
            .label("earlier than the row before")
            .also(prev.from_span, "this row starts later")
            .help("list the rows from the earliest `from` day to the latest"));
        }
        Ok(RowDecl { from, from_span: from_node.span, value, note })
    }

    fn conclusion(&mut self, name: String, span: Span, node: &Node) -> Result<ConclusionDecl, Diagnostic> {
        let f = Fields::new(node, "a conclusion", &["type", "internal", "doc", "labels"])?;
        self.errors.extend(f.unknown_keys());
        Ok(ConclusionDecl {
            name,
            span,
            ty: self.type_decl(f.req("type")?),
            internal: f.opt("internal").map(Node::as_bool).transpose()?.unwrap_or(false),
            doc: self.opt_text(&f, "doc")?,
            labels: self.labels(&f)?,
        })
    }

    fn rule(&mut self, node: &Node) -> Result<RuleDecl, Diagnostic> {
        const KEYS: &[&str] = &["id", "concludes", "when", "value", "because", "cite", "overrides"];
        let f = Fields::new(node, "a rule", KEYS)?;
        self.errors.extend(f.unknown_keys());
        let (id, id_span) = f.req_str("id")?;
        let concludes = f.req_str("concludes").map_err(|e| match f.opt("concludes").map(|n| n.as_array().is_ok()) {
            Some(true) => {
                e.help("a rule concludes one name: write concludes = \"…\", and one rule for each conclusion")
            }
            _ => e,
        })?;
        // an expression that does not parse is reported here and left out;
        // the rest of the rule is still checked
        let when = f.opt("when").map(|n| self.expr(n));
        let value_node = f.req("value")?;
        let value = self.expr(value_node);
        let broken = value.is_none() || matches!(when, Some(None));
        let cite = match f.opt("cite") {
            None => None,
            Some(n) => {
                let (text, map) = self.dsl(n).map_err(|e| cite_list(n, e))?;
                Some(Cite { parts: cite_parts(&text, &map), text, span: n.span })
            }
        };
        let overrides = match f.opt("overrides") {
            None => Vec::new(),
            Some(n) => n.as_str_list()?.into_iter().map(|(s, sp)| (s.to_string(), sp)).collect(),
        };
        Ok(RuleDecl {
            id: id.to_string(),
            id_span,
            concludes: (concludes.0.to_string(), concludes.1),
            when: when.flatten(),
            when_text: f.opt("when").and_then(|n| n.as_str().ok()).map(str::to_string),
            value,
            value_span: value_node.span,
            broken,
            because: self.opt_text(&f, "because")?,
            cite,
            overrides,
        })
    }

    fn check(&mut self, node: &Node) -> Result<CheckDecl, Diagnostic> {
        const KEYS: &[&str] = &["id", "each", "require", "message", "hint"];
        let f = Fields::new(node, "a check", KEYS)?;
        self.errors.extend(f.unknown_keys());
        let (id, span) = f.req_str("id")?;
        let require = self.expr(f.req("require")?);
        Ok(CheckDecl {
            id: id.to_string(),
            span,
            each: f.opt_str("each")?.map(|(s, sp)| (s.to_string(), sp)),
            require,
            message: self.text(f.req("message")?)?,
            hint: self.opt_text(&f, "hint")?,
        })
    }

    fn test(&mut self, node: &Node) -> Result<TestDecl, Diagnostic> {
        const KEYS: &[&str] = &["name", "facts", "scenario", "expect", "set", "expect_rule", "expect_cite"];
        let f = Fields::new(node, "a test", KEYS)?;
        self.errors.extend(f.unknown_keys());
        let (name, _) = f.req_str("name")?;
        let facts = f.opt("facts").cloned();
        let scenario = f.opt_str("scenario")?.map(|(s, sp)| (s.to_string(), sp));
        if facts.is_none() && scenario.is_none() {
            return Err(Diagnostic::new("rulebook::test", format!("test `{name}` has no `facts` and no `scenario`"), f.span())
                .label("say what the test evaluates")
                .help("write [tests.facts.…] tables, or scenario = \"path/to/scenario.toml\" (relative to the rulebook); with both, the facts change the scenario"));
        }
        let entries = |key: &str| -> Result<Vec<(Key, Node)>, Diagnostic> {
            Ok(f.opt(key).map(Node::as_table).transpose()?.map(|t| t.entries.clone()).unwrap_or_default())
        };
        Ok(TestDecl {
            name: name.to_string(),
            span: f.span(),
            facts,
            scenario,
            expect: entries("expect")?,
            set: entries("set")?,
            expect_rule: entries("expect_rule")?,
            expect_cite: entries("expect_cite")?,
        })
    }
}

/// Names are lower_case words joined by dots.
fn check_name_part(part: &str, span: Span) -> Result<(), Diagnostic> {
    let ok = part.chars().next().is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && part.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(Diagnostic::new("rulebook::name", format!("`{part}` is not a valid name"), span)
            .label("invalid name")
            .help("names are lower_case letters, digits and underscores, starting with a letter"))
    }
}

/// A `[sources]` key no citation can start with: one with a space or a `;`
/// (a citation's key ends at the first space), or an unquoted dotted key,
/// which TOML reads as a table inside a table.
fn uncitable(key: &Key, value: &Node) -> Option<Diagnostic> {
    let name = &key.name;
    if name.is_empty() || name.contains(char::is_whitespace) || name.contains(';') {
        let fixed: String =
            name.split(|c: char| c.is_whitespace() || c == ';').filter(|w| !w.is_empty()).collect::<Vec<_>>().join("_");
        return Some(
            Diagnostic::new("rulebook::source-key", format!("the source key `{name}` can never be cited"), key.span)
                .label("has a space or `;`")
                .help(format!(
                    "a citation starts with its source key and the key ends at the first space: write the key as one word, e.g. {} = {{ title = \"…\" }}, and cite \"{} art. …\"",
                    if fixed.is_empty() { "CODE" } else { &fixed },
                    if fixed.is_empty() { "CODE" } else { &fixed }
                )),
        );
    }
    let inner = value.as_table().ok()?;
    let nested = inner.entries.first().filter(|(k, v)| k.name != "title" && k.name != "url" && v.as_table().is_ok())?;
    Some(
        Diagnostic::new(
            "rulebook::source-key",
            format!(
                "`{name}.{}` is read by TOML as a table `{name}` holding `{}`, not as one source key",
                nested.0.name, nested.0.name
            ),
            key.span,
        )
        .label("a dotted key")
        .help(format!("quote the key, \"{name}.{}\" = {{ title = \"…\" }}, or write it without a dot", nested.0.name)),
    )
}

/// A declaration table with keys but no `type` (`kind = "date"` written for
/// `type = "date"`): one error at the table, not one per key.
fn no_type(name: &str, span: Span, t: &crate::input::Table) -> Diagnostic {
    let scalars: Vec<&str> =
        t.entries.iter().filter(|(_, x)| !matches!(x.kind, NodeKind::Table(_))).map(|(k, _)| k.name.as_str()).collect();
    let instead =
        scalars.iter().find(|k| matches!(**k, "kind" | "typ" | "types" | "genre" | "soort" | "type_" | "datatype"));
    let help = match instead {
        Some(k) => {
            let value = t.get(k).and_then(|n| n.as_str().ok()).unwrap_or("…");
            format!("`{k}` is not a key of a declaration: write type = \"{value}\"")
        }
        None => {
            "add type = \"…\" (bool, integer, decimal, money, date, text, `one of a, b`, `list of NAME`, …)".to_string()
        }
    };
    Diagnostic::new(
        "rulebook::declaration",
        format!(
            "`{name}` has {} but no `type`",
            scalars.iter().map(|k| format!("`{k}`")).collect::<Vec<_>>().join(", ")
        ),
        span,
    )
    .label("declared without a type")
    .help(help)
}

/// A list given where one citation text is expected: the fix joins them.
fn cite_list(n: &Node, e: Diagnostic) -> Diagnostic {
    match n.as_array() {
        Ok(items) => {
            let joined: Vec<&str> = items.iter().filter_map(|i| i.as_str().ok()).collect();
            e.label("a list of citations")
                .help(format!("`cite` is one text; join the citations with `;`: cite = \"{}\"", joined.join("; ")))
        }
        Err(_) => e,
    }
}

#[cfg(test)]
mod tests {
    use crate::test_support::fails_with;

    /// A table and one rule reading it; `rows` and `value` vary per test.
    fn with(rows: &str, value: &str) -> String {
        format!(
            r#"
[tables.statutory_interest_rate]
type = "decimal"
doc = "Yearly rates."
cite = "LAW art. 1"
rows = [{rows}]

[facts.day]
type = "date"
doc = "A day."

[conclusions.rate]
type = "decimal"
doc = "The rate."

[[rules]]
id = "rate"
concludes = "rate"
value = '{value}'
cite = "LAW art. 2"
"#
        )
    }

    const ROWS: &str = r#"{ from = 2015-01-01, value = "0.02" }, { from = 2023-01-01, value = "0.04" }"#;

    #[test]
    fn rows_out_of_date_order_are_refused() {
        let rows = r#"{ from = 2023-01-01, value = "0.04" }, { from = 2015-01-01, value = "0.02" }"#;
        fails_with(
            &with(rows, "statutory_interest_rate on day"),
            "rulebook::table-order",
            "2015-01-01 comes after 2023-01-01",
        );
    }

    #[test]
    fn two_rows_for_one_day_are_refused() {
        let rows = r#"{ from = 2023-01-01, value = "0.04" }, { from = 2023-01-01, value = "0.06" }"#;
        fails_with(
            &with(rows, "statutory_interest_rate on day"),
            "rulebook::table-duplicate-day",
            "two rows from 2023-01-01",
        );
    }

    #[test]
    fn a_value_of_the_wrong_type_is_refused_at_its_row() {
        let rows = r#"{ from = 2023-01-01, value = "four percent" }"#;
        let all = crate::test_support::problems(&with(rows, "statutory_interest_rate on day"));
        assert!(all.iter().any(|p| p.contains("four percent")), "{all:?}");
    }

    #[test]
    fn a_table_without_rows_or_citation_is_refused() {
        fails_with(&with("", "statutory_interest_rate on day"), "rulebook::table-empty", "has no rows");
        let body = with(ROWS, "statutory_interest_rate on day").replace("cite = \"LAW art. 1\"\n", "");
        fails_with(&body, "check::missing-cite", "does not cite where its values come from");
    }

    #[test]
    fn an_unknown_table_is_refused_with_the_nearest_name() {
        let all = crate::test_support::problems(&with(ROWS, "statutory_interest_rates on day"));
        assert!(all.iter().any(|p| p.contains("unknown table `statutory_interest_rates`")), "{all:?}");
        let mut sources = crate::SourceMap::new();
        let text = crate::test_support::rulebook(&with(ROWS, "statutory_interest_rates on day"));
        let Err(err) = crate::Rulebook::from_str(&mut sources, "t.toml", &text) else { panic!("refused") };
        let d = err.0.iter().find(|d| d.code == "check::unknown-table").expect("unknown table");
        assert!(d.help.as_deref().unwrap_or("").contains("statutory_interest_rate"), "{:?}", d.help);
    }

    #[test]
    fn a_table_has_a_name_of_its_own() {
        let body = with(ROWS, "statutory_interest_rate on day").replace(
            "[facts.day]",
            "[facts.statutory_interest_rate]\ntype = \"decimal\"\ndoc = \"Clash.\"\n\n[facts.day]",
        );
        fails_with(&body, "check::duplicate-name", "has the name of a fact, option or conclusion");
        let body =
            with(ROWS, "statutory_interest_rate on day").replace("[tables.statutory_interest_rate]", "[tables.Rate]");
        fails_with(&body, "rulebook::name", "`Rate` is not a valid name");
    }

    #[test]
    fn a_row_needs_a_day_and_a_value() {
        let rows = r#"{ from = 2023-01-01 }"#;
        fails_with(&with(rows, "statutory_interest_rate on day"), "input::missing-key", "needs `value`");
        let rows = r#"{ from = "1 January", value = "0.04" }"#;
        let all = crate::test_support::problems(&with(rows, "statutory_interest_rate on day"));
        assert!(all.iter().any(|p| p.contains("date")), "{all:?}");
        let rows = r#"{ from = 2023-01-01, value = "0.04", rate = "0.04" }"#;
        fails_with(
            &with(rows, "statutory_interest_rate on day"),
            "input::unknown-key",
            "unknown key `rate` in a table row",
        );
    }

    #[test]
    fn a_table_is_read_on_a_date_and_holds_single_values() {
        fails_with(&with(ROWS, "statutory_interest_rate on 42"), "check::type", "expected a date");
        let body = with(ROWS, "statutory_interest_rate on day")
            .replace("type = \"decimal\"\ndoc = \"Yearly", "type = \"list of date\"\ndoc = \"Yearly");
        fails_with(&body, "check::table-type", "single values");
        fails_with(
            &with(ROWS, "interest on EUR 1.00 at day from day to day, days / 365"),
            "check::type",
            "a yearly rate",
        );
        fails_with(
            &with(ROWS, "interest on 1 at statutory_interest_rat from day to day, days / 365"),
            "check::unknown-table",
            "unknown table `statutory_interest_rat`",
        );
    }
}
