//! Texts a person reads, per language, and the engine's own words.
//!
//! A rulebook text (a title, a `doc`, a `because`, a check's message) is a
//! plain string, in the rulebook's first declared language, or a table
//! `{ en = "…", nl = "…", fr = "…" }` ([`Text`]). The engine's own words
//! (headings, "because", "does not apply", the steps of a period), weekday
//! and month names and the form of dates and amounts live in one message
//! table per language, `src/text/{en,nl,fr}.toml` ([`Locale`]), not in code.

mod locale;

pub use locale::{Lang, Locale};

use crate::diagnostic::Diagnostic;
use crate::input::{Node, NodeKind};
use crate::source::Span;

/// A text for people, in one or more languages.
#[derive(Clone, Debug, Default)]
pub struct Text {
    /// The text shown when no language is chosen: a plain string, or the
    /// entry of the rulebook's first declared language (else the first entry).
    default: String,
    /// `(language, text)` in the order written; a plain string is one entry
    /// with the language `""` (the rulebook's first declared language).
    by_lang: Vec<(String, String)>,
    /// Where the text was written.
    pub span: Span,
}

impl Text {
    /// A text in one language, the rulebook's first (a plain string).
    pub fn plain(text: impl Into<String>, span: Span) -> Text {
        let text = text.into();
        Text { default: text.clone(), by_lang: vec![(String::new(), text)], span }
    }

    /// Reads a string or a table of language → string. `first` is the
    /// rulebook's first declared language (a plain string is in it); a table
    /// key must be one of `declared` when the rulebook declares languages.
    pub fn read(node: &Node, first: Option<&str>, declared: &[String]) -> Result<Text, Diagnostic> {
        match &node.kind {
            NodeKind::Str(s) => Ok(Text::plain(s.clone(), node.span)),
            NodeKind::Table(t) if !t.entries.is_empty() => {
                let mut by_lang = Vec::new();
                for (key, value) in &t.entries {
                    if !declared.is_empty() && !declared.contains(&key.name) {
                        return Err(Diagnostic::new(
                            "rulebook::undeclared-language",
                            format!("`{}` is not a language this rulebook declares", key.name),
                            key.span,
                        )
                        .label("not in `languages`")
                        .help(format!(
                            "the rulebook declares languages = [{}]; add `{}` there or use one of them",
                            declared.iter().map(|d| format!("\"{d}\"")).collect::<Vec<_>>().join(", "),
                            key.name
                        )));
                    }
                    by_lang.push((key.name.clone(), value.as_str()?.to_string()));
                }
                let default = first.and_then(|f| by_lang.iter().find(|(l, _)| l == f)).unwrap_or(&by_lang[0]).1.clone();
                Ok(Text { default, by_lang, span: node.span })
            }
            _ => Err(Diagnostic::new(
                "rulebook::text",
                format!("a text should be a string or a table of languages, not {}", node.kind_name()),
                node.span,
            )
            .label("not a text")
            .help("write \"…\", or { en = \"…\", nl = \"…\", fr = \"…\" } with one entry per language")),
        }
    }

    /// The text in `lang`, if it was given in it. `first` is the rulebook's
    /// first declared language, the one a plain string is in.
    pub fn get(&self, lang: &str, first: Option<&str>) -> Option<&str> {
        self.by_lang.iter().find(|(l, _)| l == lang || (l.is_empty() && first == Some(lang))).map(|(_, t)| t.as_str())
    }

    /// The text in `lang`, or when it is missing the default text and the
    /// language that one is in (so a caller can mark the fallback).
    pub fn in_lang<'a>(&'a self, lang: &str, first: Option<&'a str>) -> (&'a str, Option<&'a str>) {
        match self.get(lang, first) {
            Some(t) => (t, None),
            None => {
                let of_default = self.by_lang.iter().find(|(_, t)| *t == self.default).map(|(l, _)| {
                    if l.is_empty() {
                        first.unwrap_or("")
                    } else {
                        l.as_str()
                    }
                });
                (&self.default, of_default)
            }
        }
    }

    /// The languages the text is given in (`""` for a plain string).
    pub fn languages(&self) -> impl Iterator<Item = &str> {
        self.by_lang.iter().map(|(l, _)| l.as_str())
    }
}

impl std::ops::Deref for Text {
    type Target = str;
    fn deref(&self) -> &str {
        &self.default
    }
}

impl std::fmt::Display for Text {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.default)
    }
}

/// The default text (what a caller that knows no language shows).
impl From<Text> for String {
    fn from(t: Text) -> String {
        t.default
    }
}

/// Equal when the texts are, whatever the spans.
impl PartialEq for Text {
    fn eq(&self, other: &Text) -> bool {
        self.by_lang == other.by_lang
    }
}

impl Eq for Text {}

impl serde::Serialize for Text {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.default)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::input::parse_toml;
    use crate::source::SourceId;

    fn text(toml: &str, declared: &[&str]) -> Result<Text, Diagnostic> {
        let root = parse_toml(SourceId(0), toml).unwrap();
        let NodeKind::Table(t) = &root.kind else { panic!() };
        let declared: Vec<String> = declared.iter().map(|s| s.to_string()).collect();
        Text::read(&t.entries[0].1, declared.first().map(String::as_str), &declared)
    }

    #[test]
    fn a_plain_string_is_in_the_first_language() {
        let t = text("doc = \"the day\"", &["en", "nl"]).unwrap();
        assert_eq!(&*t, "the day");
        assert_eq!(t.get("en", Some("en")), Some("the day"));
        assert_eq!(t.get("nl", Some("en")), None);
        assert_eq!(t.in_lang("nl", Some("en")), ("the day", Some("en")));
    }

    #[test]
    fn a_table_gives_each_language_and_defaults_to_the_first_declared() {
        let t = text("doc = { nl = \"de dag\", en = \"the day\" }", &["en", "nl"]).unwrap();
        assert_eq!(&*t, "the day");
        assert_eq!(t.in_lang("nl", Some("en")), ("de dag", None));
    }

    #[test]
    fn an_undeclared_language_is_an_error_naming_the_declared_ones() {
        let e = text("doc = { en = \"a\", de = \"b\" }", &["en", "nl"]).unwrap_err();
        assert_eq!(e.message, "`de` is not a language this rulebook declares");
        assert!(e.help.as_deref().unwrap().contains("[\"en\", \"nl\"]"), "{:?}", e.help);
    }
}
