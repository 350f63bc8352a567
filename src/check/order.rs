//! Rules and their order: each rule checked against its conclusion, the
//! exception graph (`overrides`) closed transitively, provable conflicts and
//! missing citations reported, and conclusions sorted by dependency.

use super::expr::ExprChecker;
use super::ir::{ConcId, Ir, RuleId, Slot};
use super::{name_hint, Named, Program, RuleDef};
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::rulebook::{Cite, Declarations};
use crate::source::Span;
use crate::value::Type;
use std::collections::HashMap;

pub(super) fn rules(
    prog: &mut Program,
    decls: &Declarations,
    names: &HashMap<String, Named>,
    errors: &mut Diagnostics,
) {
    let mut ids: HashMap<&str, (RuleId, Span)> = HashMap::new();
    let mut checked: Vec<Option<RuleDef>> = Vec::new();
    let source_keys: Vec<&str> = prog.sources.iter().map(|s| s.key.as_str()).collect();
    for r in &decls.rules {
        let rid = checked.len() as RuleId;
        if let Some((_, first)) = ids.get(r.id.as_str()) {
            errors.push(
                Diagnostic::new("check::duplicate-rule", format!("rule id `{}` is used twice", r.id), r.id_span)
                    .label("second rule with this id")
                    .also(*first, "first used here")
                    .help("give every rule its own id"),
            );
        }
        ids.entry(&r.id).or_insert((rid, r.id_span));
        let (cname, cspan) = &r.concludes;
        let Some(conc) = prog.conclusion_id(cname) else {
            let cands: Vec<&str> = prog.conclusions.iter().map(|c| c.name.as_str()).collect();
            errors.push(
                Diagnostic::new(
                    "check::unknown-conclusion",
                    format!("rule `{}` concludes `{cname}`, which is not declared", r.id),
                    *cspan,
                )
                .label("unknown conclusion")
                .help(name_hint(cname, &cands)),
            );
            checked.push(None);
            continue;
        };
        let cdef = &prog.conclusions[conc as usize];
        let ty = cdef.ty.clone();
        let mut ec =
            ExprChecker { prog, names, scope: cdef.per_item, calendar_selected: decls.calendar.is_some(), errors };
        let when = r.when.as_ref().map(|w| {
            let x = ec.check(w, Some(&Type::Bool));
            if !ec.prog.symbols.fits(&x.ty, &Type::Bool) {
                let t = ec.prog.symbols.type_name(&x.ty);
                ec.errors.push(
                    Diagnostic::new(
                        "check::type",
                        format!("a `when` condition must be true or false, this is {t}"),
                        x.span,
                    )
                    .label(format!("this is {t}"))
                    .help("compare it with something, e.g. `x is given` or `x > 0`"),
                );
            }
            x
        });
        let value = match &r.value {
            Some(v) => ec.check(v, Some(&ty)),
            None => {
                Ir { op: super::ir::Op::Const(crate::value::Value::Bool(false)), ty: Type::Error, span: r.value_span }
            }
        };
        if !prog.symbols.fits(&value.ty, &ty) {
            let (want, got) = (prog.symbols.type_name(&ty), prog.symbols.type_name(&value.ty));
            errors.push(
                Diagnostic::new("check::type", format!("`{cname}` is {want}, but this value is {got}"), value.span)
                    .label(format!("this is {got}"))
                    .also(prog.conclusions[conc as usize].span, format!("declared as {want} here"))
                    .help("change the value, or the conclusion's type"),
            );
        }
        let cite = match &r.cite {
            None => {
                errors.push(
                    Diagnostic::new(
                        "check::missing-cite",
                        format!("rule `{}` decides `{cname}` without citing a source", r.id),
                        r.id_span,
                    )
                    .label("no `cite`")
                    .help("add cite = \"…\" with the article and paragraph, e.g. cite = \"CRD art. 9(2)(b)\""),
                );
                String::new()
            }
            Some(cite) => {
                check_cite(cite, &source_keys, errors);
                cite.text.clone()
            }
        };
        let mut reads = Vec::new();
        if let Some(w) = &when {
            w.slots(&mut reads);
        }
        value.slots(&mut reads);
        let deep = when.as_ref().map_or(0, Ir::depth).max(value.depth()) > 64;
        prog.conclusions[conc as usize].rules.push(rid);
        checked.push(Some(RuleDef {
            id: r.id.clone(),
            span: r.id_span,
            conclusion: conc,
            when,
            value,
            because: r.because.clone(),
            cite,
            defeaters: Vec::new(),
            defeats: Vec::new(),
            local: 0,
            defeaters_mask: Vec::new(),
            defeats_mask: Vec::new(),
            deep,
            reads,
        }));
    }
    for c in &prog.conclusions {
        if c.rules.is_empty() {
            errors.push(
                Diagnostic::new("check::no-rules", format!("no rule concludes `{}`", c.name), c.span)
                    .label("declared but never decided")
                    .help(format!("add a [[rules]] entry with concludes = \"{}\", or remove the declaration", c.name)),
            );
        }
    }
    // the exception graph
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

/// The `[[checks]]` on scenarios: conditions on facts only.
pub(super) fn checks(
    prog: &Program,
    decls: &Declarations,
    names: &HashMap<String, Named>,
    errors: &mut Diagnostics,
) -> Vec<super::CheckDef> {
    let mut out = Vec::new();
    for c in &decls.checks {
        let each = match &c.each {
            None => None,
            Some((list, span)) => match names.get(list) {
                Some(Named::Fact(f)) if prog.facts[*f as usize].records.is_some() => prog.facts[*f as usize].records,
                _ => {
                    let lists: Vec<&str> =
                        prog.lists.iter().map(|l| prog.facts[l.fact as usize].name.as_str()).collect();
                    errors.push(
                        Diagnostic::new("check::each", format!("`{list}` is not a list of records"), *span)
                            .label("not a list of records")
                            .help(name_hint(list, &lists)),
                    );
                    continue;
                }
            },
        };
        let Some(require) = &c.require else { continue };
        let mut ec = ExprChecker { prog, names, scope: each, calendar_selected: decls.calendar.is_some(), errors };
        let ir = ec.check(require, Some(&Type::Bool));
        if !prog.symbols.fits(&ir.ty, &Type::Bool) {
            let t = prog.symbols.type_name(&ir.ty);
            errors.push(
                Diagnostic::new("check::type", format!("a check must be true or false, this is {t}"), ir.span)
                    .label(format!("this is {t}"))
                    .help("write a condition the facts must meet"),
            );
        }
        let mut slots = Vec::new();
        ir.slots(&mut slots);
        if let Some(s) =
            slots.iter().find(|s| matches!(s, Slot::Conclusion(_) | Slot::ItemConclusion(_) | Slot::ListConclusion(_)))
        {
            errors.push(
                Diagnostic::new(
                    "check::check-reads",
                    format!("check `{}` reads the conclusion `{}`", c.id, prog.slot_name(*s)),
                    ir.span,
                )
                .label("checks read facts only")
                .help("a check validates the scenario before anything is concluded; use facts and options"),
            );
        }
        out.push(super::CheckDef {
            id: c.id.clone(),
            each,
            require: ir,
            message: c.message.clone(),
            hint: c.hint.clone(),
        });
    }
    out
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

/// Each `;`-separated citation starts with a declared source key.
fn check_cite(cite: &Cite, keys: &[&str], errors: &mut Diagnostics) {
    if cite.text.trim().is_empty() {
        errors.push(
            Diagnostic::new("check::missing-cite", "the citation is empty", cite.span)
                .label("empty")
                .help("cite the article and paragraph, e.g. \"CRD art. 9(2)(b)\""),
        );
        return;
    }
    for ((first, span), part) in cite.parts.iter().zip(cite.text.split(';')) {
        let first = first.as_str();
        if !keys.contains(&first) {
            let help = if keys.is_empty() {
                "declare the sources under [sources], e.g. CRD = { title = \"Directive 2011/83/EU\" }".to_string()
            } else {
                format!("{} (citations start with a key of [sources])", name_hint(first, keys))
            };
            errors.push(
                Diagnostic::new(
                    "check::unknown-source",
                    format!("the citation `{}` does not start with a declared source", part.trim()),
                    *span,
                )
                .label(format!("`{first}` is not in [sources]"))
                .help(help),
            );
        }
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

/// Sorts conclusions so each comes after what it reads; reports cycles.
pub(super) fn evaluation_order(prog: &mut Program, errors: &mut Diagnostics) {
    let n = prog.conclusions.len();
    // deps[c] = (conclusion read, where)
    let mut deps: Vec<Vec<(ConcId, Span)>> = vec![Vec::new(); n];
    for r in &prog.rules {
        let mut seen = Vec::new();
        let mut visit = |ir: &Ir| collect_reads(ir, &mut seen);
        if let Some(w) = &r.when {
            visit(w);
        }
        visit(&r.value);
        for (c, span) in seen {
            if !deps[r.conclusion as usize].iter().any(|(d, _)| *d == c) {
                deps[r.conclusion as usize].push((c, span));
            }
        }
    }
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        New,
        Active,
        Done,
    }
    let mut mark = vec![Mark::New; n];
    let mut order = Vec::with_capacity(n);
    let mut reported = false;
    for start in 0..n {
        if mark[start] != Mark::New {
            continue;
        }
        // iterative DFS: (node, next dependency index)
        let mut stack: Vec<(usize, usize)> = vec![(start, 0)];
        mark[start] = Mark::Active;
        while let Some((node, i)) = stack.last_mut() {
            let node = *node;
            if let Some(&(dep, span)) = deps[node].get(*i) {
                *i += 1;
                let dep = dep as usize;
                match mark[dep] {
                    Mark::New => {
                        mark[dep] = Mark::Active;
                        stack.push((dep, 0));
                    }
                    Mark::Active if !reported => {
                        reported = true;
                        let pos = stack.iter().position(|(x, _)| *x == dep).unwrap_or(0);
                        let mut chain: Vec<&str> =
                            stack[pos..].iter().map(|(x, _)| prog.conclusions[*x].name.as_str()).collect();
                        chain.push(&prog.conclusions[dep].name);
                        let mut d = Diagnostic::new(
                            "check::cycle",
                            format!("conclusions depend on each other in a cycle: {}", chain.join(" → ")),
                            span,
                        )
                        .label(format!(
                            "`{}` reads `{}` here",
                            prog.conclusions[node].name, prog.conclusions[dep].name
                        ));
                        for w in stack[pos..].windows(2) {
                            let ((from, next), (to, _)) = (w[0], w[1]);
                            let (_, edge) = deps[from][next - 1];
                            let names = (&prog.conclusions[from].name, &prog.conclusions[to].name);
                            d = d.also(edge, format!("`{}` reads `{}` here", names.0, names.1));
                        }
                        errors.push(
                            d.help("break the cycle: one of these must be computed from facts, not from the others"),
                        );
                    }
                    _ => {}
                }
            } else {
                mark[node] = Mark::Done;
                order.push(node as ConcId);
                stack.pop();
            }
        }
    }
    prog.order = order;
}

fn collect_reads(ir: &Ir, out: &mut Vec<(ConcId, Span)>) {
    let mut slots = Vec::new();
    ir.slots(&mut slots);
    // spans: find the first load of each conclusion
    fn find(ir: &Ir, c: ConcId) -> Option<Span> {
        use super::ir::Op;
        if let Op::Load(Slot::Conclusion(x) | Slot::ItemConclusion(x) | Slot::ListConclusion(x)) = ir.op {
            if x == c {
                return Some(ir.span);
            }
        }
        let mut found = None;
        ir.each_child(&mut |ch| {
            if found.is_none() {
                found = find(ch, c);
            }
        });
        found
    }
    for s in slots {
        if let Slot::Conclusion(c) | Slot::ItemConclusion(c) | Slot::ListConclusion(c) = s {
            if !out.iter().any(|(x, _)| *x == c) {
                out.push((c, find(ir, c).unwrap_or(ir.span)));
            }
        }
    }
}
