//! Types of the rule language and the interned enumeration values.

use std::collections::HashMap;

/// An interned enumeration value.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Sym(pub u32);

/// An enumeration type, by its index in [`Symbols`] (which holds its allowed
/// values, in declaration order).
pub type EnumId = u32;

/// The built-in weekday enumeration (`monday` … `sunday` are symbols 0–6).
pub const WEEKDAY: EnumId = 0;

/// The type of a fact, an option, a conclusion or an expression.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Type {
    /// Yes or no.
    Bool,
    /// A whole number.
    Int,
    /// An exact decimal number.
    Decimal,
    /// An exact amount in the rulebook's currency.
    Money,
    /// A calendar day.
    Date,
    /// A length of time (`14 days`).
    Duration,
    /// Free text.
    Text,
    /// A span of days, first and last day included.
    Interval,
    /// Dated events, in order.
    Timeline,
    /// A value of this enumeration.
    Enum(EnumId),
    /// A list of values of this type.
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
    /// The symbol for `name`, interned if new.
    pub(crate) fn intern(&mut self, name: &str) -> Sym {
        if let Some(s) = self.index.get(name) {
            return *s;
        }
        let s = Sym(self.names.len() as u32);
        self.names.push(name.to_string());
        self.index.insert(name.to_string(), s);
        s
    }

    /// The name of symbol `s`.
    pub fn name(&self, s: Sym) -> &str {
        &self.names[s.0 as usize]
    }

    /// The symbol named `name`, `None` if no enumeration has it.
    pub fn lookup(&self, name: &str) -> Option<Sym> {
        self.index.get(name).copied()
    }

    /// Declares an enumeration of these values, in this order, and returns its id; the same values in the same order give the same id.
    pub(crate) fn add_enum(&mut self, values: &[String]) -> EnumId {
        let syms: Vec<Sym> = values.iter().map(|v| self.intern(v)).collect();
        if let Some(i) = self.enums.iter().position(|e| *e == syms) {
            return i as EnumId;
        }
        self.enums.push(syms);
        (self.enums.len() - 1) as EnumId
    }

    /// The values of enumeration `e`, in declaration order.
    pub fn values(&self, e: EnumId) -> &[Sym] {
        &self.enums[e as usize]
    }

    /// How many enumerations there are (ids `0..enum_count()`).
    #[cfg(test)]
    pub(crate) fn enum_count(&self) -> usize {
        self.enums.len()
    }

    /// The names of the values of enumeration `e`, in declaration order.
    pub fn value_names(&self, e: EnumId) -> Vec<&str> {
        self.values(e).iter().map(|s| self.name(*s)).collect()
    }

    /// The enumeration value `name` of `e`, if it is one.
    pub fn member(&self, e: EnumId, name: &str) -> Option<Sym> {
        // an enumeration has a few values: comparing their names is cheaper than hashing
        self.values(e).iter().copied().find(|s| self.name(*s) == name)
    }

    /// Whether every value of `from` is a value of `to`.
    pub fn enum_fits(&self, from: EnumId, to: EnumId) -> bool {
        self.values(from).iter().all(|s| self.values(to).contains(s))
    }

    /// The type as messages name it (`integer`, `one of receipt, delivery`, `list of date`).
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
