//! `verdict replay`'s report: text for people, JSON for tools.

use super::RulebookSet;
use super::{Change, Decision, Found, Shown, Unreadable};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::fmt::Write as _;

pub(super) struct Report<'a> {
    pub log: &'a str,
    pub dir: &'a std::path::Path,
    pub set: &'a RulebookSet,
    pub decisions: &'a [Decision],
    pub unreadable: &'a [Unreadable],
}

fn show(s: &Shown) -> String {
    match (s.state, &s.value) {
        ("value", Value::String(x)) => x.clone(),
        ("value", v) => v.to_string(),
        ("cannot decide", v) => format!(
            "cannot decide (needs {})",
            v.as_array().map(|a| a.iter().filter_map(Value::as_str).collect::<Vec<_>>().join(", ")).unwrap_or_default()
        ),
        (state, _) => state.to_string(),
    }
}

/// A revision, shortened for text output.
fn short(revision: &str) -> &str {
    revision.get(..12).unwrap_or(revision)
}

impl Report<'_> {
    fn changes(&self) -> impl Iterator<Item = (&Decision, &Change)> {
        self.decisions.iter().flat_map(|d| match &d.found {
            Found::Replayed { changes, .. } => changes.iter().map(move |c| (d, c)).collect::<Vec<_>>(),
            Found::NotReplayed(_) => Vec::new(),
        })
    }

    fn by_rule(&self) -> Vec<(String, usize)> {
        let mut counts: BTreeMap<String, usize> = BTreeMap::new();
        for (_, c) in self.changes() {
            *counts.entry(c.responsible.clone()).or_default() += 1;
        }
        let mut v: Vec<(String, usize)> = counts.into_iter().collect();
        v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        v
    }

    /// Logged revisions DIR no longer holds: (rulebook, revision) → decisions.
    fn revisions_gone(&self) -> BTreeMap<(&str, &str), Vec<&Decision>> {
        let mut gone: BTreeMap<(&str, &str), Vec<&Decision>> = BTreeMap::new();
        for d in self.decisions {
            if d.revision_now.as_deref() != Some(d.logged.revision.as_str()) {
                gone.entry((&d.logged.rulebook, &d.logged.revision)).or_default().push(d);
            }
        }
        gone
    }

    pub fn text(&self) -> String {
        let mut out = String::new();
        let changed: Vec<&Decision> = self
            .decisions
            .iter()
            .filter(|d| !matches!(&d.found, Found::Replayed { changes, .. } if changes.is_empty()))
            .collect();
        let verdicts = self.changes().count();
        let _ = writeln!(out, "replay of {} against {}", self.log, self.dir.display());
        let n = |count: usize, what: &str| format!("{count} {what}{}", if count == 1 { "" } else { "s" });
        let _ = writeln!(
            out,
            "{} replayed, {} with changes, {} changed, {} unreadable\n",
            n(self.decisions.len(), "decision"),
            changed.len(),
            n(verdicts, "verdict"),
            n(self.unreadable.len(), "line"),
        );
        for e in &self.set.errors {
            let _ =
                writeln!(out, "warning: {} did not load: {}", e.path, e.diagnostics.first().map_or("", |d| &d.message));
        }
        for u in self.unreadable {
            let _ = writeln!(out, "error: {}: {}\n  help: {}", u.location, u.message, u.hint);
        }
        if verdicts > 0 {
            let _ = writeln!(out, "By rule");
            for (rule, n) in self.by_rule() {
                let _ = writeln!(out, "  rule `{rule}` changed {n} verdict{}", if n == 1 { "" } else { "s" });
            }
            let _ = writeln!(out);
        }
        for d in changed {
            let l = &d.logged;
            let _ = writeln!(
                out,
                "decision {} (line {}, {}): {} {} revision {}",
                l.decision_id,
                l.line,
                l.time,
                l.rulebook,
                l.version,
                short(&l.revision)
            );
            match &d.found {
                Found::NotReplayed(why) => {
                    let _ = writeln!(out, "  not replayed: {why}");
                }
                Found::Replayed { now, changes } => {
                    if now.1 != l.version {
                        let _ = writeln!(out, "  now decided by version {}", now.1);
                    }
                    for c in changes {
                        let item = c.item.map(|i| format!("[{i}]")).unwrap_or_default();
                        let _ = writeln!(out, "  {}{item}: {} → {}", c.conclusion, show(&c.old), show(&c.new));
                        let rule =
                            c.rule.as_ref().map_or("no rule".to_string(), |(id, cite)| format!("rule `{id}` ({cite})"));
                        let _ = writeln!(out, "    now: {rule}");
                        if c.rule.as_ref().is_none_or(|r| r.0 != c.responsible) {
                            let _ = writeln!(out, "    responsible: rule `{}`", c.responsible);
                        }
                        for (conclusion, rule) in &c.via {
                            let _ = writeln!(out, "      or, through `{conclusion}` (not logged), rule `{rule}`");
                        }
                    }
                }
            }
            let _ = writeln!(out);
        }
        let gone = self.revisions_gone();
        if !gone.is_empty() {
            let _ = writeln!(out, "Revisions no longer in {}", self.dir.display());
            for ((rulebook, revision), ds) in &gone {
                let now =
                    ds[0].revision_now.as_deref().map_or("not served".to_string(), |r| format!("now {}", short(r)));
                let (first, last) = (&ds[0].logged.time, &ds[ds.len() - 1].logged.time);
                let n = ds.len();
                let _ = writeln!(
                    out,
                    "  {rulebook} revision {} ({now}): {n} decision{}, {first} to {last}",
                    short(revision),
                    if n == 1 { "" } else { "s" }
                );
            }
        }
        out
    }

    pub fn json(&self) -> Value {
        let shown = |s: &Shown| json!({"state": s.state, "value": s.value});
        let changes: Vec<Value> = self
            .changes()
            .map(|(d, c)| {
                json!({
                    "decision_id": d.logged.decision_id,
                    "line": d.logged.line,
                    "time": d.logged.time,
                    "rulebook": d.logged.rulebook,
                    "version": d.logged.version,
                    "conclusion": c.conclusion,
                    "item": c.item,
                    "old": shown(&c.old),
                    "new": {"state": c.new.state, "value": c.new.value,
                            "rule": c.rule.as_ref().map(|r| &r.0), "cite": c.rule.as_ref().map(|r| &r.1)},
                    "responsible_rule": c.responsible,
                    "through_unlogged": c.via.iter().map(|(n, r)| json!({"conclusion": n, "rule": r})).collect::<Vec<_>>(),
                })
            })
            .collect();
        let not_replayed: Vec<Value> = self
            .decisions
            .iter()
            .filter_map(|d| match &d.found {
                Found::NotReplayed(why) => {
                    Some(json!({"decision_id": d.logged.decision_id, "line": d.logged.line, "reason": why}))
                }
                Found::Replayed { .. } => None,
            })
            .collect();
        let gone: Vec<Value> = self
            .revisions_gone()
            .into_iter()
            .map(|((rulebook, revision), ds)| {
                json!({
                    "rulebook": rulebook,
                    "revision": revision,
                    "revision_now": ds[0].revision_now,
                    "decisions": ds.len(),
                    "first": ds[0].logged.time,
                    "last": ds[ds.len() - 1].logged.time,
                })
            })
            .collect();
        let unreadable: Vec<Value> = self
            .unreadable
            .iter()
            .map(|u| json!({"location": u.location, "message": u.message, "hint": u.hint}))
            .collect();
        json!({
            "log": self.log,
            "rulebooks": self.dir.display().to_string(),
            "decisions": self.decisions.len(),
            "by_rule": self.by_rule().into_iter().map(|(r, n)| json!({"rule": r, "changes": n})).collect::<Vec<_>>(),
            "changes": changes,
            "not_replayed": not_replayed,
            "revisions_gone": gone,
            "unreadable": unreadable,
        })
    }
}
