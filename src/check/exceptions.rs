//! The exception graph: each rule's `overrides` resolved to rules of the
//! same conclusion, closed transitively, cycles reported with every edge,
//! bit sets for evaluation, and provable conflicts between rules that
//! neither overrides.

use super::ir::{Ir, RuleId};
use super::rules::Typed;
use super::{name_hint, Program, RuleDef};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rulebook::Declarations;
use crate::source::Span;
use crate::value::Type;

/// Links the typed rules by their `overrides` and puts them in the program.
pub(super) fn link(prog: &mut Program, decls: &Declarations, typed: Typed, errors: &mut Diagnostics) {
    let Typed { rules: checked, ids } = typed;
    let n = checked.len();
    let mut overrides: Vec<Vec<RuleId>> = vec![Vec::new(); n];
    let mut edge_spans: Vec<Vec<Span>> = vec![Vec::new(); n];
    for (i, r) in decls.rules.iter().enumerate() {
        for (target, span) in &r.overrides {
            match ids.get(target.as_str()) {
                None => {
                    let cands: Vec<&str> = ids.keys().copied().collect();
                    errors.push(
                        Diagnostic::new(
                            "check::unknown-rule",
                            format!("rule `{}` overrides `{target}`, which does not exist", r.id),
                            *span,
                        )
                        .label("unknown rule id")
                        .help(name_hint(target, &cands)),
                    );
                }
                Some((t, tspan)) => {
                    let (a, b) = (checked[i].as_ref(), checked[*t as usize].as_ref());
                    if *t as usize == i {
                        errors.push(
                            Diagnostic::new("check::self-override", format!("rule `{}` overrides itself", r.id), *span)
                                .label("same rule")
                                .help("name the rule this one is an exception to"),
                        );
                    } else if let (Some(a), Some(b)) = (a, b) {
                        if a.conclusion != b.conclusion {
                            errors.push(
                                Diagnostic::new(
                                    "check::override-target",
                                    format!("rule `{}` overrides `{target}`, which decides another conclusion", r.id),
                                    *span,
                                )
                                .label(format!(
                                    "`{target}` concludes `{}`",
                                    prog.conclusions[b.conclusion as usize].name
                                ))
                                .also(*tspan, "that rule is here")
                                .help("an exception overrides rules for the same conclusion"),
                            );
                        } else {
                            overrides[i].push(*t);
                            edge_spans[i].push(*span);
                        }
                    }
                }
            }
        }
    }
    // transitive closure: defeats[i] = everything i overrides through a chain
    let mut defeats: Vec<Vec<RuleId>> = vec![Vec::new(); n];
    for (i, out) in defeats.iter_mut().enumerate() {
        let mut stack = overrides[i].clone();
        while let Some(t) = stack.pop() {
            if t as usize == i {
                report_override_cycle(i, &overrides, &edge_spans, decls, errors);
                break;
            }
            if !out.contains(&t) {
                out.push(t);
                stack.extend(overrides[t as usize].iter().copied());
            }
        }
    }
    let mut rules: Vec<RuleDef> = Vec::new();
    for (i, r) in checked.into_iter().enumerate() {
        if let Some(mut r) = r {
            r.defeats = defeats[i].clone();
            r.defeaters = (0..n).filter(|j| defeats[*j].contains(&(i as RuleId))).map(|j| j as RuleId).collect();
            rules.push(r);
        } else {
            // keep ids aligned; an unusable rule has been reported already
            rules.push(placeholder(i));
        }
    }
    prog.rules = rules;
    local_masks(prog);
    conflicts(prog, decls, errors);
}

