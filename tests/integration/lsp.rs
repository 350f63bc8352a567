//! `verdict lsp` driven over stdio as an editor drives it: JSON-RPC with
//! `Content-Length` framing, initialize → didOpen → didChange →
//! publishDiagnostics, hover, definition, references, rename, completion,
//! semantic tokens, code lenses and their run command.

mod client;
mod rename;

use crate::util::root;
use client::{pos, range, read, uri, Client};
use serde_json::{json, Value as J};

const UNKNOWN_NAME: &str = "tests/cases/errors/rulebook-unknown-name.toml";
const NL: &str = "rulebooks/nl/withdrawal.toml";

#[test]
fn diagnostics_follow_the_buffer_with_exact_utf16_ranges() {
    let mut c = Client::start();
    let u = uri(UNKNOWN_NAME);
    let text = read(UNKNOWN_NAME);
    let ds = c.open(&u, &text);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["code"], "check::unknown-name");
    // the first `order.placed_no` is in the file's comment; the second in the rule
    assert_eq!(ds[0]["range"], range(&text, "order.placed_no", 1));
    assert!(ds[0]["message"].as_str().unwrap().contains("did you mean `order.placed_on`?"));
    // non-ASCII before the error on its line: é is one UTF-16 unit and two bytes, 𝄞 two units and four bytes
    let wide = text
        .replace("value = 'order.placed_no", "value = 'if \"é𝄞\" = \"é𝄞\" then order.placed_no else order.placed_no");
    let ds = c.change(&u, 2, &wide);
    assert_eq!(ds.len(), 2, "{ds:?}");
    let first = &ds[0]["range"];
    assert_eq!(*first, range(&wide, "order.placed_no", 1));
    let line = wide.lines().find(|l| l.contains("é𝄞")).unwrap();
    let byte_column = line.find("order.placed_no").unwrap();
    // each é: 2 bytes, 1 unit; each 𝄞: 4 bytes, 2 units; two of each before the name
    let (e_saved, clef_saved) = (2, 2 * 2);
    assert_eq!(first["start"]["character"], byte_column - e_saved - clef_saved);
    // fixed in the buffer (the file on disk still has the error): no diagnostics
    assert!(c.change(&u, 3, &text.replace("order.placed_no", "order.placed_on")).is_empty());
}

#[test]
fn conflicts_and_cycles_carry_their_other_places() {
    let mut c = Client::start();
    for case in
        ["tests/cases/errors/rulebook-conflict-same-condition.toml", "tests/cases/errors/rulebook-override-cycle.toml"]
    {
        let u = uri(case);
        let ds = c.open(&u, &read(case));
        assert!(!ds.is_empty(), "{case}");
        let related = ds[0]["relatedInformation"].as_array().unwrap_or_else(|| panic!("{case}: {:?}", ds[0]));
        assert!(!related.is_empty());
        assert!(related.iter().all(|r| r["location"]["uri"] == u), "{case}: the other places are in the same file");
    }
}

#[test]
fn a_scenario_is_checked_against_the_rulebook_its_first_line_names() {
    let mut c = Client::start();
    let case = "tests/cases/errors/scenario-unknown-fact.toml";
    let u = uri(case);
    let text = format!("# rulebook: ../../../{NL}\n{}", read(case));
    let ds = c.open(&u, &text);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["code"], "facts::unknown");
    assert_eq!(ds[0]["range"]["start"], pos(&text, "\nconcluded_no", 0, 1));
    // the rulebook open in the editor is read from its buffer: declaring the fact there clears it
    let rb = read(NL);
    let declared = rb.replace(
        "[facts.contract.concluded_on]",
        "[facts.contract.concluded_no]\ntype = \"date\"\ndoc = \"x\"\noptional = true\n\n[facts.contract.concluded_on]",
    );
    c.open(&uri(NL), &declared);
    let scenario = c.diagnostics(&u);
    assert!(scenario.iter().all(|d| d["code"] != "facts::unknown"), "{scenario:?}");
}

#[test]
fn every_example_checks_clean_against_its_rulebook() {
    let mut c = Client::start();
    for dir in ["examples/nl", "examples/be"] {
        for path in verdict::load::files_in(&root().join(dir), "toml") {
            let text = std::fs::read_to_string(&path).unwrap();
            assert!(text.starts_with("# rulebook: "), "{} names its rulebook", path.display());
            let u = format!("file://{}", path.display());
            assert_eq!(c.open(&u, &text), Vec::<J>::new(), "{}", path.display());
        }
    }
}

