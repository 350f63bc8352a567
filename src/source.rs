//! Source files and spans. Every diagnostic points into a [`SourceMap`] entry.

use std::sync::Arc;

/// Index of a file in a [`SourceMap`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct SourceId(pub u32);

/// A byte range in one source file.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Default)]
pub struct Span {
    /// The file.
    pub src: SourceId,
    /// Byte offset of the first byte.
    pub start: u32,
    /// Byte offset after the last byte.
    pub end: u32,
}

impl Span {
    /// Bytes `start..end` of `src` (an `end` before `start` is empty).
    pub fn new(src: SourceId, start: usize, end: usize) -> Span {
        Span { src, start: start as u32, end: end.max(start) as u32 }
    }

    /// The smallest span that covers both (same file assumed).
    pub fn to(self, other: Span) -> Span {
        Span { src: self.src, start: self.start.min(other.start), end: self.end.max(other.end) }
    }

    /// The byte range.
    pub fn range(self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// One loaded file: its name as given by the user and its text.
#[derive(Debug)]
pub struct SourceFile {
    /// The name (a path as given, `--set`, a request id).
    pub name: String,
    /// The whole text.
    pub text: Arc<str>,
}

/// All files loaded in one run, so spans can be rendered later.
#[derive(Debug, Default)]
pub struct SourceMap {
    files: Vec<SourceFile>,
}

impl SourceMap {
    /// An empty map.
    pub fn new() -> SourceMap {
        SourceMap::default()
    }

    /// Adds a file; its id locates spans into it.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<Arc<str>>) -> SourceId {
        self.files.push(SourceFile { name: name.into(), text: text.into() });
        SourceId(self.files.len() as u32 - 1)
    }

    /// A file by id.
    pub fn get(&self, id: SourceId) -> &SourceFile {
        &self.files[id.0 as usize]
    }

    /// Every file in the order it was added, e.g. all the files a rulebook
    /// was loaded from when it was loaded into a map of its own (the
    /// rulebook, its calendar, its other versions): what a content
    /// revision is computed from.
    pub fn files(&self) -> impl ExactSizeIterator<Item = &SourceFile> {
        self.files.iter()
    }

    /// The text a span covers.
    pub fn snippet(&self, span: Span) -> &str {
        let text = &self.get(span.src).text;
        text.get(span.range()).unwrap_or("")
    }

    /// 1-based line and column (in characters) of a byte offset.
    pub fn line_col(&self, src: SourceId, offset: usize) -> (usize, usize) {
        let text = &self.get(src).text;
        let offset = offset.min(text.len());
        let before = &text[..floor_char_boundary(text, offset)];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let col = before[line_start..].chars().count() + 1;
        (line, col)
    }

    /// `file:line:column` of a span's start.
    pub fn location(&self, span: Span) -> String {
        let (line, col) = self.line_col(span.src, span.start as usize);
        format!("{}:{}:{}", self.get(span.src).name, line, col)
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while offset > 0 && !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_column_count_characters() {
        let mut map = SourceMap::new();
        let id = map.add("a.toml", "x = 1\ny = 'é b'\n");
        assert_eq!(map.line_col(id, 0), (1, 1));
        assert_eq!(map.line_col(id, 6), (2, 1));
        // 'b' is after a two-byte character
        let b = "x = 1\ny = 'é b'".find('b').unwrap();
        assert_eq!(map.line_col(id, b), (2, 8));
        assert_eq!(map.location(Span::new(id, 6, 7)), "a.toml:2:1");
    }

    #[test]
    fn files_come_in_the_order_they_were_added() {
        let mut map = SourceMap::new();
        map.add("a.toml", "a");
        map.add("b.toml", "b");
        let names: Vec<&str> = map.files().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a.toml", "b.toml"]);
        assert_eq!(&*map.files().nth(1).unwrap().text, "b");
    }
}