/// Each rule's place among its conclusion's rules, and its exception lists as
/// bit sets over those places, so evaluation tests them without searching.
fn local_masks(prog: &mut Program) {
    for c in &prog.conclusions {
        let words = c.rules.len().div_ceil(64);
        let place = |r: RuleId| c.rules.iter().position(|x| *x == r);
        let mask = |list: &[RuleId]| {
            let mut m = vec![0u64; words];
            for k in list.iter().filter_map(|r| place(*r)) {
                m[k / 64] |= 1 << (k % 64);
            }
            m
        };
        for (k, &r) in c.rules.iter().enumerate() {
            let rule = &prog.rules[r as usize];
            let (defeaters, defeats) = (mask(&rule.defeaters), mask(&rule.defeats));
            let rule = &mut prog.rules[r as usize];
            rule.local = k as u32;
            rule.defeaters_mask = defeaters;
            rule.defeats_mask = defeats;
        }
    }
}

/// Reports an override cycle through rule `start` once (from its lowest rule),
/// with the chain and every `overrides` that forms it.
fn report_override_cycle(
    start: usize,
    overrides: &[Vec<RuleId>],
    edge_spans: &[Vec<Span>],
    decls: &Declarations,
    errors: &mut Diagnostics,
) {
    // breadth-first search back to `start`, remembering each rule's predecessor
    let mut parent: Vec<Option<(usize, usize)>> = vec![None; overrides.len()];
    let mut queue = std::collections::VecDeque::from([start]);
    let mut end = None;
    while let Some(x) = queue.pop_front() {
        for (k, &t) in overrides[x].iter().enumerate() {
            let t = t as usize;
            if t == start {
                end = Some((x, k));
                queue.clear();
                break;
            }
            if parent[t].is_none() {
                parent[t] = Some((x, k));
                queue.push_back(t);
            }
        }
    }
    let Some(mut edge) = end else { return };
    let mut edges = vec![edge];
    while edge.0 != start {
        let Some(p) = parent[edge.0] else { return };
        edge = p;
        edges.push(edge);
    }
    edges.reverse();
    if edges.iter().any(|(x, _)| *x < start) {
        return; // reported from its lowest rule
    }
    let mut chain: Vec<&str> = edges.iter().map(|(x, _)| decls.rules[*x].id.as_str()).collect();
    chain.push(&decls.rules[start].id);
    let (first, k) = edges[0];
    let mut d = Diagnostic::new(
        "check::override-cycle",
        format!("rules override each other in a cycle: {}", chain.join(" → ")),
        edge_spans[first][k],
    )
    .label(format!("`{}` overrides `{}`", decls.rules[first].id, decls.rules[overrides[first][k] as usize].id));
    for &(x, k) in &edges[1..] {
        let target = &decls.rules[overrides[x][k] as usize].id;
        d = d.also(edge_spans[x][k], format!("`{}` overrides `{target}`", decls.rules[x].id));
    }
    errors.push(d.help("exceptions must form a tree: remove one of these `overrides`"));
}

fn placeholder(i: usize) -> RuleDef {
    RuleDef {
        id: format!("#{i}"),
        span: Span::default(),
        conclusion: 0,
        when: None,
        value: Ir {
            op: super::ir::Op::Const(crate::value::Value::Bool(false)),
            ty: Type::Error,
            span: Span::default(),
        },
        because: None,
        cite: String::new(),
        defeaters: Vec::new(),
        defeats: Vec::new(),
        local: 0,
        defeaters_mask: Vec::new(),
        defeats_mask: Vec::new(),
        reads: Vec::new(),
        deep: false,
    }
}