/// The diagnostics other than `lint::missing-translation`: a language a
/// shipped rulebook declares may still be on its way (issue 14's translations).
fn untranslated_aside(all: Vec<J>) -> Vec<J> {
    all.into_iter().filter(|d| d["code"] != "lint::missing-translation").collect()
}

#[test]
fn hover_explains_names_cites_overrides_functions_and_dates() {
    let mut c = Client::start();
    let u = uri(NL);
    let text = read(NL);
    assert!(untranslated_aside(c.open(&u, &text)).is_empty());
    let hover = |c: &mut Client, p: J| {
        c.at("textDocument/hover", &u, p)["contents"]["value"].as_str().unwrap_or("").to_string()
    };
    let h = hover(&mut c, pos(&text, "contract.kind is goods", 0, 3));
    assert!(h.contains("**fact** `contract.kind`") && h.contains("allowed values: `goods`"), "{h}");
    let h = hover(&mut c, pos(&text, "cite = \"CRD art. 9(2)(b);", 0, 8));
    assert!(h.contains("**source** `CRD`") && h.contains("https://"), "{h}");
    let h = hover(&mut c, pos(&text, "overrides = \"possession.received\"", 0, 14));
    assert!(h.contains("**rule** `possession.received`") && h.contains("cite:"), "{h}");
    let h = hover(&mut c, pos(&text, "count(items)", 0, 1));
    assert!(h.contains("count(…)") && h.contains("function"), "{h}");

    let be = "rulebooks/be/collection-costs.toml";
    let (bu, bt) = (uri(be), read(be));
    c.open(&bu, &bt);
    let h = c.at("textDocument/hover", &bu, pos(&bt, "2023-09-01'", 0, 2))["contents"]["value"].clone();
    assert!(h.as_str().unwrap().starts_with("Friday 2023-09-01"), "{h}");
    let christmas = bt.replacen("on or after 2023-09-01'", "on or after 2026-12-25'", 1);
    c.change(&bu, 2, &christmas);
    let h = c.at("textDocument/hover", &bu, pos(&christmas, "2026-12-25'", 0, 2))["contents"]["value"].clone();
    assert!(h.as_str().unwrap().contains("holiday") && h.as_str().unwrap().contains("Christmas Day"), "{h}");
}

#[test]
fn definition_and_references_connect_uses_and_declarations() {
    let mut c = Client::start();
    let u = uri(NL);
    let text = read(NL);
    c.open(&u, &text);
    let def = c.at("textDocument/definition", &u, pos(&text, "contract.kind is goods", 0, 10));
    assert_eq!(def["uri"], u);
    assert_eq!(
        def["range"],
        range(&text, "kind", text.find("[facts.contract.kind]").map(|i| text[..i].matches("kind").count()).unwrap())
    );
    let def = c.at("textDocument/definition", &u, pos(&text, "overrides = \"possession.received\"", 0, 14));
    assert_eq!(def["range"], range(&text, "possession.received", 0));
    let def = c.at("textDocument/definition", &u, pos(&text, "cite = \"CRD art.", 0, 8));
    assert_eq!(def["range"]["start"]["line"], pos(&text, "\nCRD = ", 0, 1)["line"]);
    let def = c.at("textDocument/definition", &u, pos(&text, "../calendars/nl.toml", 0, 3));
    assert_eq!(def["uri"], uri("rulebooks/calendars/nl.toml"));

    let refs = c.at("textDocument/references", &u, pos(&text, "contract.kind is goods", 0, 3));
    let refs = refs.as_array().unwrap();
    let in_rules = text.matches("contract.kind").count();
    let in_test_tables = text.matches("[tests.facts.contract]").count();
    assert!(refs.len() > in_rules, "{} references: the rules' uses, the declaration and test keys", refs.len());
    assert!(in_test_tables > 0 && refs.len() <= in_rules + 1 + text.matches("\nkind = ").count());
}

