//! What is served and how to call it: `GET /v1/rulebooks` (ids, versions
//! with the days each is in force, revisions, files that did not load),
//! `GET /v1/rulebooks/{id}` (facts, conclusions and options with types and
//! docs), `GET /v1/rulebooks/{id}/schema` (the JSON Schema of a scenario) and
//! `POST /v1/check` (rulebook text in, diagnostics out).

use super::errors::{body_rejection, content_type, diagnostics_data, utf8, ApiError};
use super::state::{place, Loaded};
use super::App;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde_json::{json, Value as J};
use std::sync::Arc;
use verdict::check::FactDef;
use verdict::input::{parse_json, Fields, NodeKind};
use verdict::schema::scenario_schema;
use verdict::testing::check_tests;
use verdict::value::Type;
use verdict::{Program, Rulebook, SourceMap};

fn day(d: Option<chrono::NaiveDate>) -> J {
    d.map_or(J::Null, |d| json!(d.format("%Y-%m-%d").to_string()))
}

fn versions(rb: &Rulebook) -> Vec<J> {
    std::iter::once(rb)
        .chain(rb.versions.iter())
        .map(|v| {
            let m = &v.program.meta;
            json!({"version": m.version, "in_force": {"from": day(m.effective_from), "until": day(m.effective_until)}})
        })
        .collect()
}

fn summary(loaded: &Loaded) -> J {
    let m = &loaded.rulebook.program.meta;
    json!({
        "id": m.id,
        "title": m.title,
        "jurisdiction": m.jurisdiction,
        "path": loaded.path,
        "revision": loaded.revision,
        "version_by": m.date_fact.as_ref().map(|d| &d.0),
        "versions": versions(&loaded.rulebook),
    })
}

/// The rulebooks served, and the files that did not load.
#[utoipa::path(get, path = "/v1/rulebooks", responses((status = 200, description = "{\"rulebooks\": [{id, title, jurisdiction, path, revision, version_by, versions: [{version, in_force: {from, until}}]}], \"errors\": [{path, time, kept, diagnostics}]}", body = Object)), security((), ("bearer" = [])))]
pub async fn list(State(app): State<Arc<App>>) -> Json<J> {
    let set = app.set.load();
    let rulebooks: Vec<J> = set.rulebooks.values().map(|l| summary(l)).collect();
    let errors: Vec<J> = set
        .errors
        .iter()
        .map(|e| json!({"path": e.path, "time": e.time, "kept": e.kept, "diagnostics": e.diagnostics}))
        .collect();
    Json(json!({"rulebooks": rulebooks, "errors": errors}))
}

fn type_json(prog: &Program, ty: &Type) -> J {
    match ty {
        Type::Enum(e) => json!({"type": "enumeration", "allowed": prog.symbols.value_names(*e)}),
        Type::List(inner) => json!({"type": prog.symbols.type_name(ty), "element": type_json(prog, inner)}),
        _ => json!({"type": prog.symbols.type_name(ty)}),
    }
}

fn fact_json(prog: &Program, f: &FactDef) -> J {
    let mut j = type_json(prog, &f.ty);
    j["name"] = json!(f.name);
    j["doc"] = json!(f.doc);
    j["optional"] = json!(f.optional);
    j["default"] = f.default.as_ref().map_or(J::Null, |d| d.to_json(&prog.symbols));
    if let Some(list) = f.records {
        let def = &prog.lists[list as usize];
        j["type"] = json!("list of records");
        j["element"] = json!(def.element);
        j["fields"] = json!(def.fields.iter().map(|x| fact_json(prog, x)).collect::<Vec<_>>());
    }
    j
}

