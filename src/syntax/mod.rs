//! Syntax: the pest grammar's output turned into a spanned AST. Only this
//! module touches pest.

pub mod ast;
mod parser;

pub use parser::{parse_expr, parse_type, StringMap};
