//! The evaluation order: conclusions sorted so each comes after what it
//! reads, and dependency cycles reported with every edge.

use super::ir::{ConcId, Ir, Slot};
use super::Program;
use crate::diagnostic::{Diagnostic, Diagnostics};
use crate::source::Span;

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
