//! Help texts for an unknown name in an expression: the nearest declared
//! names with what kind of thing each is, a name written without its group,
//! an enumeration value used where a name is expected, a Dutch or French
//! `true`/`false`.

use super::ir::ListId;
use super::{Named, Program};
use crate::diagnostic::did_you_mean;
use crate::value::{EnumId, Type};
use std::collections::HashMap;

/// What `name` is, for a help text: "a fact, date", "an option, bool", …
fn kind(prog: &Program, named: &Named) -> String {
    let ty = |t: &Type| prog.symbols.type_name(t);
    match named {
        Named::Fact(f) => format!("a fact, {}", ty(&prog.facts[*f as usize].ty)),
        Named::Option(o) => format!("an option, {}", ty(&prog.options[*o as usize].ty)),
        Named::Conclusion(c) => format!("a conclusion, {}", ty(&prog.conclusions[*c as usize].ty)),
        Named::ListField(l, f) => {
            format!("a field of each element, {}", ty(&prog.lists[*l as usize].fields[*f as usize].ty))
        }
    }
}

/// How a declared name is written in this scope: `article.categorie` for
/// the field `articles.categorie` inside a per-item rule of `articles`.
fn written(prog: &Program, scope: Option<ListId>, name: &str, named: &Named) -> String {
    let Some(s) = scope else { return name.to_string() };
    let per_item = match named {
        Named::ListField(l, _) => *l == s,
        Named::Conclusion(c) => prog.conclusions[*c as usize].per_item == Some(s),
        _ => false,
    };
    let list = &prog.lists[s as usize];
    let list_name = &prog.facts[list.fact as usize].name;
    match name.strip_prefix(list_name.as_str()).and_then(|r| r.strip_prefix('.')) {
        Some(rest) if per_item => format!("{}.{rest}", list.element),
        _ => name.to_string(),
    }
}

/// The help for the unknown name `n`; `allowed` are the enumeration values
/// accepted in this place, if it expects one.
pub(crate) fn unknown_name(
    prog: &Program,
    names: &HashMap<String, Named>,
    scope: Option<ListId>,
    n: &str,
    allowed: &[&str],
) -> String {
    if let Some(b) = truth(n) {
        return format!("write `{b}`: the rule language's truth values are `true` and `false`");
    }
    let mut sorted: Vec<(&String, &Named)> = names.iter().collect();
    sorted.sort_by(|a, b| a.0.cmp(b.0));
    // an enumeration value used where a name is expected
    let holders: Vec<String> = sorted
        .iter()
        .filter(|(_, named)| match enum_of(prog, named) {
            Some(e) => prog.symbols.member(e, n).is_some(),
            None => false,
        })
        .map(|(name, named)| written(prog, scope, name, named))
        .collect();
    if let Some(holder) = holders.first() {
        let mut help = format!("`{n}` is a value of `{holder}`, not a name: write `{holder} is {n}`");
        if let Some(e) = sorted
            .iter()
            .find(|(name, named)| written(prog, scope, name, named) == *holder)
            .and_then(|(_, named)| enum_of(prog, named))
        {
            let other = prog.symbols.value_names(e).into_iter().find(|v| *v != n).unwrap_or(n);
            help.push_str(&format!("; for several values, `{holder} is one of ({other}, {n})`"));
        }
        if !allowed.is_empty() {
            help.push_str(&format!(" (values allowed here: {})", allowed.join(", ")));
        }
        return help;
    }
    let cands: Vec<(String, &Named)> =
        sorted.iter().map(|(name, named)| (written(prog, scope, name, named), *named)).collect();
    // a name written without its group: `conclu_le` for `contrat.conclu_le`
    let tail: Vec<&(String, &Named)> =
        cands.iter().filter(|(c, _)| c.rsplit('.').next() == Some(n) && c != n).collect();
    if let Some((c, named)) = tail.first() {
        return format!("did you mean `{c}`? ({}; names are written in full, with their group)", kind(prog, named));
    }
    let mut all: Vec<&str> = cands.iter().map(|(c, _)| c.as_str()).collect();
    all.extend(allowed.iter().copied());
    if let Some(near) = did_you_mean(n, all.iter().copied()) {
        return match cands.iter().find(|(c, _)| c == near) {
            Some((_, named)) => format!("did you mean `{near}`? ({})", kind(prog, named)),
            None => format!("did you mean `{near}`? (a value allowed here)"),
        };
    }
    let group = |k: &str| -> Vec<&str> {
        cands.iter().filter(|(_, named)| kind(prog, named).starts_with(k)).map(|(c, _)| c.as_str()).collect()
    };
    let mut parts = Vec::new();
    for (k, label) in [
        ("a fact", "facts"),
        ("a field", "fields of each element"),
        ("a conclusion", "conclusions"),
        ("an option", "options"),
    ] {
        let g = group(k);
        if !g.is_empty() && g.len() <= 16 {
            parts.push(format!("{label}: {}", g.join(", ")));
        } else if !g.is_empty() {
            parts.push(format!("{} {label}", g.len()));
        }
    }
    if !allowed.is_empty() {
        parts.push(format!("values allowed here: {}", allowed.join(", ")));
    }
    if parts.is_empty() {
        return "no name is declared here".to_string();
    }
    format!("names declared here — {}", parts.join("; "))
}