#[test]
fn completion_offers_values_after_is_and_names_by_prefix() {
    let mut c = Client::start();
    let u = uri(NL);
    let text = read(NL);
    c.open(&u, &text);
    let typing = text.replacen("when = 'contract.kind is goods and count(items) = 1'", "when = 'contract.kind is '", 1);
    c.change(&u, 2, &typing);
    let items = c.at("textDocument/completion", &u, pos(&typing, "contract.kind is '", 0, "contract.kind is ".len()));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["goods", "service", "goods_and_service", "digital_content", "regular_delivery"]);

    let typing = text.replacen("when = 'contract.kind is goods and count(items) = 1'", "when = 'contract.ch'", 1);
    c.change(&u, 3, &typing);
    let items = c.at("textDocument/completion", &u, pos(&typing, "contract.ch'", 0, "contract.ch".len()));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["contract.channel"]);
    assert_eq!(
        items[0]["textEdit"]["range"],
        range(
            &typing,
            "contract.ch",
            typing.find("contract.ch'").map(|i| typing[..i].matches("contract.ch").count()).unwrap()
        )
    );

    let typing =
        text.replacen("[tests.facts.contract]\nkind = \"goods\"", "[tests.facts.contract]\nch\nkind = \"goods\"", 1);
    c.change(&u, 4, &typing);
    let items = c.at(
        "textDocument/completion",
        &u,
        pos(&typing, "[tests.facts.contract]\nch", 0, "[tests.facts.contract]\nch".len()),
    );
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["channel"]);

    let typing = text.replacen("[tests.expect]\n", "[tests.expect]\n\"withdrawal.dead\n", 1);
    c.change(&u, 5, &typing);
    let items = c.at("textDocument/completion", &u, pos(&typing, "\"withdrawal.dead\n", 0, "\"withdrawal.dead".len()));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert!(
        labels.contains(&"\"withdrawal.deadline\"") && labels.iter().all(|l| l.starts_with("\"withdrawal.dead")),
        "{labels:?}"
    );

    let typing = text.replacen("value = 'period 14 days after withdrawal.event_on'", "value = 'period 14 '", 1);
    assert_ne!(typing, text);
    c.change(&u, 6, &typing);
    let items = c.at("textDocument/completion", &u, pos(&typing, "period 14 '", 0, "period 14 ".len()));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["days", "working days", "weeks", "months", "years"]);
}

#[test]
fn semantic_tokens_mark_the_rule_language() {
    let mut c = Client::start();
    let u = uri(NL);
    let text = read(NL);
    c.open(&u, &text);
    let data = c.request("textDocument/semanticTokens/full", json!({"textDocument": {"uri": u}}))["data"].clone();
    let data: Vec<u64> = data.as_array().unwrap().iter().map(|x| x.as_u64().unwrap()).collect();
    assert_eq!(data.len() % 5, 0);
    let (mut line, mut col) = (0, 0);
    let mut tokens = Vec::new();
    for t in data.chunks(5) {
        line += t[0];
        col = if t[0] == 0 { col + t[1] } else { t[1] };
        tokens.push((line, col, t[2], t[3]));
    }
    let at = |needle: &str, shift: usize| {
        let p = pos(&text, needle, 0, shift);
        let (l, ch) = (p["line"].as_u64().unwrap(), p["character"].as_u64().unwrap());
        tokens.iter().find(|t| t.0 == l && t.1 == ch).map(|t| (t.2, t.3))
    };
    let rule = "contract.kind is goods and count(items) = 1";
    assert_eq!(at(rule, 0), Some((13, 0)), "a fact: variable");
    assert_eq!(at(rule, 14), Some((2, 6)), "`is`: keyword");
    assert_eq!(at(rule, 17), Some((5, 2)), "`goods`: enum member");
    assert_eq!(at(rule, 27), Some((5, 3)), "`count`: function");
}

#[test]
fn symbols_list_the_declarations_and_tests() {
    let mut c = Client::start();
    let u = uri(NL);
    let text = read(NL);
    c.open(&u, &text);
    let symbols = c.request("textDocument/documentSymbol", json!({"textDocument": {"uri": u}}));
    let names: Vec<&str> = symbols.as_array().unwrap().iter().map(|s| s["name"].as_str().unwrap()).collect();
    assert!(
        names.contains(&"contract.kind")
            && names.contains(&"withdrawal.deadline")
            && names.contains(&"possession.received")
    );
    assert_eq!(names.iter().filter(|n| n.starts_with("Good Friday 2027")).count(), 2);
}

