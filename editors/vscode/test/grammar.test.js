// The injection grammar on the shipped rulebooks: `node --test test/` (npm test).
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const { loadGrammar, tokenizeText } = require("./tokenize.js");

const REPO = path.join(__dirname, "..", "..", "..");
const RULEBOOKS = path.join(REPO, "rulebooks");
const EMBEDDED = "meta.embedded.expression.verdict";

let grammarPromise;
const grammar = () => (grammarPromise ??= loadGrammar());

/** The tokenised lines of a repository file. */
async function lines(file) {
  return tokenizeText(await grammar(), fs.readFileSync(path.join(REPO, file), "utf8"));
}

/** The line of `file` that is exactly `text` (trimmed), with its tokens. */
async function line(file, text) {
  const all = await lines(file);
  const found = all.filter((l) => l.text.trim() === text);
  assert.equal(found.length > 0, true, `${file} has no line \`${text}\``);
  return found[0];
}

/** The scopes of the token of `l` whose text is `word` (the `nth` such token, from 0). */
function scopesOf(l, word, nth = 0) {
  const matches = l.tokens.filter((t) => t.text === word);
  assert.ok(matches.length > nth, `no token \`${word}\` in \`${l.text}\`: ${JSON.stringify(l.tokens.map((t) => t.text))}`);
  return matches[nth].scopes;
}

function assertScope(l, word, scope, nth = 0) {
  const scopes = scopesOf(l, word, nth);
  assert.ok(scopes.includes(scope), `\`${word}\` in \`${l.text.trim()}\` has ${scopes.join(" ")}, not ${scope}`);
}

function rulebookFiles(dir = RULEBOOKS) {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return rulebookFiles(p);
    return e.name.endsWith(".toml") ? [path.relative(REPO, p)] : [];
  });
}

test("keywords, names and numbers of a one-line condition", async () => {
  const l = await line("rulebooks/be/collection-costs.toml", "when = 'contract.concluded_on is on or after 2023-09-01'");
  assertScope(l, "contract.concluded_on", "variable.other.verdict");
  assertScope(l, "is", "keyword.operator.word.verdict");
  assertScope(l, "on", "keyword.operator.word.verdict");
  assertScope(l, "or", "keyword.operator.logical.verdict");
  assertScope(l, "after", "keyword.operator.word.verdict");
  assertScope(l, "2023-09-01", "constant.numeric.date.verdict");
  assertScope(l, "when", "variable.other.key.toml");
  for (const t of l.tokens.filter((t) => t.text.trim() && !t.text.includes("'") && t.start > 6)) {
    assert.ok(t.scopes.includes(EMBEDDED), `\`${t.text}\` is inside the rule string`);
    assert.ok(!t.scopes.some((s) => s.startsWith("string.")), `\`${t.text}\` is not coloured as a TOML string`);
  }
});

test("a date as a whole value", async () => {
  const l = await line("rulebooks/be/collection-costs.toml", "value = '2023-12-01'");
  assertScope(l, "2023-12-01", "constant.numeric.date.verdict");
});

test("money: currency and amount, and a comparison with it", async () => {
  const l = await line(
    "rulebooks/be/history/withdrawal-2022.toml",
    "when = 'withdrawal.effective and refund.delivery_surcharge > EUR 0.00'",
  );
  assertScope(l, "EUR", "constant.numeric.money.verdict");
  assertScope(l, "EUR", "support.constant.currency.verdict");
  assertScope(l, " 0.00", "constant.numeric.money.verdict");
  assertScope(l, ">", "keyword.operator.comparison.verdict");
  assertScope(l, "and", "keyword.operator.logical.verdict");
  assertScope(l, "refund.delivery_surcharge", "variable.other.verdict");
});

test("tiered schedules, functions and percentages", async () => {
  const l = await line(
    "rulebooks/be/collection-costs.toml",
    "value = 'round(EUR 30.00 + (tiered collection.balance: 0% of the first EUR 150, 10% of the rest), 2)'",
  );
  assertScope(l, "round", "support.function.builtin.verdict");
  assertScope(l, "tiered", "keyword.other.verdict");
  assertScope(l, "collection.balance", "variable.other.verdict");
  assertScope(l, "0%", "constant.numeric.percent.verdict");
  assertScope(l, "10%", "constant.numeric.percent.verdict");
  assertScope(l, "first", "keyword.other.verdict");
  assertScope(l, "rest", "keyword.other.verdict");
  assertScope(l, "+", "keyword.operator.arithmetic.verdict");
  assertScope(l, "2", "constant.numeric.integer.verdict");
});

test("legal periods: durations with their unit, working days", async () => {
  const l = await line(
    "rulebooks/be/damaged-delivery.toml",
    "value = 'period 3 working days after delivery.received_on without shift'",
  );
  assertScope(l, "period", "keyword.other.verdict");
  assertScope(l, "3", "constant.numeric.integer.verdict");
  assertScope(l, "working days", "keyword.other.unit.verdict");
  assertScope(l, "without", "keyword.other.verdict");
  assertScope(l, "shift", "keyword.other.verdict");
  assertScope(l, "delivery.received_on", "variable.other.verdict");
});