/// One rulebook: its facts, conclusions and options, with types and docs.
#[utoipa::path(get, path = "/v1/rulebooks/{rulebook_id}", params(("rulebook_id" = String, Path)), responses((status = 200, description = "the summary of /v1/rulebooks plus facts [{name, type, allowed, doc, optional, default, fields}], conclusions [{name, type, doc, per_item}] and options [{name, type, default, doc}] of the newest version", body = Object), (status = 404, body = super::docs::ErrorBody)), security((), ("bearer" = [])))]
pub async fn one(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Json<J>, ApiError> {
    let loaded = app.set.load().get(&id)?;
    let prog = &loaded.rulebook.program;
    let mut j = summary(&loaded);
    j["facts"] = json!(prog.facts.iter().map(|f| fact_json(prog, f)).collect::<Vec<_>>());
    j["conclusions"] = json!(prog
        .conclusions
        .iter()
        .filter(|c| !c.internal)
        .map(|c| {
            let mut x = type_json(prog, &c.ty);
            x["name"] = json!(c.name);
            x["doc"] = json!(c.doc);
            x["per_item"] = json!(c.per_item.is_some());
            x
        })
        .collect::<Vec<_>>());
    j["options"] = json!(prog
        .options
        .iter()
        .map(|o| {
            let mut x = type_json(prog, &o.ty);
            x["name"] = json!(o.name);
            x["default"] = o.default.to_json(&prog.symbols);
            x["doc"] = json!(o.doc);
            x
        })
        .collect::<Vec<_>>());
    Ok(Json(j))
}

/// The JSON Schema (2020-12) of a scenario.
#[utoipa::path(get, path = "/v1/rulebooks/{rulebook_id}/schema", params(("rulebook_id" = String, Path)), responses((status = 200, description = "JSON Schema 2020-12 of a scenario for the newest version", body = Object), (status = 404, body = super::docs::ErrorBody)), security((), ("bearer" = [])))]
pub async fn schema(State(app): State<Arc<App>>, Path(id): Path<String>) -> Result<Json<J>, ApiError> {
    let loaded = app.set.load().get(&id)?;
    Ok(Json(scenario_schema(&loaded.rulebook.program)))
}

/// `?name=nl/bnpl.toml`: where a plain-text rulebook stands.
#[derive(serde::Deserialize)]
pub struct CheckQuery {
    name: Option<String>,
}

/// Check a rulebook text.
#[utoipa::path(
    post,
    path = "/v1/check",
    params(("name" = Option<String>, Query, description = "for a text/plain body: its path relative to the served directory (default check.toml), so its calendar resolves")),
    request_body(content = super::docs::CheckRequest, description = "the rulebook's TOML text (text/plain or application/toml), or {\"text\", \"name\"} (application/json)", content_type = "application/json"),
    responses((status = 200, description = "{\"ok\": bool, \"diagnostics\": [...]}: `ok` false with the located problems when the rulebook does not check", body = super::docs::CheckResult), (status = 400, body = super::docs::ErrorBody), (status = 415, body = super::docs::ErrorBody), (status = 422, body = super::docs::ErrorBody)),
    security((), ("bearer" = []))
)]
pub async fn check(
    State(app): State<Arc<App>>,
    Query(query): Query<CheckQuery>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Json<J>, ApiError> {
    let kind = content_type(&headers, &["application/json", "text/plain", "application/toml"])?;
    let body = body.map_err(body_rejection)?;
    let raw = utf8(&body)?.to_string();
    let (text, name) = if kind == "application/json" {
        let mut sources = SourceMap::new();
        let id = sources.add("request body", raw.as_str());
        let root = parse_json(id, &raw)
            .map_err(|d| ApiError::located(StatusCode::BAD_REQUEST, "malformed_json", &sources, &[d], None))?;
        let invalid =
            |d| ApiError::located(StatusCode::UNPROCESSABLE_ENTITY, "invalid_request", &sources, &[d], Some(&root));
        let fields = Fields::new(&root, "a check request", &["text", "name"]).map_err(invalid)?;
        if let Some(d) = fields.unknown_keys().0.into_iter().next() {
            return Err(invalid(d));
        }
        let text = fields.req("text").and_then(|n| n.as_str().map(str::to_string)).map_err(invalid)?;
        let name = match fields.opt("name").map(|n| &n.kind) {
            Some(NodeKind::Str(s)) => s.clone(),
            _ => "check.toml".to_string(),
        };
        (text, name)
    } else {
        (raw, query.name.unwrap_or_else(|| "check.toml".to_string()))
    };
    let (dir, roots) = {
        let set = app.set.load();
        (set.dir.clone(), set.read_roots.clone())
    };
    let path = place(&dir, &name, "check.toml");
    let shown = name.clone();
    let result = tokio::task::spawn_blocking(move || {
        let mut sources = SourceMap::new();
        let problems = match Rulebook::from_str_within(&mut sources, &path.display().to_string(), &text, &roots) {
            Ok(rb) => check_tests(&rb, &mut sources),
            Err(ds) => ds.0,
        };
        let mut data = diagnostics_data(&sources, &problems, None);
        let inside = dir.canonicalize().unwrap_or(dir);
        for d in &mut data {
            let file = std::path::Path::new(&d.file);
            if d.file == path.display().to_string() {
                d.file = shown.clone();
            } else if !file.canonicalize().is_ok_and(|f| f.starts_with(&inside)) {
                // a file outside the served directory: say which, show none of it
                d.text.clear();
            }
        }
        json!({"ok": data.is_empty(), "diagnostics": data})
    })
    .await
    .map_err(|e| ApiError::new(StatusCode::INTERNAL_SERVER_ERROR, "internal", format!("the check failed: {e}")))?;
    Ok(Json(result))
}
