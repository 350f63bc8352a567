//! Byte offsets of the library's spans ↔ LSP positions (line, UTF-16 code
//! unit in the line), as the protocol's default position encoding counts.

use tower_lsp_server::ls_types::{Position, Range};

/// Where each line of a text starts, to convert positions both ways.
pub struct Lines<'a> {
    text: &'a str,
    starts: Vec<usize>,
}

impl<'a> Lines<'a> {
    pub fn new(text: &'a str) -> Lines<'a> {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Lines { text, starts }
    }

    /// The position of byte `offset` (clamped to the text, floored to a character).
    pub fn position(&self, offset: usize) -> Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|s| *s <= offset) - 1;
        let character = self.text[self.starts[line]..offset].encode_utf16().count();
        Position { line: line as u32, character: character as u32 }
    }

    pub fn range(&self, start: usize, end: usize) -> Range {
        Range { start: self.position(start), end: self.position(end) }
    }

    /// The byte offset of a position (a character past the line's end is its end).
    pub fn offset(&self, p: Position) -> usize {
        let Some(&start) = self.starts.get(p.line as usize) else { return self.text.len() };
        let end = self.starts.get(p.line as usize + 1).map_or(self.text.len(), |e| e - 1);
        let mut units = 0;
        for (i, c) in self.text[start..end].char_indices() {
            if units >= p.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_utf16_code_units() {
        // é is 2 bytes and 1 UTF-16 unit; 𝄞 is 4 bytes and 2 units
        let text = "a = 1\nb = 'é𝄞 x'\n";
        let lines = Lines::new(text);
        let x = text.find('x').unwrap();
        // `b = '` is 5 units, é 1, 𝄞 2, the space 1: x is at unit 9, byte 12 of its line (5 + 2 + 4 + 1)
        assert_eq!(x - "a = 1\n".len(), 12);
        assert_eq!(lines.position(x), Position { line: 1, character: 9 });
        assert_eq!(lines.offset(Position { line: 1, character: 9 }), x);
        assert_eq!(lines.position(0), Position { line: 0, character: 0 });
        assert_eq!(lines.offset(Position { line: 9, character: 0 }), text.len());
    }
}