test("multi-line literal strings: the continuation lines are rule text, the next key is TOML again", async () => {
  const all = await lines("rulebooks/be/damaged-delivery.toml");
  const start = all.findIndex((l) => l.text.startsWith("value = '''if device.grade_bought is premium"));
  assert.ok(start > 0);
  const cont = all[start + 1];
  assert.equal(cont.text.trim(), "else if device.grade_bought is goed then 2 else 1'''");
  assertScope(cont, "else", "keyword.control.conditional.verdict");
  assertScope(cont, "if", "keyword.control.conditional.verdict");
  assertScope(cont, "then", "keyword.control.conditional.verdict");
  assertScope(cont, "device.grade_bought", "variable.other.verdict");
  assertScope(cont, "'''", "punctuation.definition.string.end.toml");
  const after = all[start + 2];
  assert.match(after.text, /^because(\.en)? = /);
  assert.ok(after.tokens.every((t) => !t.scopes.some((s) => s.endsWith(".verdict"))), "no rule scopes leak past '''");
  assertScope(after, "because", "variable.other.key.toml");
});

test("timeline labels are text, calls inside are functions", async () => {
  const all = await lines("rulebooks/be/damaged-delivery.toml");
  const l = all.find((x) => x.text.includes('"3 working days to report the damage": interval('));
  assertScope(l, '"3 working days to report the damage"', "string.quoted.double.verdict");
  assertScope(l, "interval", "support.function.builtin.verdict");
  assertScope(l, "1 day".split(" ")[1], "keyword.other.unit.verdict");
});

test("type annotations: scalar types, enumerations, lists", async () => {
  const withdrawal = await lines("rulebooks/nl/withdrawal.toml");
  const enumLine = withdrawal.find((l) => /^type = "one of goods, /.test(l.text));
  assert.ok(enumLine, "an enumeration type in nl/withdrawal.toml");
  assertScope(enumLine, "one", "keyword.other.type.verdict");
  assertScope(enumLine, "goods", "constant.other.enum-member.verdict");
  const dateLine = withdrawal.find((l) => l.text === 'type = "date"');
  assertScope(dateLine, "date", "support.type.primitive.verdict");
  const listLine = withdrawal.find((l) => /^type = "list of [a-z_]+"/.test(l.text));
  assertScope(listLine, "list of", "keyword.other.type.verdict");
});

test("`concludes` names a conclusion", async () => {
  const l = await line("rulebooks/be/damaged-delivery.toml", 'concludes = "damage.timeline"');
  assertScope(l, "damage.timeline", "variable.other.verdict");
});

test("every shipped rulebook: each rule string is highlighted, nothing leaks outside it", async () => {
  const files = rulebookFiles();
  assert.ok(files.length >= 10, `found the shipped rulebooks: ${files.length}`);
  let ruleLines = 0;
  for (const file of files) {
    const all = await lines(file);
    let inTriple = false;
    for (const l of all) {
      const starts = /^\s*(when|value|require)\s*=\s*'/.test(l.text);
      const inside = starts || inTriple;
      if (starts && /^\s*\w+\s*=\s*'''/.test(l.text)) inTriple = !l.text.trimEnd().slice(l.text.indexOf("'''") + 3).includes("'''");
      else if (inTriple && l.text.includes("'''")) inTriple = false;
      const ruleScoped = l.tokens.filter((t) => t.scopes.includes(EMBEDDED));
      if (inside) {
        ruleLines++;
        const words = ruleScoped.filter((t) => t.text.trim());
        const opensOnly = /^\s*\w+\s*=\s*'''\s*$/.test(l.text);
        assert.ok(opensOnly || words.length > 0, `${file}: \`${l.text}\` is highlighted as rule text`);
        for (const t of words) {
          assert.ok(
            t.scopes.some((s) => s.endsWith(".verdict") && s !== EMBEDDED),
            `${file}: \`${t.text}\` in \`${l.text.trim()}\` has a rule-language scope (has ${t.scopes.join(" ")})`,
          );
          assert.ok(!t.scopes.some((s) => s.startsWith("invalid.")), `${file}: \`${t.text}\` is not invalid`);
        }
      } else {
        assert.equal(ruleScoped.length, 0, `${file}: \`${l.text}\` is not rule text`);
      }
    }
  }
  assert.ok(ruleLines > 1000, `checked ${ruleLines} rule lines`);
});

test("data strings that look like rule text stay TOML: table rows, because", async () => {
  const all = await lines("rulebooks/nl/collection-costs.toml");
  const row = all.find((l) => /^\s*\{ from = \d{4}-\d{2}-\d{2}, value = "/.test(l.text));
  assert.ok(row, "a dated table row in nl/collection-costs.toml");
  assert.ok(row.tokens.every((t) => !t.scopes.some((s) => s.endsWith(".verdict"))));
});
