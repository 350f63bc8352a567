//! The language of a decision's `explanation`: a request's `"lang"`, or the
//! `Accept-Language` header (q-values honoured), among the languages the
//! rulebook version declares; a header that names none of them gets the
//! version's first language, said in `Content-Language`.

use verdict::text::Lang;
use verdict::Program;

/// The languages `prog` declares that the engine speaks, in its order; a
/// rulebook that declares none is in English.
pub fn declared(prog: &Program) -> Vec<Lang> {
    let langs: Vec<Lang> = prog.meta.languages.iter().filter_map(|l| Lang::from_code(l)).collect();
    if langs.is_empty() {
        vec![Lang::En]
    } else {
        langs
    }
}

/// The language of `declared` an `Accept-Language` header prefers most
/// (`nl-BE, fr;q=0.8, *;q=0.1`): the highest q, the first written on a tie,
/// a region ignored, `*` standing for the first declared; `None` when it
/// names none of them (or only with q=0).
pub fn preferred(header: &str, declared: &[Lang]) -> Option<Lang> {
    let mut best: Option<(f32, Lang)> = None;
    for entry in header.split(',') {
        let mut parts = entry.split(';');
        let tag = parts.next().unwrap_or("").trim().to_ascii_lowercase();
        let mut q = 1.0f32;
        for p in parts {
            if let Some(v) = p.trim().strip_prefix("q=") {
                q = v.trim().parse().unwrap_or(0.0);
            }
        }
        if q <= 0.0 {
            continue;
        }
        let primary = tag.split('-').next().unwrap_or("");
        let lang = if primary == "*" {
            declared.first().copied()
        } else {
            Lang::from_code(primary).filter(|l| declared.contains(l))
        };
        if let Some(l) = lang {
            if best.is_none_or(|(b, _)| q > b) {
                best = Some((q, l));
            }
        }
    }
    best.map(|(_, l)| l)
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: [Lang; 3] = [Lang::En, Lang::Nl, Lang::Fr];

    #[test]
    fn the_highest_q_among_the_declared_wins() {
        assert_eq!(preferred("fr;q=0.8, nl-BE", &ALL), Some(Lang::Nl));
        assert_eq!(preferred("de, fr;q=0.5, nl;q=0.4", &ALL), Some(Lang::Fr));
        assert_eq!(preferred("nl;q=0.5, fr;q=0.5", &ALL), Some(Lang::Nl));
        assert_eq!(preferred("FR-be", &ALL), Some(Lang::Fr));
    }

    #[test]
    fn undeclared_languages_q_zero_and_nonsense_are_passed_over() {
        assert_eq!(preferred("fr", &[Lang::En, Lang::Nl]), None);
        assert_eq!(preferred("nl;q=0, de", &ALL), None);
        assert_eq!(preferred("nl;q=abc", &ALL), None);
        assert_eq!(preferred("", &ALL), None);
        assert_eq!(preferred("de, *;q=0.1", &[Lang::Nl, Lang::Fr]), Some(Lang::Nl));
    }
}