#[test]
fn code_lenses_run_a_test_and_a_scenario_and_show_the_result() {
    let mut c = Client::start();
    let u = uri(NL);
    let text = read(NL);
    c.open(&u, &text);
    let all = c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}}));
    let runs = |all: &J, title: &str| -> Vec<J> {
        all.as_array().unwrap().iter().filter(|l| l["command"]["title"] == title).cloned().collect()
    };
    let lenses = runs(&all, "▶ run");
    assert_eq!(lenses.len(), text.matches("\n[[tests]]\n").count());
    assert_eq!(runs(&all, "explain").len(), lenses.len(), "an explain lens beside each run");
    assert_eq!(lenses[0]["range"]["start"], pos(&text, "[[tests]]", 0, 0));
    let result = c.request("workspace/executeCommand", lenses[0]["command"].clone());
    assert_eq!(result["passed"], true, "{result}");
    let shown = untranslated_aside(c.diagnostics(&u));
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0]["severity"], 3, "Information");
    assert!(shown[0]["message"].as_str().unwrap().starts_with("✔ passed"));

    // a failing test says so: expect the opposite of the truth
    let failing = text.replacen("\"withdrawal.in_time\" = true", "\"withdrawal.in_time\" = false", 1);
    c.change(&u, 2, &failing);
    let lenses = runs(&c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}})), "▶ run");
    let at = failing.find("\"withdrawal.in_time\" = false").unwrap();
    let test = failing[..at].matches("\n[[tests]]\n").count() - 1;
    let result = c.request("workspace/executeCommand", lenses[test]["command"].clone());
    assert_eq!(result["passed"], false, "{result}");

    let example = "examples/nl/cd-opened.toml";
    let eu = uri(example);
    assert_eq!(c.open(&eu, &read(example)), Vec::<J>::new());
    let lenses = c.request("textDocument/codeLens", json!({"textDocument": {"uri": eu}}));
    let result = c.request("workspace/executeCommand", lenses[0]["command"].clone());
    assert_eq!(result["conclusions"]["items.exemption"], json!(["sealed_media_opened"]), "{result}");
    let shown = c.diagnostics(&eu);
    let message = shown[0]["message"].as_str().unwrap();
    assert!(message.contains("items.exemption = [\"sealed_media_opened\"] — "), "{message}");

    // explain: the text explanation, written to a file the editor is asked to open
    let explain = runs(&c.request("textDocument/codeLens", json!({"textDocument": {"uri": eu}})), "explain");
    let result = c.request("workspace/executeCommand", explain[0]["command"].clone());
    let text = result["explanation"].as_str().unwrap();
    assert!(text.contains("Verdicts") && text.contains("sealed_media_opened"), "{text}");
    let file = result["file"].as_str().unwrap();
    assert_eq!(std::fs::read_to_string(file).unwrap(), text);
    let shown = c.take("window/showDocument");
    assert_eq!(shown.len(), 1, "the editor is asked to open it");
    assert!(shown[0]["params"]["uri"].as_str().unwrap().ends_with("cd-opened.explanation.txt"), "{}", shown[0]);
    let test_explain = runs(&c.request("textDocument/codeLens", json!({"textDocument": {"uri": u}})), "explain");
    let result = c.request("workspace/executeCommand", test_explain[0]["command"].clone());
    assert!(result["explanation"].as_str().unwrap().contains("Verdicts"), "{result}");
}

#[test]
fn a_broken_rulebook_still_hovers_and_completes() {
    let mut c = Client::start();
    let u = uri(UNKNOWN_NAME);
    let text = read(UNKNOWN_NAME);
    assert_eq!(c.open(&u, &text).len(), 1);
    let h = c.at("textDocument/hover", &u, pos(&text, "order.placed_no", 1, 3));
    assert_eq!(h["contents"]["value"], "`order.placed_no` is not declared in this rulebook");
    let items = c.at("textDocument/completion", &u, pos(&text, "order.placed_no", 1, "order.pl".len()));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["order.placed_on"], "the declared name, not the misspelt one");
    let h = c.at("textDocument/hover", &u, pos(&text, "LAW art. 1", 0, 1));
    assert!(h["contents"]["value"].as_str().unwrap().contains("A law"), "{h}");
}

#[test]
fn a_toml_error_is_located_and_the_last_index_is_kept() {
    let mut c = Client::start();
    let case = "tests/cases/errors/rulebook-toml-syntax.toml";
    let u = uri(case);
    let broken = read(case);
    let fixed = broken.replace("type \"date\"", "type = \"date\"");
    assert_eq!(c.open(&u, &fixed), Vec::<J>::new());
    let ds = c.change(&u, 2, &broken);
    assert_eq!(ds.len(), 1);
    assert_eq!(ds[0]["code"], "input::toml");
    // `verdict check` says 16:6 (1-based line and character)
    assert_eq!(ds[0]["range"]["start"], json!({"line": 15, "character": 5}));
    // the names of the last text that parsed still answer (the lines above the error are unchanged)
    let h = c.at("textDocument/hover", &u, pos(&broken, "LAW = {", 0, 1));
    assert!(h["contents"]["value"].as_str().unwrap().contains("**source** `LAW`"), "{h}");
}