fn enum_of(prog: &Program, named: &Named) -> Option<EnumId> {
    let ty = match named {
        Named::Fact(f) => &prog.facts[*f as usize].ty,
        Named::Option(o) => &prog.options[*o as usize].ty,
        Named::Conclusion(c) => &prog.conclusions[*c as usize].ty,
        Named::ListField(l, f) => &prog.lists[*l as usize].fields[*f as usize].ty,
    };
    match ty {
        Type::Enum(e) => Some(*e),
        Type::List(inner) => match **inner {
            Type::Enum(e) => Some(e),
            _ => None,
        },
        _ => None,
    }
}

/// `true` or `false` for a Dutch, French or German truth word.
fn truth(n: &str) -> Option<&'static str> {
    match n.to_lowercase().as_str() {
        "vrai" | "oui" | "waar" | "ja" | "wahr" | "yes" => Some("true"),
        "faux" | "non" | "onwaar" | "nee" | "falsch" | "no" => Some("false"),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    const FACTS: &str = "[facts.order.kind]\ntype = \"one of food, book\"\ndoc = \"k\"\n[facts.order.placed_on]\ntype = \"date\"\ndoc = \"d\"\n[conclusions.order.late]\ntype = \"bool\"\ndoc = \"l\"\n";

    fn help_for(when: &str) -> String {
        let body = format!("{FACTS}[[rules]]\nid = \"r\"\nconcludes = \"order.late\"\nwhen = '{when}'\nvalue = 'true'\nbecause = \"b\"\ncite = \"LAW art. 1\"\n");
        let mut sources = crate::SourceMap::new();
        match crate::Rulebook::from_str(&mut sources, "t.toml", &crate::test_support::rulebook(&body)) {
            Ok(_) => panic!("checks: {when}"),
            Err(e) => e.0.iter().filter_map(|d| d.help.clone()).collect::<Vec<_>>().join("\n"),
        }
    }

    #[test]
    fn an_enumeration_value_used_as_a_name_suggests_is_one_of() {
        let h = help_for("order.kind is food or book");
        assert!(h.contains("`book` is a value of `order.kind`"), "{h}");
        assert!(h.contains("is one of (food, book)"), "{h}");
    }

    #[test]
    fn a_name_without_its_group_and_a_near_miss_name_their_kind() {
        assert!(help_for("placed_on is given").contains("`order.placed_on`? (a fact, date"));
        assert!(help_for("order.placed_no is given").contains("(a fact, date)"));
        assert!(help_for("vrai").contains("write `true`"));
    }
}