/// Two rules for one conclusion that both always apply, or apply under the
/// same condition, with no override between them.
fn conflicts(prog: &Program, decls: &Declarations, errors: &mut Diagnostics) {
    for c in &prog.conclusions {
        for (x, &a) in c.rules.iter().enumerate() {
            for &b in &c.rules[x + 1..] {
                let (ra, rb) = (&prog.rules[a as usize], &prog.rules[b as usize]);
                if ra.defeats.contains(&b) || rb.defeats.contains(&a) {
                    continue;
                }
                if decls.rules[a as usize].broken || decls.rules[b as usize].broken {
                    continue;
                }
                let wa = decls.rules[a as usize].when_text.as_deref();
                let wb = decls.rules[b as usize].when_text.as_deref();
                let same = match (&wa, &wb) {
                    (None, None) => true,
                    (Some(x), Some(y)) => normalize(x) == normalize(y),
                    _ => false,
                };
                if same {
                    let why = if wa.is_none() { "both always apply" } else { "both apply under the same condition" };
                    errors.push(
                        Diagnostic::new("check::conflict", format!("rules `{}` and `{}` both decide `{}`: {why}", ra.id, rb.id, c.name), rb.span)
                            .label("this rule")
                            .also(ra.span, "conflicts with this one")
                            .help(format!("make one an exception: add overrides = \"{}\" to `{}`, or give them conditions that exclude each other", ra.id, rb.id)),
                    );
                }
            }
        }
    }
}

fn normalize(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use crate::test_support::{fails_with, load};

    const HEAD: &str = r#"
[facts.order.total]
type = "money"
doc = "Total."

[conclusions.order.fee]
type = "money"
doc = "The fee."
"#;

    fn rule(id: &str, when: Option<&str>, value: &str, overrides: Option<&str>) -> String {
        let mut r = format!(
            "\n[[rules]]\nid = \"{id}\"\nconcludes = \"order.fee\"\nvalue = '{value}'\ncite = \"LAW art. 1\"\n"
        );
        if let Some(w) = when {
            r.push_str(&format!("when = '{w}'\n"));
        }
        if let Some(o) = overrides {
            r.push_str(&format!("overrides = \"{o}\"\n"));
        }
        r
    }

    #[test]
    fn two_rules_that_always_apply_conflict() {
        let body = format!("{HEAD}{}{}", rule("a", None, "EUR 1.00", None), rule("b", None, "EUR 2.00", None));
        fails_with(&body, "check::conflict", "rules `a` and `b` both decide `order.fee`: both always apply");
    }

    #[test]
    fn the_same_condition_written_with_other_spaces_conflicts() {
        let body = format!(
            "{HEAD}{}{}",
            rule("a", Some("order.total > EUR 10.00"), "EUR 1.00", None),
            rule("b", Some("order.total  >  EUR 10.00"), "EUR 2.00", None)
        );
        fails_with(&body, "check::conflict", "both apply under the same condition");
    }

    #[test]
    fn an_override_settles_the_conflict_and_is_closed_transitively() {
        let body = format!(
            "{HEAD}{}{}{}",
            rule("a", None, "EUR 1.00", None),
            rule("b", Some("order.total > EUR 10.00"), "EUR 2.00", Some("a")),
            rule("c", Some("order.total > EUR 100.00"), "EUR 3.00", Some("b"))
        );
        let (rb, _) = load(&body);
        let c = &rb.program.rules[rb.program.rule_id("c").unwrap() as usize];
        // c overrides b directly and a through b
        assert_eq!(c.defeats.len(), 2);
        let a = &rb.program.rules[rb.program.rule_id("a").unwrap() as usize];
        assert_eq!(a.defeaters.len(), 2);
    }

    #[test]
    fn overrides_in_a_cycle_are_refused() {
        let body = format!(
            "{HEAD}{}{}",
            rule("a", Some("order.total > EUR 1.00"), "EUR 1.00", Some("b")),
            rule("b", Some("order.total > EUR 2.00"), "EUR 2.00", Some("a"))
        );
        fails_with(&body, "check::override-cycle", "rules override each other in a cycle: a → b → a");
    }

    #[test]
    fn an_override_names_an_existing_rule() {
        let body = format!("{HEAD}{}", rule("a", None, "EUR 1.00", Some("nope")));
        fails_with(&body, "check::unknown-rule", "rule `a` overrides `nope`, which does not exist");
    }
}
