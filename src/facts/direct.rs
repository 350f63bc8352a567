//! A JSON line read straight into fact slots, without the spanned tree: the
//! fast way in for `--batch` and the embedders. It reads only what it can
//! read exactly as [`Facts::from_node`] would — the same values, defaults and
//! spans — and gives up (`None`) at anything else: a mistake of any kind, an
//! escape in a string, a key given twice, a type it does not read in place
//! (timelines). The caller then reads the line the slow way, which finds
//! and locates the mistake. Accepting less is safe; accepting more, or
//! reading a value differently, would be a wrong verdict: a property test
//! compares the two readers on generated lines of every shipped rulebook.

use super::{Facts, Record};
use crate::check::ir::{FactId, ListId};
use crate::check::{FactDef, Member, Program, AS_OF_FACT};
use crate::input::{parse_date, MAX_DEPTH};
use crate::source::{SourceId, Span};
use crate::value::{date_in_range, read_decimal, Type, Value, MAX_LIST};
use chrono::NaiveDate;
use std::sync::Arc;

/// Reads a JSON line (one scenario object) against `prog`'s facts, or gives
/// up; spans are byte offsets into `text` in source `SourceId(0)`, as
/// `parse_json(SourceId(0), text)` gives them. With `as_of`, the fact
/// [`AS_OF_FACT`] is that day whatever the line says, as
/// `Rulebook::scenario_as_of` puts it. `[[checks]]` are not run. The facts
/// are read into the buffers of `spare` (a previous line's facts, or
/// `Facts::default()`).
pub(crate) fn read_json_line(prog: &Program, text: &str, as_of: Option<NaiveDate>, spare: Facts) -> Option<Facts> {
    let mut r = Reader::new(prog, text, spare.reset(prog));
    r.object_of_facts(0, 0)?;
    r.ws();
    if r.pos != r.b.len() {
        return None;
    }
    if let Some(day) = as_of {
        let id = *prog.names.facts.get(AS_OF_FACT)? as usize;
        if prog.facts[id].ty != Type::Date || !date_in_range(day) {
            return None;
        }
        r.facts.values[id] = Some(Value::Date(day));
        r.facts.spans[id] = Some(Span::new(SourceId(0), 0, "YYYY-MM-DD".len()));
    }
    r.finish()
}

/// The date a JSON line gives for the fact `path` (`contract.concluded_on`),
/// found without reading the other facts (to choose the version in force
/// before the line is read); `None` when the line does not give one plainly
/// (the reader then finds out why).
pub(crate) fn find_date(prog: &Program, text: &str, path: &str) -> Option<NaiveDate> {
    Reader::new(prog, text, Facts::default()).find_date(&mut path.split('.'), 0)
}

struct Reader<'a> {
    prog: &'a Program,
    b: &'a [u8],
    text: &'a str,
    pos: usize,
    /// A fact is given when its span is set, as in the slow reader.
    facts: Facts,
    /// The keys of the objects being read, innermost last (one buffer for
    /// the line, to find a key given twice in one object).
    keys: Vec<&'a str>,
}

type Got<T> = Option<T>;

