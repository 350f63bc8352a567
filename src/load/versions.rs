//! Versions of one rulebook: loading the other versions a rulebook lists,
//! checking they fit together, and choosing the version in force for a
//! scenario by its `date_fact`.

use super::{normalize, Rulebook};
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
            let other = match Rulebook::load_one(sources, &path) {
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
        let candidates = std::iter::once(self).chain(self.versions.iter());
        for rb in candidates {
            let m = &rb.program.meta;
            if m.effective_from.is_none_or(|f| f <= date) && m.effective_until.is_none_or(|u| date <= u) {
                let why = InForce { date_fact: fact.clone(), date, from: m.effective_from, until: m.effective_until };
                return Ok((rb, Some(why)));
            }
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
        Err(Diagnostic::new(
            "load::version",
            format!("no version of `{}` is in force on {date}", self.program.meta.id),
            node.span,
        )
        .label("no version covers this date")
        .help(format!("versions: {}", ranges.join("; "))))
    }
}

fn overlap(a: &crate::rulebook::Meta, b: &crate::rulebook::Meta) -> bool {
    let a_from = a.effective_from.unwrap_or(NaiveDate::MIN);
    let b_from = b.effective_from.unwrap_or(NaiveDate::MIN);
    let a_until = a.effective_until.unwrap_or(NaiveDate::MAX);
    let b_until = b.effective_until.unwrap_or(NaiveDate::MAX);
    a_from <= b_until && b_from <= a_until
}
