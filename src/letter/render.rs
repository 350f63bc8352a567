//! A written [`Letter`] as plain text (wrapped, blanks as dotted lines) or as
//! a self-contained HTML page (escaped, blanks as empty fields to fill in).

use super::{Filled, Letter};

/// How a blank reads in plain text.
pub const BLANK: &str = "…………";

/// The letter's lines: each a list of pieces, split at the body's line breaks.
fn lines(letter: &Letter) -> Vec<Vec<Filled>> {
    let mut out: Vec<Vec<Filled>> = vec![Vec::new()];
    if let Some(of) = &letter.fallback {
        out[0].push(Filled::Text(format!("[{of}] ")));
    }
    for piece in &letter.body {
        match piece {
            Filled::Blank(_) => out.last_mut().into_iter().for_each(|l| l.push(piece.clone())),
            Filled::Text(t) => {
                for (i, part) in t.split('\n').enumerate() {
                    if i > 0 {
                        out.push(Vec::new());
                    }
                    if !part.is_empty() {
                        out.last_mut().into_iter().for_each(|l| l.push(Filled::Text(part.to_string())));
                    }
                }
            }
        }
    }
    while out.last().is_some_and(|l| is_empty(l)) {
        out.pop();
    }
    while out.first().is_some_and(|l| is_empty(l)) {
        out.remove(0);
    }
    out
}

fn is_empty(line: &[Filled]) -> bool {
    line.iter().all(|p| matches!(p, Filled::Text(t) if t.trim().is_empty()))
}

/// The letter as plain text: the title underlined, then the body with each
/// line longer than `width` characters wrapped at spaces (a continuation
/// keeps the line's indent).
pub fn text(letter: &Letter, width: usize) -> String {
    let mut out = format!("{}\n{}\n\n", letter.title, "=".repeat(letter.title.chars().count()));
    for line in lines(letter) {
        let plain: String = line
            .iter()
            .map(|p| match p {
                Filled::Text(t) => t.as_str(),
                Filled::Blank(_) => BLANK,
            })
            .collect();
        wrap(plain.trim_end(), width, &mut out);
    }
    // the no-break spaces that kept amounts and marks together are plain spaces in text
    out.replace('\u{a0}', " ")
}

/// Appends `line` wrapped at `width` characters.
fn wrap(line: &str, width: usize, out: &mut String) {
    let indent: String = line.chars().take_while(|c| *c == ' ').collect();
    let mut current = String::new();
    // a mark French sets apart with a space (`livrée ?`) stays with the word before it
    let mut words: Vec<String> = Vec::new();
    for word in line[indent.len()..].split(' ') {
        match words.last_mut() {
            Some(last)
                if matches!(word, "?" | "!" | ":" | ";" | "»") || word.starts_with(['?', '!', ':', ';', '»']) =>
            {
                last.push('\u{a0}');
                last.push_str(word);
            }
            _ => words.push(word.to_string()),
        }
    }
    for word in &words {
        let len = current.chars().count();
        if len > 0 && len + 1 + word.chars().count() > width.saturating_sub(indent.len()) {
            out.push_str(&indent);
            out.push_str(&current);
            out.push('\n');
            current.clear();
        } else if len > 0 {
            current.push(' ');
        }
        current.push_str(word);
    }
    out.push_str(&indent);
    out.push_str(&current);
    out.push('\n');
}

/// Escapes text for HTML content and attribute values.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body { font-family: Georgia, 'Times New Roman', serif; max-width: 40em; margin: 3em auto; padding: 0 1em; line-height: 1.5; color: #111; }
h1 { font-size: 1.3em; }
.blank { display: inline-block; min-width: 14em; border-bottom: 1px dotted #555; }
@media print { body { margin: 0; } }";

/// The letter as a self-contained HTML page: paragraphs at the body's blank
/// lines, line breaks kept, every text escaped, each blank an empty field.
pub fn html(letter: &Letter) -> String {
    let title = escape(&letter.title);
    let mut out = format!(
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>{title}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<article>\n<h1>{title}</h1>\n",
        escape(&letter.lang)
    );
    let mut paragraph: Vec<String> = Vec::new();
    let flush = |paragraph: &mut Vec<String>, out: &mut String| {
        if !paragraph.is_empty() {
            out.push_str(&format!("<p>{}</p>\n", paragraph.join("<br>\n")));
            paragraph.clear();
        }
    };
    for line in lines(letter) {
        if is_empty(&line) {
            flush(&mut paragraph, &mut out);
            continue;
        }
        let html: String = line
            .iter()
            .map(|p| match p {
                Filled::Text(t) => escape(t),
                Filled::Blank(name) => {
                    format!("<span class=\"blank\" title=\"{}\"></span>", escape(&name.replace('_', " ")))
                }
            })
            .collect();
        paragraph.push(html.trim_end().to_string());
    }
    flush(&mut paragraph, &mut out);
    out.push_str("</article>\n</body>\n</html>\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letter(body: Vec<Filled>) -> Letter {
        Letter { title: "Re: <refund>".into(), body, lang: "en".into(), fallback: None }
    }

    #[test]
    fn text_wraps_long_lines_and_keeps_breaks_and_indents() {
        let l = letter(vec![Filled::Text("one two three four five\n\n  six seven eight".into())]);
        assert_eq!(text(&l, 14), "Re: <refund>\n============\n\none two three\nfour five\n\n  six seven\n  eight\n");
    }

    #[test]
    fn a_french_mark_is_not_wrapped_onto_a_line_of_its_own() {
        let l = letter(vec![Filled::Text("n'est pas livrée ? Merci".into())]);
        assert_eq!(text(&l, 22).lines().nth(3), Some("n'est pas livrée ?"));
    }

    #[test]
    fn blanks_are_dotted_in_text_and_empty_fields_in_html() {
        let l =
            letter(vec![Filled::Text("Name: ".into()), Filled::Blank("full_name".into()), Filled::Text("\n".into())]);
        assert!(text(&l, 72).ends_with("Name: …………\n"));
        let page = html(&l);
        assert!(page.contains("<p>Name: <span class=\"blank\" title=\"full name\"></span></p>"), "{page}");
    }

    #[test]
    fn html_escapes_every_text_and_splits_paragraphs() {
        let l = letter(vec![Filled::Text("a < b & \"c\"\nd\n\ne".into())]);
        let page = html(&l);
        assert!(page.contains("<title>Re: &lt;refund&gt;</title>"));
        assert!(page.contains("<p>a &lt; b &amp; &quot;c&quot;<br>\nd</p>\n<p>e</p>"), "{page}");
        assert!(page.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    }

    #[test]
    fn a_fallback_body_is_marked() {
        let mut l = letter(vec![Filled::Text("Dear trader".into())]);
        l.fallback = Some("en".into());
        assert!(text(&l, 72).contains("[en] Dear trader"));
    }
}