impl<'a> Reader<'a> {
    /// A reader at the first token of `text`, reading into `facts`.
    fn new(prog: &'a Program, text: &'a str, facts: Facts) -> Reader<'a> {
        let mut r = Reader { prog, b: text.as_bytes(), text, pos: 0, facts, keys: Vec::with_capacity(32) };
        r.ws();
        r
    }

    fn span(&self, start: usize) -> Span {
        Span::new(SourceId(0), start, self.pos)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.pos).copied()
    }

    fn ws(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.pos += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Got<()> {
        (self.peek() == Some(c)).then(|| self.pos += 1)
    }

    /// A string without escapes or control characters, without its quotes.
    fn string(&mut self) -> Got<&'a str> {
        self.eat(b'"')?;
        let rest = &self.b[self.pos..];
        let n = string_end(rest)?;
        if rest[n] != b'"' {
            return None;
        }
        let s = &self.text[self.pos..self.pos + n];
        self.pos += n + 1;
        Some(s)
    }

    /// The members of an object: `each` is called with each key and reads
    /// its value; a key given twice gives up, as the slow reader refuses it.
    fn members(&mut self, mut each: impl FnMut(&mut Self, &'a str, usize) -> Got<()>) -> Got<()> {
        self.eat(b'{')?;
        self.ws();
        if self.eat(b'}').is_some() {
            return Some(());
        }
        let first_key = self.keys.len();
        loop {
            self.ws();
            let key = self.string()?;
            if self.keys[first_key..].contains(&key) {
                return None;
            }
            self.keys.push(key);
            self.ws();
            self.eat(b':')?;
            self.ws();
            let start = self.pos;
            each(self, key, start)?;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b'}') {
                        return None;
                    }
                }
                b'}' => {
                    self.pos += 1;
                    self.keys.truncate(first_key);
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// The elements of an array, each read by `each`.
    fn elements(&mut self, mut each: impl FnMut(&mut Self) -> Got<()>) -> Got<usize> {
        self.eat(b'[')?;
        self.ws();
        if self.eat(b']').is_some() {
            return Some(0);
        }
        let mut n = 0;
        loop {
            self.ws();
            each(self)?;
            n += 1;
            self.ws();
            match self.peek()? {
                b',' => {
                    self.pos += 1;
                    self.ws();
                    if self.peek() == Some(b']') {
                        return None;
                    }
                }
                b']' => {
                    self.pos += 1;
                    return Some(n);
                }
                _ => return None,
            }
        }
    }

    /// A table of the facts and groups of `group` (of [`FactNames::tree`]).
    /// A dotted key (a fact the version choice does not see) is no member of
    /// any group, so it is read the slow way.
    ///
    /// [`FactNames::tree`]: crate::check::FactNames::tree
    fn object_of_facts(&mut self, group: u32, depth: usize) -> Got<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        self.members(|r, key, start| match r.prog.names.member(group, key)? {
            Member::Fact(id) => r.fact(id, start),
            Member::Group(g) => r.object_of_facts(g, depth + 1),
        })
    }

    fn fact(&mut self, id: FactId, start: usize) -> Got<()> {
        let prog = self.prog;
        let def = &prog.facts[id as usize];
        if let Some(list) = def.records {
            self.records(list)?;
        } else {
            let v = self.value(&def.ty)?;
            self.facts.values[id as usize] = Some(v);
        }
        self.facts.spans[id as usize] = Some(self.span(start));
        Some(())
    }

    /// The elements of a list of records.
    fn records(&mut self, list: ListId) -> Got<()> {
        let prog = self.prog;
        let fields = &prog.lists[list as usize].fields;
        // an element given twice in one line replaces nothing: the slow
        // reader appends, and so does this one
        let count = self.elements(|r| {
            let start = r.pos;
            let mut record: Record = vec![None; fields.len()];
            let mut spans: Vec<Option<Span>> = vec![None; fields.len()];
            r.members(|r, key, at| {
                let i = fields.iter().position(|f| f.name == key)?;
                record[i] = Some(r.value(&fields[i].ty)?);
                spans[i] = Some(r.span(at));
                Some(())
            })?;
            for (i, f) in fields.iter().enumerate() {
                if record[i].is_none() {
                    record[i] = Some(default_or_optional(f)?).flatten();
                }
            }
            let span = r.span(start);
            r.facts.record_spans[list as usize].push((span, spans));
            r.facts.lists[list as usize].push(record);
            Some(())
        })?;
        (count <= MAX_LIST).then_some(())
    }

    /// One value of type `ty`, read in place.
    fn value(&mut self, ty: &Type) -> Got<Value> {
        Some(match ty {
            Type::Bool => Value::Bool(self.bool()?),
            Type::Int => Value::Int(whole(self.number()?)?),
            Type::Date => Value::Date(self.date()?),
            Type::Text => Value::Text(Arc::from(self.string()?)),
            Type::Decimal | Type::Money => {
                let money = matches!(ty, Type::Money);
                let d = match self.peek()? {
                    b'"' => read_decimal(self.string()?, money),
                    _ => {
                        let raw = self.number()?;
                        if raw.contains(['e', 'E']) {
                            return None;
                        }
                        // a whole number is read as the slow reader's integer, `-0` as `0`
                        match whole(raw) {
                            Some(i) => read_decimal(&i.to_string(), money),
                            None => read_decimal(raw, money),
                        }
                    }
                }
                .ok()?;
                if money {
                    Value::Money(d)
                } else {
                    Value::Decimal(d)
                }
            }
            Type::Enum(e) => Value::Enum(self.prog.symbols.member(*e, self.string()?)?),
            Type::List(inner) => {
                let mut out = Vec::new();
                let n = self.elements(|r| {
                    out.push(r.value(inner)?);
                    Some(())
                })?;
                if n > MAX_LIST {
                    return None;
                }
                Value::List(out.into())
            }
            Type::Interval => {
                let (mut from, mut to) = (None, None);
                self.members(|r, key, _| {
                    let slot = match key {
                        "from" => &mut from,
                        "to" => &mut to,
                        _ => return None,
                    };
                    *slot = Some(r.date()?);
                    Some(())
                })?;
                let (from, to) = (from?, to?);
                if to < from {
                    return None;
                }
                Value::Interval(from, to)
            }
            // timelines (and what no scenario can give) are read the slow way
            _ => return None,
        })
    }

    fn bool(&mut self) -> Got<bool> {
        for (word, v) in [("true", true), ("false", false)] {
            if self.b[self.pos..].starts_with(word.as_bytes()) {
                self.pos += word.len();
                return Some(v);
            }
        }
        None
    }

    fn date(&mut self) -> Got<NaiveDate> {
        let d = parse_date(self.string()?)?;
        date_in_range(d).then_some(d)
    }

    /// A number's text, as the slow reader cuts it.
    fn number(&mut self) -> Got<&'a str> {
        let start = self.pos;
        if !matches!(self.peek()?, b'-' | b'0'..=b'9') {
            return None;
        }
        if self.peek() == Some(b'-') {
            self.pos += 1;
        }
        while let Some(c) = self.peek() {
            if !matches!(c, b'0'..=b'9' | b'.' | b'e' | b'E' | b'+' | b'-') {
                break;
            }
            self.pos += 1;
        }
        (self.pos > start).then(|| &self.text[start..self.pos])
    }

    /// The date at the rest of `path` within the object here (see
    /// [`find_date`]); it stops at the first key that matches, as the line
    /// is read in full (and its mistakes found) after this.
    fn find_date(&mut self, path: &mut std::str::Split<'_, char>, depth: usize) -> Got<NaiveDate> {
        if depth >= MAX_DEPTH {
            return None;
        }
        let want = path.next()?;
        self.eat(b'{')?;
        loop {
            self.ws();
            let key = self.string()?;
            self.ws();
            self.eat(b':')?;
            self.ws();
            if key == want {
                return match path.clone().next() {
                    None => self.date(),
                    Some(_) => self.find_date(path, depth + 1),
                };
            }
            self.skip(depth + 1)?;
            self.ws();
            // `}`: the object ends without the key
            self.eat(b',')?;
        }
    }

    /// Passes over one value of any type.
    fn skip(&mut self, depth: usize) -> Got<()> {
        if depth >= MAX_DEPTH {
            return None;
        }
        match self.peek()? {
            b'"' => self.string().map(drop),
            b'{' => self.members(|r, _, _| r.skip(depth + 1)),
            b'[' => self.elements(|r| r.skip(depth + 1)).map(drop),
            _ => {
                let start = self.pos;
                while self.peek().is_some_and(|c| !matches!(c, b',' | b'}' | b']' | b' ' | b'\t' | b'\n' | b'\r')) {
                    self.pos += 1;
                }
                (self.pos > start).then_some(())
            }
        }
    }

    /// Defaults and required facts, as the slow reader's last step; a
    /// required fact not given gives up (the slow reader says which).
    fn finish(mut self) -> Got<Facts> {
        for (i, def) in self.prog.facts.iter().enumerate() {
            if self.facts.spans[i].is_some() || def.records.is_some() {
                continue;
            }
            match &def.default {
                Some(d) => {
                    self.facts.values[i] = Some(d.clone());
                    self.facts.defaulted[i] = true;
                }
                None if def.optional => {}
                None => return None,
            }
        }
        Some(self.facts)
    }
}

