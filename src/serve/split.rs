//! A JSON text cut into its top-level parts without building a tree: a
//! request object into its members (each key with its value's text), a batch
//! array into its elements' byte ranges. The structure between and around
//! the parts is checked here (whitespace, quotes, brackets that match,
//! commas, colons); what is inside a part (its numbers, its escapes, its
//! keys) is checked by whatever reads the part. `None` means "not cut": the
//! caller then reads the text the thorough way, which reports any mistake.

use std::ops::Range;

/// How deep brackets may nest inside one part; deeper text is not cut.
const MAX_DEPTH: usize = 64;

/// The members of a JSON object, in order: each key (one without escapes)
/// and its value's text, trimmed; `None` if `text` is not one object, or a
/// key has an escape.
pub fn members(text: &str) -> Option<Vec<(&str, &str)>> {
    let b = text.as_bytes();
    let mut i = space(b, 0);
    if b.get(i) != Some(&b'{') {
        return None;
    }
    i = space(b, i + 1);
    let mut out = Vec::with_capacity(4);
    if b.get(i) == Some(&b'}') {
        return (space(b, i + 1) == b.len()).then_some(out);
    }
    loop {
        if b.get(i) != Some(&b'"') {
            return None;
        }
        let end = string_end(b, i)?;
        let key = &text[i + 1..end - 1];
        if key.contains('\\') {
            return None;
        }
        i = space(b, end);
        if b.get(i) != Some(&b':') {
            return None;
        }
        let start = space(b, i + 1);
        let end = value_end(b, start)?;
        out.push((key, &text[start..end]));
        i = space(b, end);
        match b.get(i) {
            Some(b',') => i = space(b, i + 1),
            Some(b'}') => return (space(b, i + 1) == b.len()).then_some(out),
            _ => return None,
        }
    }
}

/// The byte ranges of a JSON array's elements, trimmed; `None` if `text` is
/// not one array.
pub fn elements(text: &str) -> Option<Vec<Range<usize>>> {
    let b = text.as_bytes();
    let mut i = space(b, 0);
    if b.get(i) != Some(&b'[') {
        return None;
    }
    i = space(b, i + 1);
    let mut out = Vec::new();
    if b.get(i) == Some(&b']') {
        return (space(b, i + 1) == b.len()).then_some(out);
    }
    loop {
        let end = value_end(b, i)?;
        out.push(i..end);
        i = space(b, end);
        match b.get(i) {
            Some(b',') => i = space(b, i + 1),
            Some(b']') => return (space(b, i + 1) == b.len()).then_some(out),
            _ => return None,
        }
    }
}

/// The first byte at or after `i` that is not JSON whitespace.
fn space(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t' | b'\n' | b'\r')) {
        i += 1;
    }
    i
}

/// Just after the string that opens at `b[i]` (a quote).
fn string_end(b: &[u8], mut i: usize) -> Option<usize> {
    i += 1;
    loop {
        match b.get(i)? {
            b'"' => return Some(i + 1),
            b'\\' => i += 2,
            _ => i += 1,
        }
    }
}

/// Just after the value that starts at `b[i]`: a string, an object or array
/// whose brackets match, or a run of other characters (a number, `true`,
/// `false`, `null`, or a mistake its reader will find).
fn value_end(b: &[u8], mut i: usize) -> Option<usize> {
    let mut open = [0u8; MAX_DEPTH];
    let mut depth = 0;
    loop {
        match *b.get(i)? {
            b'"' => i = string_end(b, i)?,
            c @ (b'{' | b'[') => {
                *open.get_mut(depth)? = if c == b'{' { b'}' } else { b']' };
                depth += 1;
                i += 1;
            }
            c @ (b'}' | b']') => {
                if depth == 0 || open[depth - 1] != c {
                    return None;
                }
                depth -= 1;
                i += 1;
            }
            _ if depth > 0 => i += 1,
            _ => {
                let start = i;
                while !matches!(b.get(i), None | Some(b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r' | b'"')) {
                    i += 1;
                }
                // a scalar part: nothing of it, or a quote right after it, is a mistake
                return (i > start && b.get(i) != Some(&b'"')).then_some(i);
            }
        }
        if depth == 0 {
            return Some(i);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::value::RawValue;

    /// What serde_json cuts the same text into, for comparison.
    fn serde_members(text: &str) -> Option<Vec<(String, String)>> {
        let raw: std::collections::BTreeMap<String, &RawValue> = serde_json::from_str(text).ok()?;
        Some(raw.into_iter().map(|(k, v)| (k, v.get().to_string())).collect())
    }

    #[test]
    fn a_request_is_cut_into_its_members_as_serde_cuts_it() {
        for text in [
            r#"{"scenario": {"contract": {"kind": "goods"}, "items": [{"name": "a \"b\" ]}"}]}, "trace": false}"#,
            " {\n\t\"as_of\" : \"2026-03-02\" ,\"options\":{}}\r\n",
            r#"{"a": [1, [2, {"b": [3]}]], "c": null, "d": -1.5e3, "e": "\\", "f": true}"#,
            "{}",
        ] {
            let mut ours: Vec<(String, String)> =
                members(text).unwrap().into_iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
            ours.sort();
            assert_eq!(Some(ours), serde_members(text), "{text}");
        }
    }

    #[test]
    fn what_is_not_one_object_is_not_cut() {
        for text in [
            "",
            "[]",
            "{",
            r#"{"a": 1"#,
            r#"{"a": 1,}"#,
            r#"{"a" 1}"#,
            r#"{"a": 1 "b": 2}"#,
            r#"{"a": 1} x"#,
            r#"{"a": {"b": [1}]}"#,
            r#"{"a": ]}"#,
            r#"{"a": }"#,
            r#"{"a": 1"b"}"#,
            r#"{"a\u0062": 1}"#,
            r#"{"a": "b}"#,
            r#"{a: 1}"#,
        ] {
            assert_eq!(members(text), None, "{text}");
        }
        let deep = format!(r#"{{"a": {}1{}}}"#, "[".repeat(MAX_DEPTH + 1), "]".repeat(MAX_DEPTH + 1));
        assert_eq!(members(&deep), None);
        let deep_enough = format!(r#"{{"a": {}1{}}}"#, "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert_eq!(members(&deep_enough).map(|m| m.len()), Some(1));
    }

    #[test]
    fn a_batch_is_cut_into_its_elements_as_serde_cuts_it() {
        for text in ["[]", " [ ] ", r#"[{"scenario": {}}, {"a": "]"} ,1, "x" , [2]]"#, "[\n{\"a\": 1}\n]\n"] {
            let ours: Vec<&str> = elements(text).unwrap().into_iter().map(|r| &text[r]).collect();
            let theirs: Vec<&RawValue> = serde_json::from_str(text).unwrap();
            assert_eq!(ours, theirs.iter().map(|r| r.get()).collect::<Vec<_>>(), "{text}");
        }
        for text in ["", "{}", "[", "[1,]", "[,1]", "[1 2]", "[{}}]", "[{}] [", r#"["a]"#] {
            assert_eq!(elements(text), None, "{text}");
        }
    }
}
