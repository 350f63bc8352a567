//! Versions of one rulebook: loading the other versions a rulebook lists,
//! checking they fit together, and choosing the version in force for a
//! scenario by its `date_fact`.

use super::{confine, normalize, Rulebook};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::input::Node;
use crate::source::{SourceMap, Span};
use chrono::NaiveDate;
use std::path::Path;

/// Why a version was chosen for a scenario.
#[derive(Debug, Clone)]
pub struct InForce {
    /// The fact whose date decides (`contract.concluded_on`).
    pub date_fact: String,
    /// Its date in the scenario.
    pub date: NaiveDate,
    /// The chosen version's `effective_from`.
    pub from: Option<NaiveDate>,
    /// The chosen version's `effective_until`.
    pub until: Option<NaiveDate>,
}

impl Rulebook {
    /// Loads the other versions this rulebook lists, and checks they fit together.
    pub(super) fn load_versions(
        &mut self,
        sources: &mut SourceMap,
        list: &[(String, Span)],
    ) -> Result<(), Diagnostics> {
        let mut errors = Diagnostics::default();
        let meta = &self.program.meta;
        if !list.is_empty() && meta.date_fact.is_none() {
            errors.push(
                Diagnostic::new("load::versions", "other versions need `date_fact` to choose between them", list[0].1)
                    .label("versions listed here")
                    .help("add date_fact = \"contract.concluded_on\" (the fact whose date decides) to [rulebook]"),
            );
        }
        for (rel, span) in list {
            let path = normalize(&self.path.parent().unwrap_or(Path::new(".")).join(rel));
            if let Err(d) = confine(&path, self.confined_to.as_deref(), *span, "other version", rel) {
                errors.push(d);
                continue;
            }
            let other = match Rulebook::load_one(sources, &path, self.confined_to.as_deref()) {
                Ok((rb, _)) => rb, // the main file lists every version; a version's own list is not followed
                Err(e) => {
                    errors.extend(e);
                    continue;
                }
            };
            let om = &other.program.meta;
            let problem = if om.id != meta.id {
                Some(format!("`{rel}` is rulebook `{}`, not another version of `{}`", om.id, meta.id))
            } else if om.date_fact.as_ref().map(|d| &d.0) != meta.date_fact.as_ref().map(|d| &d.0) {
                Some(format!("`{rel}` must choose its version by the same `date_fact`"))
            } else if std::iter::once(&self.program.meta)
                .chain(self.versions.iter().map(|v| &v.program.meta))
                .any(|m| overlap(m, om))
            {
                Some(format!("`{rel}` is in force on days another version also covers"))
            } else {
                None
            };
            match problem {
                Some(msg) => errors.push(Diagnostic::new("load::versions", msg, *span).label("this version").help(
                    "versions share the id and date_fact, and their effective_from/effective_until do not overlap",
                )),
                None => self.versions.push(other),
            }
        }
        errors.finish(())
    }

    /// The version in force for a scenario, and why (`None` when no `date_fact`
    /// is declared). A date no version covers is an error, with one version too.
    pub fn select(&self, root: &Node) -> Result<(&Rulebook, Option<InForce>), Diagnostic> {
        let Some((fact, _)) = &self.program.meta.date_fact else { return Ok((self, None)) };
        let mut node = Some(root);
        for part in fact.split('.') {
            node = node.and_then(|n| n.as_table().ok()).and_then(|t| t.get(part));
        }
        let Some(node) = node else {
            if self.versions.is_empty() {
                return Ok((self, None)); // one version: the missing fact is reported with the others
            }
            return Err(Diagnostic::new(
                "load::version",
                format!(
                    "the scenario does not give `{fact}`, which decides the version of `{}` in force",
                    self.program.meta.id
                ),
                Span { end: root.span.start, ..root.span },
            )
            .label("needed to choose a version")
            .help(format!("add `{fact}`")));
        };
        let date = node.as_date()?;
        if let Some((rb, why)) = self.in_force_on(date) {
            return Ok((rb, Some(why)));
        }
        let ranges: Vec<String> = std::iter::once(self)
            .chain(self.versions.iter())
            .map(|rb| {
                let m = &rb.program.meta;
                let f = m.effective_from.map_or("…".into(), |d| d.to_string());
                let u = m.effective_until.map_or("…".into(), |d| d.to_string());
                format!("{} from {f} to {u}", m.version)
            })
            .collect();
        Err(Diagnostic::new("load::version", self.not_in_force(date), node.span)
            .label("no version covers this date")
            .help(format!("versions: {}", ranges.join("; "))))
    }
}