/// Where a JSON string's text ends in `rest` (after its opening quote): the
/// first quote, backslash or control character, eight bytes at a time.
#[inline]
fn string_end(rest: &[u8]) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let stop = |c: u8| c == b'"' || c == b'\\' || c < 0x20;
    let mut i = 0;
    while i + 8 <= rest.len() {
        let x = u64::from_le_bytes(rest[i..i + 8].try_into().expect("eight bytes"));
        let zero = |v: u64| v.wrapping_sub(ONES) & !v & HIGH;
        // a byte below 0x20, or equal to a quote or a backslash, sets its
        // high bit; a borrow can also set the bits of later bytes, never of
        // an earlier one, so the lowest bit set is the first stop
        let found = (x.wrapping_sub(ONES * 0x20) & !x & HIGH)
            | zero(x ^ (ONES * b'"' as u64))
            | zero(x ^ (ONES * b'\\' as u64));
        if found != 0 {
            return Some(i + found.trailing_zeros() as usize / 8);
        }
        i += 8;
    }
    rest[i..].iter().position(|&c| stop(c)).map(|n| i + n)
}

/// A whole number (`14`, `-3`) as the slow reader reads one: digits after an
/// optional minus sign, within 64 bits.
fn whole(raw: &str) -> Got<i64> {
    let digits = raw.strip_prefix('-').unwrap_or(raw);
    if digits.is_empty() || !digits.bytes().all(|c| c.is_ascii_digit()) {
        return None;
    }
    raw.parse().ok()
}