#[test]
fn a_scenario_hovers_completes_and_jumps_into_its_rulebook() {
    let mut c = Client::start();
    let example = "examples/nl/cd-opened.toml";
    let (u, text) = (uri(example), read(example));
    assert_eq!(c.open(&u, &text), Vec::<J>::new());
    let h = c.at("textDocument/hover", &u, pos(&text, "\nkind = ", 0, 2));
    assert!(h["contents"]["value"].as_str().unwrap().starts_with("**fact** `contract.kind`"), "{h}");
    let def = c.at("textDocument/definition", &u, pos(&text, "\nkind = ", 0, 2));
    let rb = read(NL);
    assert_eq!(def["uri"], uri(NL));
    assert_eq!(def["range"]["start"]["line"], pos(&rb, "[facts.contract.kind]", 0, 0)["line"]);
    let def = c.at("textDocument/definition", &u, pos(&text, "withdrawal.toml", 0, 0));
    assert_eq!(def["uri"], uri(NL), "the first line names the rulebook");
    let def = c.at("textDocument/definition", &u, pos(&text, "\nseal_broken", 0, 2));
    assert_eq!(def["range"]["start"]["line"], pos(&rb, "[facts.items.fields.seal_broken]", 0, 0)["line"]);

    let typing = text.replacen("[contract]\n", "[contract]\nch\n", 1);
    c.change(&u, 2, &typing);
    let items = c.at("textDocument/completion", &u, pos(&typing, "[contract]\nch", 0, "[contract]\nch".len()));
    let labels: Vec<&str> = items.as_array().unwrap().iter().map(|i| i["label"].as_str().unwrap()).collect();
    assert_eq!(labels, ["channel"]);
}

#[test]
fn a_problem_in_the_calendar_is_shown_where_the_rulebook_names_it() {
    let dir = std::env::temp_dir().join(format!("verdict-lsp-calendar-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let calendar = dir.join("broken-cal.toml");
    std::fs::write(&calendar, "[calendar]\nname = \"no id\"\n").unwrap();
    let path = dir.join("rulebook.toml");
    let text = read(UNKNOWN_NAME)
        .replace("order.placed_no", "order.placed_on")
        .replace("effective_from = 2020-01-01", "effective_from = 2020-01-01\ncalendar = \"broken-cal.toml\"");
    let mut c = Client::start();
    let u = format!("file://{}", path.display());
    let ds = c.open(&u, &text);
    assert_eq!(ds.len(), 1, "{ds:?}");
    assert_eq!(ds[0]["range"], range(&text, "broken-cal.toml", 0));
    assert!(ds[0]["message"].as_str().unwrap().starts_with(&format!("{}:1:1: ", calendar.display())), "{}", ds[0]);
    let related = &ds[0]["relatedInformation"][0]["location"];
    assert_eq!(related["uri"], format!("file://{}", calendar.display()));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn formatting_gives_the_file_as_verdict_fmt_writes_it() {
    let mut c = Client::start();
    let u = uri(NL);
    let text = read(NL);
    c.open(&u, &text);
    let params = json!({"textDocument": {"uri": u}, "options": {"tabSize": 4, "insertSpaces": true}});
    assert_eq!(c.request("textDocument/formatting", params.clone()), json!([]), "a shipped rulebook is formatted");
    // a rule string spaced by hand comes back as verdict fmt writes it
    let messy = text.replacen(
        "contract.kind is goods and count(items) = 1",
        "contract.kind   is goods and count( items )=1",
        1,
    );
    assert_ne!(messy, text);
    c.change(&u, 2, &messy);
    let edits = c.request("textDocument/formatting", params.clone());
    let edits = edits.as_array().unwrap();
    assert_eq!(edits.len(), 1, "{edits:?}");
    assert_eq!(edits[0]["range"]["start"], json!({"line": 0, "character": 0}));
    assert_eq!(edits[0]["newText"].as_str().unwrap(), text);
    // a file that does not parse is left alone
    c.change(&u, 3, &text.replacen("[rulebook]", "[rulebook", 1));
    assert_eq!(c.request("textDocument/formatting", params), json!(null));
}

#[test]
fn lints_are_shown_as_warnings_as_verdict_check_shows_them() {
    let mut c = Client::start();
    let rel = "tests/cases/cli/check-lints.toml";
    let shown = c.open(&uri(rel), &read(rel));
    let lints: Vec<&J> = shown.iter().filter(|d| d["code"].as_str().is_some_and(|c| c.starts_with("lint::"))).collect();
    assert_eq!(lints.len(), 4, "the four lints of `verdict check`: {shown:?}");
    assert!(lints.iter().all(|d| d["severity"] == 2), "as warnings: {shown:?}");
    assert!(lints.iter().any(|d| d["code"] == "lint::no-because"), "{shown:?}");
}
