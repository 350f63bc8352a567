//! Types of the rule language and the interned enumeration values.

use std::collections::HashMap;

/// An interned enumeration value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

/// An enumeration type: its allowed values, in declaration order.
pub type EnumId = u32;

/// The built-in weekday enumeration (`monday` … `sunday` are symbols 0–6).
pub const WEEKDAY: EnumId = 0;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    Bool,
    Int,
    Decimal,
    Money,
    Date,
    Duration,
    Text,
    /// A span of days, first and last day included.
    Interval,
    /// Dated events, in order.
    Timeline,
    Enum(EnumId),
    List(Box<Type>),
    /// A list of records (the list fact itself).
    Records(u32),
    /// The type of an expression that already failed to check (no further errors).
    Error,
}

/// Symbols and enumeration types of one rulebook.
#[derive(Clone, Debug)]
pub struct Symbols {
    names: Vec<String>,
    index: HashMap<String, Sym>,
    enums: Vec<Vec<Sym>>,
}

impl Default for Symbols {
    fn default() -> Symbols {
        let mut s = Symbols { names: Vec::new(), index: HashMap::new(), enums: Vec::new() };
        let days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"];
        let syms = days.iter().map(|d| s.intern(d)).collect();
        s.enums.push(syms);
        s
    }
}

impl Symbols {
    pub fn intern(&mut self, name: &str) -> Sym {
        if let Some(s) = self.index.get(name) {
            return *s;
        }
        let s = Sym(self.names.len() as u32);
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), s);
        s
    }

    pub fn name(&self, s: Sym) -> &str {
        &self.names[s.0 as usize]
    }

    pub fn lookup(&self, name: &str) -> Option<Sym> {
        self.index.get(name).copied()
    }

    pub fn add_enum(&mut self, values: &[String]) -> EnumId {
        let syms: Vec<Sym> = values.iter().map(|v| self.intern(v)).collect();
        if let Some(i) = self.enums.iter().position(|e| *e == syms) {
            return i as EnumId;
        }
        self.enums.push(syms);
        (self.enums.len() - 1) as EnumId
    }

    pub fn values(&self, e: EnumId) -> &[Sym] {
        &self.enums[e as usize]
    }

    pub fn value_names(&self, e: EnumId) -> Vec<&str> {
        self.values(e).iter().map(|s| self.name(*s)).collect()
    }

    /// The enumeration value `name` of `e`, if it is one.
    pub fn member(&self, e: EnumId, name: &str) -> Option<Sym> {
        self.lookup(name).filter(|s| self.values(e).contains(s))
    }

    /// Whether every value of `from` is a value of `to`.
    pub fn enum_fits(&self, from: EnumId, to: EnumId) -> bool {
        self.values(from).iter().all(|s| self.values(to).contains(s))
    }

    pub fn type_name(&self, t: &Type) -> String {
        match t {
            Type::Bool => "bool".into(),
            Type::Int => "integer".into(),
            Type::Decimal => "decimal".into(),
            Type::Money => "money".into(),
            Type::Date => "date".into(),
            Type::Duration => "duration".into(),
            Type::Text => "text".into(),
            Type::Interval => "interval".into(),
            Type::Timeline => "timeline".into(),
            Type::Enum(WEEKDAY) => "weekday".into(),
            Type::Enum(e) => {
                let v = self.value_names(*e);
                if v.len() > 4 {
                    format!("one of {}, …", v[..4].join(", "))
                } else {
                    format!("one of {}", v.join(", "))
                }
            }
            Type::List(t) => format!("list of {}", self.type_name(t)),
            Type::Records(_) => "list of records".into(),
            Type::Error => "unknown".into(),
        }
    }

    /// Whether a value of type `from` may stand where `to` is expected.
    pub fn fits(&self, from: &Type, to: &Type) -> bool {
        match (from, to) {
            (Type::Error, _) | (_, Type::Error) => true,
            (Type::Int, Type::Decimal) => true,
            (Type::Enum(a), Type::Enum(b)) => self.enum_fits(*a, *b),
            (Type::List(a), Type::List(b)) => self.fits(a, b),
            (a, b) => a == b,
        }
    }
}
