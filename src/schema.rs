//! The JSON Schema (draft 2020-12) of a rulebook's scenarios: one object per
//! fact group, each fact with its type, allowed values, default and
//! description, the facts a scenario must give listed as `required`. Dates
//! are strings with `format: date`, money is a string with a pattern (the
//! engine also reads a JSON number, the schema asks for the exact form).
//! `verdict serve` answers `GET /v1/rulebooks/{id}/schema` with it.

use crate::check::{FactDef, Program};
use crate::value::Type;
use serde_json::{json, Map, Value as J};

/// The pattern of a money amount: not negative, at most two decimals.
pub const MONEY_PATTERN: &str = r"^[0-9]+(\.[0-9]{1,2})?$";
/// The pattern of a decimal written as a string.
pub const DECIMAL_PATTERN: &str = r"^-?[0-9]+(\.[0-9]+)?$";

/// The JSON Schema of a scenario for this version of a rulebook.
///
/// ```
/// let mut sources = verdict::SourceMap::new();
/// let text = "[rulebook]\nid = \"x\"\ntitle = \"X\"\nversion = \"1\"\n\n[sources]\nL = { title = \"Law\" }\n\n[facts.order.placed_on]\ntype = \"date\"\ndoc = \"Day of the order.\"\n\n[conclusions.order.late]\ntype = \"bool\"\ndoc = \"Late.\"\n\n[[rules]]\nid = \"late\"\nconcludes = \"order.late\"\nvalue = 'order.placed_on > 2026-01-01'\ncite = \"L\"\n";
/// let rb = verdict::Rulebook::from_str(&mut sources, "x.toml", text).unwrap();
/// let schema = verdict::schema::scenario_schema(&rb.program);
/// let placed = &schema["properties"]["order"]["properties"]["placed_on"];
/// assert_eq!(placed["format"], "date");
/// assert_eq!(schema["properties"]["order"]["required"], serde_json::json!(["placed_on"]));
/// assert_eq!(schema["required"], serde_json::json!(["order"]));
/// ```
pub fn scenario_schema(prog: &Program) -> J {
    let mut root = object();
    for fact in &prog.facts {
        let parts: Vec<&str> = fact.name.split('.').collect();
        let mut at = &mut root;
        for group in &parts[..parts.len() - 1] {
            let props = at["properties"].as_object_mut().expect("an object schema has properties");
            at = props.entry(group.to_string()).or_insert_with(object);
        }
        add(at, parts[parts.len() - 1], fact_schema(prog, fact), required(fact));
    }
    require_groups(&mut root);
    let mut schema = Map::new();
    schema.insert("$schema".into(), json!("https://json-schema.org/draft/2020-12/schema"));
    schema.insert("title".into(), json!(format!("A scenario for {} {}", prog.meta.id, prog.meta.version)));
    schema.insert("description".into(), json!(prog.meta.title));
    if let J::Object(rest) = root {
        schema.extend(rest);
    }
    J::Object(schema)
}

/// An empty object schema that refuses unknown keys.
fn object() -> J {
    json!({"type": "object", "properties": {}, "additionalProperties": false})
}

/// Adds a property to an object schema; a required one makes every object
/// above it required too (marked by `required` being non-empty).
fn add(object: &mut J, name: &str, schema: J, required: bool) {
    object["properties"].as_object_mut().expect("properties").insert(name.to_string(), schema);
    if required {
        let list = object.as_object_mut().expect("object").entry("required").or_insert_with(|| json!([]));
        list.as_array_mut().expect("a list").push(json!(name));
    }
}

/// Marks every group (an object property) that requires a fact as required
/// in the object above it, from the bottom up.
fn require_groups(object: &mut J) {
    let mut needed = Vec::new();
    if let Some(props) = object["properties"].as_object_mut() {
        for (name, p) in props.iter_mut() {
            if p["type"] == "object" && p.get("properties").is_some() {
                require_groups(p);
                if p.get("required").is_some_and(|r| r.as_array().is_some_and(|r| !r.is_empty())) {
                    needed.push(name.clone());
                }
            }
        }
    }
    for name in needed {
        let list = object.as_object_mut().expect("object").entry("required").or_insert_with(|| json!([]));
        let list = list.as_array_mut().expect("a list");
        if !list.contains(&json!(name)) {
            list.push(json!(name));
        }
    }
}

/// Whether a scenario must give the fact: not when it is optional, has a
/// default, or is a list of records (absent, that is an empty list).
fn required(fact: &FactDef) -> bool {
    !fact.optional && fact.default.is_none() && fact.records.is_none()
}

fn fact_schema(prog: &Program, fact: &FactDef) -> J {
    let ty = fact.records.map_or_else(|| fact.ty.clone(), Type::Records);
    let mut s = type_schema(prog, &ty);
    if let Some(doc) = &fact.doc {
        s["description"] = json!(doc);
    }
    if let Some(d) = &fact.default {
        s["default"] = d.to_json(&prog.symbols);
    }
    s
}

/// The schema of a value of type `ty`.
pub fn type_schema(prog: &Program, ty: &Type) -> J {
    match ty {
        Type::Bool => json!({"type": "boolean"}),
        Type::Int => json!({"type": "integer"}),
        Type::Decimal => json!({"type": ["string", "number"], "pattern": DECIMAL_PATTERN}),
        Type::Money => json!({"type": "string", "pattern": MONEY_PATTERN}),
        Type::Date => json!({"type": "string", "format": "date"}),
        Type::Duration | Type::Text | Type::Error => json!({"type": "string"}),
        Type::Interval => json!({
            "type": "object",
            "properties": {"from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"}},
            "required": ["from", "to"],
            "additionalProperties": false
        }),
        Type::Timeline => json!({"type": "array"}),
        Type::Enum(e) => json!({"type": "string", "enum": prog.symbols.value_names(*e)}),
        Type::List(t) => json!({"type": "array", "items": type_schema(prog, t)}),
        Type::Records(list) => {
            let mut element = object();
            for field in &prog.lists[*list as usize].fields {
                add(&mut element, &field.name, fact_schema(prog, field), required(field));
            }
            json!({"type": "array", "items": element})
        }
    }
}