impl Rulebook {
    /// The version in force when the date fact is `date`, and why; `None`
    /// without a `date_fact` or when no version covers the day.
    pub(crate) fn in_force_on(&self, date: NaiveDate) -> Option<(&Rulebook, InForce)> {
        let (fact, _) = self.program.meta.date_fact.as_ref()?;
        std::iter::once(self).chain(self.versions.iter()).find_map(|rb| {
            let m = &rb.program.meta;
            (m.effective_from.is_none_or(|f| f <= date) && m.effective_until.is_none_or(|u| date <= u)).then(|| {
                (rb, InForce { date_fact: fact.clone(), date, from: m.effective_from, until: m.effective_until })
            })
        })
    }

    /// "no version of … is in force on DATE", and, for a date before every
    /// version, what applied then: the `before` of the earliest version, or
    /// of this (the main) file.
    fn not_in_force(&self, date: NaiveDate) -> String {
        let mut message = format!("no version of `{}` is in force on {date}", self.program.meta.id);
        let earliest = std::iter::once(self)
            .chain(self.versions.iter())
            .filter_map(|rb| rb.program.meta.effective_from.map(|from| (from, rb)))
            .min_by_key(|(from, _)| *from);
        if let Some((first, rb)) = earliest.filter(|(first, _)| date < *first) {
            if let Some(before) = rb.program.meta.before.as_ref().or(self.program.meta.before.as_ref()) {
                message = format!("{message}; before {first}: {} ({})", before.message, before.cite.text);
            }
        }
        message
    }
}

fn overlap(a: &crate::rulebook::Meta, b: &crate::rulebook::Meta) -> bool {
    let a_from = a.effective_from.unwrap_or(NaiveDate::MIN);
    let b_from = b.effective_from.unwrap_or(NaiveDate::MIN);
    let a_until = a.effective_until.unwrap_or(NaiveDate::MAX);
    let b_until = b.effective_until.unwrap_or(NaiveDate::MAX);
    a_from <= b_until && b_from <= a_until
}

#[cfg(test)]
mod tests {
    use crate::{Rulebook, ScenarioInput, SourceMap};

    const RULEBOOK: &str = "[rulebook]\nid = \"t.versions\"\ntitle = \"test\"\nversion = \"2\"\n\
        effective_from = 2014-06-13\ndate_fact = \"contract.concluded_on\"\n\
        before = { message = \"the old act applied\", cite = \"OLD art. 1\" }\n\n\
        [sources]\nOLD = { title = \"The old act\" }\n\n\
        [facts.contract.concluded_on]\ntype = \"date\"\n\n\
        [conclusions.contract.late]\ntype = \"bool\"\n\n\
        [[rules]]\nid = \"late\"\nconcludes = \"contract.late\"\nvalue = 'contract.concluded_on > 2020-01-01'\ncite = \"OLD art. 2\"\n";

    fn refusal(text: &str, concluded_on: &str) -> String {
        let mut sources = SourceMap::new();
        let rb = match Rulebook::from_str(&mut sources, "t.toml", text) {
            Ok(rb) => rb,
            Err(e) => panic!("{}", e.0.iter().map(|d| d.one_line(&sources)).collect::<Vec<_>>().join("\n")),
        };
        let scenario = format!("[contract]\nconcluded_on = {concluded_on}\n");
        match rb.scenario(&mut sources, ScenarioInput::Text { name: "s.toml", text: &scenario }) {
            Ok(_) => String::new(),
            Err(e) => e.0.iter().map(|d| d.message.clone()).collect::<Vec<_>>().join("\n"),
        }
    }

    #[test]
    fn before_every_version_names_the_law_that_applied() {
        assert_eq!(
            refusal(RULEBOOK, "2014-06-12"),
            "no version of `t.versions` is in force on 2014-06-12; before 2014-06-13: the old act applied (OLD art. 1)"
        );
    }

    #[test]
    fn the_first_day_is_in_force_and_a_rulebook_without_before_says_only_the_date() {
        assert_eq!(refusal(RULEBOOK, "2014-06-13"), "");
        let plain = RULEBOOK.replace("before = { message = \"the old act applied\", cite = \"OLD art. 1\" }\n", "");
        assert_eq!(refusal(&plain, "2014-06-12"), "no version of `t.versions` is in force on 2014-06-12");
    }

    #[test]
    fn a_date_after_the_last_version_gets_no_note() {
        let ended = RULEBOOK
            .replace("effective_from = 2014-06-13\n", "effective_from = 2014-06-13\neffective_until = 2022-05-27\n");
        assert_eq!(refusal(&ended, "2022-05-28"), "no version of `t.versions` is in force on 2022-05-28");
    }

    #[test]
    fn the_citation_of_before_starts_with_a_source() {
        let mut sources = SourceMap::new();
        let text = RULEBOOK.replace("cite = \"OLD art. 1\" }", "cite = \"NEW art. 1\" }");
        let errors = Rulebook::from_str(&mut sources, "t.toml", &text).expect_err("an unknown source");
        assert!(errors.0.iter().any(|d| d.code == "rulebook::before"), "{errors:?}");
    }
}