/// A field left out of an element: its default, nothing when it is optional,
/// or giving up when it is required.
fn default_or_optional(f: &FactDef) -> Got<Option<Value>> {
    match &f.default {
        Some(d) => Some(Some(d.clone())),
        None if f.optional => Some(None),
        None => None,
    }
}

#[cfg(test)]
mod tests {
    //! The direct reader against the tree reader, on every example scenario
    //! of the shipped rulebooks as a JSON line and on thousands of lines
    //! mutated from them: wherever the direct reader reads a line, the tree
    //! reader must read it too, to the same facts (values, defaults, lists,
    //! spans); and it must read most clean lines, or the fast way is not taken.
    use super::string_end;
    use crate::facts::Facts;
    use crate::input::{parse_json, parse_toml, Key, Node, NodeKind, Table};
    use crate::source::{SourceId, SourceMap, Span};
    use crate::Rulebook;

    #[test]
    fn a_string_ends_at_the_first_quote_backslash_or_control_character() {
        let alphabet: &[u8] = "ab \"\\\u{1f}\u{7f}é€".as_bytes();
        let mut x: u64 = 0x2545_f491_4f6c_dd1d;
        for len in 0..40 {
            for _ in 0..500 {
                let text: Vec<u8> = (0..len)
                    .map(|_| {
                        x ^= x << 13;
                        x ^= x >> 7;
                        x ^= x << 17;
                        // mostly plain letters, so that stops come late as in real lines
                        if x.is_multiple_of(8) {
                            alphabet[(x >> 8) as usize % alphabet.len()]
                        } else {
                            b'a' + (x >> 8) as u8 % 26
                        }
                    })
                    .collect();
                let naive = text.iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20);
                assert_eq!(string_end(&text), naive, "{text:?}");
            }
        }
    }

    /// The JSON text of a tree, with `pad` between tokens.
    fn json(node: &Node, pad: &str, out: &mut String) {
        match &node.kind {
            NodeKind::Table(t) => {
                out.push('{');
                for (i, (k, v)) in t.entries.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                        out.push_str(pad);
                    }
                    out.push_str(&serde_json::to_string(&k.name).unwrap());
                    out.push(':');
                    out.push_str(pad);
                    json(v, pad, out);
                }
                out.push('}');
            }
            NodeKind::Array(items) => {
                out.push('[');
                for (i, v) in items.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                        out.push_str(pad);
                    }
                    json(v, pad, out);
                }
                out.push(']');
            }
            NodeKind::Str(s) => out.push_str(&serde_json::to_string(s).unwrap()),
            NodeKind::Int(i) => out.push_str(&i.to_string()),
            NodeKind::Float(f) | NodeKind::OtherDateTime(f) => out.push_str(f),
            NodeKind::Bool(b) => out.push_str(&b.to_string()),
            NodeKind::Date(d) => out.push_str(&format!("\"{}\"", d.format("%Y-%m-%d"))),
        }
    }

    fn line(node: &Node, pad: &str) -> String {
        let mut out = String::new();
        json(node, pad, &mut out);
        out
    }

    /// A small deterministic generator (no dependency, same cases every run).
    struct Rng(u64);
    impl Rng {
        fn below(&mut self, n: usize) -> usize {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            ((self.0 >> 33) as usize) % n.max(1)
        }
    }

    fn node(kind: NodeKind) -> Node {
        Node { kind, span: Span::default() }
    }

    /// Values a scenario might wrongly (or rightly) give in place of another.
    fn replacement(rng: &mut Rng, enum_values: &[String]) -> Node {
        let strs = [
            "1.234",
            "-5.00",
            ".5",
            "5.",
            "0.10",
            "00.5",
            "-0",
            "1,5",
            "2026-02-30",
            "1899-01-01",
            "2026-07-02",
            "2026-7-2",
            "a\"b",
            "é",
            "x\ny",
            "",
            "true",
            "94.90",
            "1e3",
            "10000000000000000000",
        ];
        let floats = ["1.5", "-0", "-0.0", "1e3", "00.10", "-1", "12345678901234567890", "0.125", "3"];
        match rng.below(12) {
            0 => node(NodeKind::Str(strs[rng.below(strs.len())].into())),
            1 => node(NodeKind::Float(floats[rng.below(floats.len())].into())),
            2 => node(NodeKind::Int([0, 1, -3, 14, i64::MAX, i64::MIN][rng.below(6)])),
            3 => node(NodeKind::Bool(rng.below(2) == 0)),
            4 => node(NodeKind::Array(Vec::new())),
            5 => node(NodeKind::Array(vec![node(NodeKind::Str("2026-03-04".into()))])),
            6 => node(NodeKind::Table(Table::default())),
            7 => {
                let mut t = Table::default();
                for (k, d) in [("from", "2026-03-01"), ("to", ["2026-03-14", "2026-02-01"][rng.below(2)])] {
                    t.entries.push((Key { name: k.into(), span: Span::default() }, node(NodeKind::Str(d.into()))));
                }
                node(NodeKind::Table(t))
            }
            8 => node(NodeKind::OtherDateTime(["null", "nul", "\"\\u00e9\""][rng.below(3)].into())),
            _ if !enum_values.is_empty() => node(NodeKind::Str(enum_values[rng.below(enum_values.len())].clone())),
            _ => node(NodeKind::Str("goods".into())),
        }
    }

    /// Every node of the tree, by its path of entry/element indices.
    fn paths(n: &Node, at: &mut Vec<usize>, out: &mut Vec<Vec<usize>>) {
        out.push(at.clone());
        let children: Vec<&Node> = match &n.kind {
            NodeKind::Table(t) => t.entries.iter().map(|(_, v)| v).collect(),
            NodeKind::Array(a) => a.iter().collect(),
            _ => return,
        };
        for (i, c) in children.into_iter().enumerate() {
            at.push(i);
            paths(c, at, out);
            at.pop();
        }
    }

    fn at<'n>(n: &'n mut Node, path: &[usize]) -> &'n mut Node {
        let Some((&i, rest)) = path.split_first() else { return n };
        match &mut n.kind {
            NodeKind::Table(t) => at(&mut t.entries[i].1, rest),
            NodeKind::Array(a) => at(&mut a[i], rest),
            _ => unreachable!("paths lead through tables and arrays"),
        }
    }

    /// One mutation of the tree: a value replaced, an entry removed, given
    /// twice, renamed, or a group's entry given as a dotted key.
    fn mutate(rng: &mut Rng, root: &mut Node, enum_values: &[String]) {
        let mut all = Vec::new();
        paths(root, &mut Vec::new(), &mut all);
        let path = all[rng.below(all.len())].clone();
        let target = at(root, &path);
        match (&mut target.kind, rng.below(6)) {
            (NodeKind::Table(t), 0) if !t.entries.is_empty() => {
                t.entries.remove(rng.below(t.entries.len()));
            }
            (NodeKind::Table(t), 1) if !t.entries.is_empty() => {
                let e = t.entries[rng.below(t.entries.len())].clone();
                t.entries.push(e);
            }
            (NodeKind::Table(t), 2) if !t.entries.is_empty() => {
                let i = rng.below(t.entries.len());
                t.entries[i].0.name.push_str(["s", "_", "."][rng.below(3)]);
            }
            (NodeKind::Table(t), 3) => {
                // {"contract": {"kind": …}} → {"contract.kind": …}
                if let Some(i) = t.entries.iter().position(|(_, v)| matches!(v.kind, NodeKind::Table(_))) {
                    let (k, v) = t.entries.remove(i);
                    if let NodeKind::Table(inner) = v.kind {
                        for (ik, iv) in inner.entries {
                            t.entries.push((Key { name: format!("{}.{}", k.name, ik.name), span: ik.span }, iv));
                        }
                    }
                }
            }
            (NodeKind::Array(a), 0) if !a.is_empty() => {
                let e = a[rng.below(a.len())].clone();
                a.push(e);
            }
            _ => *target = replacement(rng, enum_values),
        }
    }

    fn shipped() -> Vec<(String, Vec<Node>)> {
        let mut out: Vec<(String, Vec<Node>)> = Vec::new();
        let mut files: Vec<_> = ["examples/nl", "examples/be"]
            .iter()
            .flat_map(|d| std::fs::read_dir(d).unwrap().flatten().map(|e| e.path()))
            .collect();
        files.sort();
        for path in files {
            let text = std::fs::read_to_string(&path).unwrap();
            let Some(rb) = text.lines().next().and_then(|l| l.strip_prefix("# rulebook: ")) else { continue };
            let rb = path.parent().unwrap().join(rb.trim()).to_string_lossy().to_string();
            let mut sources = SourceMap::new();
            let id = sources.add(path.to_string_lossy(), text.as_str());
            let root = parse_toml(id, &text).unwrap();
            match out.iter_mut().find(|(r, _)| *r == rb) {
                Some((_, scenarios)) => scenarios.push(root),
                None => out.push((rb, vec![root])),
            }
        }
        out
    }

    /// The tree reader's facts for a line, as `--batch` reads it.
    fn slow(rb: &Rulebook, line: &str, as_of: Option<chrono::NaiveDate>) -> Option<(String, Facts)> {
        let root = parse_json(SourceId(0), line).ok()?;
        let mut sources = SourceMap::new();
        let as_of = as_of.map(|day| crate::AsOf { day, given_by: "--as-of" });
        let s = rb.scenario_as_of(&mut sources, crate::ScenarioInput::Tree(&root), as_of).ok()?;
        Some((s.version.program.meta.version.clone(), s.facts))
    }

    #[test]
    fn the_direct_reader_reads_what_the_tree_reader_reads_and_nothing_else() {
        let mut rng = Rng(7);
        let (mut clean, mut direct_clean, mut mutated, mut direct_mutated, mut slow_mutated) = (0, 0, 0, 0, 0);
        let mut dated = 0;
        let shipped = shipped();
        assert!(shipped.len() >= 9, "examples of every shipped rulebook: {}", shipped.len());
        for (path, scenarios) in &shipped {
            let mut sources = SourceMap::new();
            let rb = Rulebook::load(&mut sources, path.as_ref()).unwrap_or_else(|e| panic!("{path}: {e:?}"));
            let enum_values: Vec<String> = (0..rb.program.symbols.enum_count())
                .flat_map(|e| rb.program.symbols.value_names(e as u32))
                .map(str::to_string)
                .collect();
            for root in scenarios {
                for trial in 0..300 {
                    let mut tree = root.clone();
                    for _ in 0..(if trial == 0 { 0 } else { 1 + rng.below(2) }) {
                        mutate(&mut rng, &mut tree, &enum_values);
                    }
                    let pad = ["", " ", "\t ", "\n"][rng.below(4)];
                    let text = line(&tree, pad);
                    let as_of = (rng.below(4) == 0).then(|| chrono::NaiveDate::from_ymd_opt(2026, 8, 1).unwrap());
                    let got = rb
                        .scenario_direct(&text, as_of, Facts::default())
                        .map(|s| (s.version.program.meta.version.clone(), s.facts));
                    let want = slow(&rb, &text, as_of);
                    if trial == 0 {
                        clean += usize::from(want.is_some());
                    } else {
                        mutated += 1;
                        slow_mutated += usize::from(want.is_some());
                    }
                    let Some(got) = got else {
                        if trial == 0 && want.is_some() && std::env::var_os("DIRECT_DEBUG").is_some() {
                            eprintln!("not direct: {path}: {text}");
                        }
                        continue;
                    };
                    if trial == 0 {
                        direct_clean += 1;
                    } else {
                        direct_mutated += 1;
                    }
                    let Some(want) = want else {
                        panic!("{path}: the direct reader reads a line the tree reader refuses:\n{text}")
                    };
                    assert_eq!(got, want, "{path}: the readers differ on\n{text}");
                    // the date that chose the version to read with is the one read
                    if let Some((fact, _)) = &rb.program.meta.date_fact {
                        let version =
                            std::iter::once(&rb).chain(rb.versions.iter()).find(|v| v.program.meta.version == got.0);
                        let id = version.and_then(|v| v.program.names.facts.get(fact.as_str())).copied();
                        if let (Some(found), Some(id)) = (super::find_date(&rb.program, &text, fact), id) {
                            assert_eq!(got.1.values[id as usize], Some(crate::Value::Date(found)), "{path}: {text}");
                            dated += 1;
                        }
                    }
                }
            }
        }
        // not vacuous: the fast way is taken for clean lines and for many mutated ones
        assert!(direct_clean * 10 >= clean * 9, "direct on {direct_clean} of {clean} clean lines");
        eprintln!("direct on {direct_clean} of the {clean} clean lines the tree reader reads, {direct_mutated} of the {slow_mutated} mutated lines the tree reader reads (of {mutated})");
        assert!(
            direct_mutated * 10 >= slow_mutated * 8,
            "direct on {direct_mutated} of {slow_mutated} mutated lines read"
        );
        assert!(clean >= 50, "{clean} example scenarios read");
        assert!(dated >= 500, "only {dated} lines chose their version by a date found first");
    }
}
