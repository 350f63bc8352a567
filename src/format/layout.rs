//! The TOML side of the layout, on a `toml_edit` document: only the
//! whitespace around comments, keys and table headers changes; comments,
//! keys, values and their order are kept.

use super::Step;
use toml_edit::{DocumentMut, Item, RawString, Table, Value};

/// Replaces the string value at `path` by the TOML string written `repr`,
/// keeping the whitespace and comment around it. A path that does not lead
/// to a string is left alone.
pub(super) fn replace_string(root: &mut Item, path: &[Step], repr: &str) {
    let mut at = root;
    for step in path {
        let next = match step {
            Step::Key(k) => at.get_mut(k.as_str()),
            Step::Index(i) => at.get_mut(*i),
        };
        match next {
            Some(item) => at = item,
            None => return,
        }
    }
    let Item::Value(old @ Value::String(_)) = at else { return };
    let Ok(mut new) = repr.parse::<Value>() else { return };
    if !new.is_str() {
        return;
    }
    *new.decor_mut() = old.decor().clone();
    *old = new;
}

/// One blank line before each table header (but those inside an entry of
/// an array of tables), no blank lines doubled, no
/// trailing spaces after comments, one newline at the end of the file.
pub(super) fn regular_blank_lines(doc: &mut DocumentMut) {
    tables(doc.as_table_mut(), true, false);
    let trailing = doc.trailing().as_str().unwrap_or("").to_string();
    let end = collapse(&trailing);
    doc.set_trailing(if end.trim().is_empty() { String::new() } else { format!("{}\n", end.trim_end()) });
}

/// `blank`: the table's header gets a blank line before it; `in_entry`: the
/// table is an entry of an array of tables or inside one, where sub-tables
/// (the `[tests.expect]` of a `[[tests]]`) stay close to their entry.
fn tables(t: &mut Table, blank: bool, in_entry: bool) {
    if !t.is_dotted() {
        let prefix = raw(t.decor().prefix());
        let mut fixed = collapse(&prefix);
        if !fixed.starts_with('\n') && blank {
            fixed.insert(0, '\n');
        }
        t.decor_mut().set_prefix(fixed);
    }
    for (mut key, item) in t.iter_mut() {
        let prefix = raw(key.leaf_decor().prefix());
        if prefix.contains('\n') || prefix.contains('#') {
            key.leaf_decor_mut().set_prefix(collapse(&prefix));
        }
        match item {
            Item::Table(sub) => tables(sub, !in_entry, in_entry),
            Item::ArrayOfTables(list) => list.iter_mut().for_each(|entry| tables(entry, !in_entry, true)),
            _ => {}
        }
    }
}

fn raw(s: Option<&RawString>) -> String {
    s.and_then(RawString::as_str).unwrap_or("").to_string()
}

/// Whitespace and comments with every line's trailing spaces removed and
/// runs of blank lines made one; the last line (the indentation of what
/// follows) is kept.
fn collapse(decor: &str) -> String {
    let lines: Vec<&str> = decor.split('\n').collect();
    let mut out: Vec<&str> = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if i + 1 == lines.len() {
            out.push(if line.trim().is_empty() { line } else { line.trim_end() });
            break;
        }
        let line = line.trim_end();
        if line.is_empty() && out.last().is_some_and(|l: &&str| l.is_empty()) {
            continue;
        }
        out.push(line);
    }
    out.join("\n")
}

#[cfg(test)]
mod tests {
    use super::collapse;

    #[test]
    fn blank_lines_collapse_and_comments_lose_trailing_spaces() {
        assert_eq!(collapse("\n\n\n# a   \n\n\n# b\n"), "\n# a\n\n# b\n");
        assert_eq!(collapse("\n   "), "\n   ");
    }
}
