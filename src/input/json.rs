//! JSON text → spanned [`Node`] tree. Hand-written so that every value keeps
//! its byte span (serde_json keeps none) and errors point at the character.

use super::{Key, Node, NodeKind, Table};
use crate::diagnostic::Diagnostic;
use crate::source::{SourceId, Span};

/// Deepest nesting accepted before giving up with an error (no stack overflow).
pub const MAX_DEPTH: usize = 64;

/// Parses one JSON value filling the whole text.
pub fn parse_json(src: SourceId, text: &str) -> Result<Node, Diagnostic> {
    let mut p = Parser { src, text, pos: 0 };
    p.ws();
    let node = p.value(0).map_err(|e| *e)?;
    p.ws();
    if p.pos < text.len() {
        return Err(*p.error("unexpected text after the JSON value", "remove it, or put one scenario per line"));
    }
    Ok(node)
}

/// Errors are boxed while parsing: every value is returned through a
/// `Result`, which stays small.
type Parsed<T> = Result<T, Box<Diagnostic>>;

struct Parser<'a> {
    src: SourceId,
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn error(&self, msg: &str, help: &str) -> Box<Diagnostic> {
        let end = (self.pos + 1).min(self.text.len());
        Box::new(
            Diagnostic::new("input::json", format!("invalid JSON: {msg}"), Span::new(self.src, self.pos, end))
                .label("here")
                .help(help.to_string()),
        )
    }

    fn peek(&self) -> Option<u8> {
        self.text.as_bytes().get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn expect(&mut self, c: u8) -> Parsed<()> {
        if self.peek() == Some(c) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(&format!("expected `{}`", c as char), "check brackets, commas and quotes"))
        }
    }

    /// A comma, which must not be the last thing before `close`.
    fn comma(&mut self, close: u8) -> Parsed<()> {
        let at = self.pos;
        self.pos += 1;
        self.ws();
        if self.peek() == Some(close) {
            self.pos = at;
            return Err(self.error(
                "a comma before the closing bracket",
                "remove the comma after the last entry: JSON allows no trailing comma",
            ));
        }
        self.pos = at + 1;
        Ok(())
    }

    fn value(&mut self, depth: usize) -> Parsed<Node> {
        if depth > MAX_DEPTH {
            return Err(self.error("nested too deeply", "a scenario is at most a few levels deep"));
        }
        let start = self.pos;
        let kind = match self.peek() {
            Some(b'{') => NodeKind::Table(self.object(depth)?),
            Some(b'[') => NodeKind::Array(self.array(depth)?),
            Some(b'"') => NodeKind::Str(self.string()?),
            Some(b't') => self.word("true", NodeKind::Bool(true))?,
            Some(b'f') => self.word("false", NodeKind::Bool(false))?,
            Some(b'n') if self.word_here() == "null" => {
                return Err(self.error("`null` is not a value here", "leave an absent fact out instead of writing null"))
            }
            Some(b'-' | b'0'..=b'9') => self.number()?,
            Some(b'/') => return Err(self.error("JSON has no comments", "remove the comment")),
            Some(c) if c.is_ascii_alphabetic() => {
                let word = self.word_here();
                return Err(self.error(
                    &format!("expected a value, found `{word}`"),
                    "a value is a string (in double quotes), number, true/false, list or object",
                ));
            }
            _ => return Err(self.error("expected a value", "a value is a string, number, true/false, list or object")),
        };
        Ok(Node { kind, span: Span::new(self.src, start, self.pos) })
    }

    fn word(&mut self, w: &str, kind: NodeKind) -> Parsed<NodeKind> {
        if self.text[self.pos..].starts_with(w) {
            self.pos += w.len();
            Ok(kind)
        } else {
            let found = self.word_here();
            Err(self.error(&format!("expected a value, found `{found}`"), "did you forget quotes around a string?"))
        }
    }

    /// The run of letters, digits and `_` at the current position (at most 40 bytes).
    fn word_here(&self) -> &str {
        let rest = &self.text[self.pos..];
        let end = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
        let mut end = end.min(40);
        while !rest.is_char_boundary(end) {
            end -= 1;
        }
        &rest[..end]
    }

    fn number(&mut self) -> Parsed<NodeKind> {
        let start = self.pos;
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        let mut float = false;
        while let Some(c) = self.peek() {
            match c {
                b'0'..=b'9' => {}
                b'.' | b'e' | b'E' | b'+' | b'-' => float = true,
                _ => break,
            }
            self.pos += 1;
        }
        let raw = &self.text[start..self.pos];
        if float {
            if raw.contains(['e', 'E']) {
                self.pos = start;
                return Err(self.error(
                    "numbers with exponents are not accepted",
                    "write the number out, or as a string \"0.15\"",
                ));
            }
            return Ok(NodeKind::Float(raw.to_string()));
        }
        raw.parse().map(NodeKind::Int).map_err(|_| {
            self.pos = start;
            self.error("number too large or malformed", "use a whole number that fits in 64 bits")
        })
    }

    fn string(&mut self) -> Parsed<String> {
        self.expect(b'"')?;
        // most strings have no escape: copied whole up to the closing quote
        let rest = &self.text.as_bytes()[self.pos..];
        if let Some(n) = rest.iter().position(|&b| b == b'"' || b == b'\\' || b < 0x20) {
            if rest[n] == b'"' {
                let out = self.text[self.pos..self.pos + n].to_string();
                self.pos += n + 1;
                return Ok(out);
            }
        }
        let mut out = String::new();
        loop {
            let rest = &self.text[self.pos..];
            let Some(c) = rest.chars().next() else {
                return Err(self.error("unterminated string", "close the string with `\"`"));
            };
            self.pos += c.len_utf8();
            match c {
                '"' => return Ok(out),
                '\\' => {
                    let esc = self.peek();
                    self.pos += 1;
                    match esc {
                        Some(b'"') => out.push('"'),
                        Some(b'\\') => out.push('\\'),
                        Some(b'/') => out.push('/'),
                        Some(b'n') => out.push('\n'),
                        Some(b't') => out.push('\t'),
                        Some(b'r') => out.push('\r'),
                        Some(b'b') => out.push('\u{8}'),
                        Some(b'f') => out.push('\u{c}'),
                        Some(b'u') => {
                            let hex = self.text.get(self.pos..self.pos + 4).unwrap_or("");
                            let code = u32::from_str_radix(hex, 16).ok().and_then(char::from_u32);
                            match code {
                                Some(ch) if hex.len() == 4 => {
                                    out.push(ch);
                                    self.pos += 4;
                                }
                                _ => return Err(self.error("bad \\u escape", "write \\u followed by four hex digits")),
                            }
                        }
                        _ => {
                            self.pos -= 1;
                            return Err(self.error("unknown escape", "escape only \" \\ / b f n r t u"));
                        }
                    }
                }
                c if (c as u32) < 0x20 => {
                    self.pos -= 1;
                    return Err(self.error("control character in a string", "write it as an escape, e.g. \\n"));
                }
                c => out.push(c),
            }
        }
    }

    fn array(&mut self, depth: usize) -> Parsed<Vec<Node>> {
        self.expect(b'[')?;
        let mut items = Vec::new();
        self.ws();
        if self.peek() == Some(b']') {
            self.pos += 1;
            return Ok(items);
        }
        loop {
            self.ws();
            items.push(self.value(depth + 1)?);
            self.ws();
            match self.peek() {
                Some(b',') => self.comma(b']')?,
                Some(b']') => {
                    self.pos += 1;
                    return Ok(items);
                }
                _ => return Err(self.error("expected `,` or `]`", "separate list elements with commas")),
            }
        }
    }

    fn object(&mut self, depth: usize) -> Parsed<Table> {
        self.expect(b'{')?;
        let mut table = Table::default();
        self.ws();
        if self.peek() == Some(b'}') {
            self.pos += 1;
            return Ok(table);
        }
        loop {
            self.ws();
            let start = self.pos;
            if self.peek() != Some(b'"') {
                return Err(self.error("expected a key in quotes", "write keys as \"name\""));
            }
            let name = self.string()?;
            let span = Span::new(self.src, start, self.pos);
            if table.get(&name).is_some() {
                return Err(Box::new(
                    Diagnostic::new("input::duplicate-key", format!("the key `{name}` is given twice"), span)
                        .label("second time")
                        .help("give each key once"),
                ));
            }
            self.ws();
            self.expect(b':')?;
            self.ws();
            let v = self.value(depth + 1)?;
            table.entries.push((Key { name, span }, v));
            self.ws();
            match self.peek() {
                Some(b',') => self.comma(b'}')?,
                Some(b'}') => {
                    self.pos += 1;
                    return Ok(table);
                }
                _ => return Err(self.error("expected `,` or `}`", "separate object members with commas")),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_bare_word_is_named_and_only_null_is_called_null() {
        let message = |text: &str| parse_json(SourceId(0), text).unwrap_err().message;
        assert_eq!(message("not json"), "invalid JSON: expected a value, found `not`");
        assert_eq!(message("{\"a\": tru}"), "invalid JSON: expected a value, found `tru`");
        assert_eq!(message("{\"a\": null}"), "invalid JSON: `null` is not a value here");
        assert_eq!(message("[négatif]"), "invalid JSON: expected a value, found `négatif`");
    }

    #[test]
    fn parses_nested_values_with_spans() {
        let text = r#"{"contract": {"kind": "goods", "n": 3, "x": 0.5}, "items": [{"a": true}]}"#;
        let node = parse_json(SourceId(0), text).unwrap();
        let t = node.as_table().unwrap();
        let kind = t.get("contract").unwrap().as_table().unwrap().get("kind").unwrap();
        assert_eq!(kind.as_str().unwrap(), "goods");
        assert_eq!(&text[kind.span.range()], "\"goods\"");
        assert!(matches!(t.get("items").unwrap().kind, NodeKind::Array(_)));
    }

    #[test]
    fn rejects_bad_json_with_position() {
        let err = parse_json(SourceId(0), "{\"a\": tru}").unwrap_err();
        assert_eq!(err.span().start, 6);
        let err = parse_json(SourceId(0), "{\"a\": 1,\n}").unwrap_err();
        assert_eq!(err.span().start, 7, "points at the trailing comma");
        assert!(err.help.unwrap().contains("trailing comma"));
        let deep = "[".repeat(200);
        assert!(parse_json(SourceId(0), &deep).is_err());
        assert!(parse_json(SourceId(0), "{\"a\": 1} x").is_err());
    }
}
