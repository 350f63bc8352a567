// The playground in a real browser (Debian's chromium, driven by
// playwright-core): load a served rulebook, misspell a fact name in a rule,
// see the diagnostic with its did-you-mean, fix it, paste an example
// scenario, evaluate with Ctrl-Enter, and see the verdict and the timeline.
// Started by tests/browser/run.sh, which gives VERDICT_URL.

import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const require = createRequire(join(root, "playground", "package.json"));
const { chromium } = require("playwright-core");

const BASE = process.env.VERDICT_URL;
const SCREENSHOT = process.env.SCREENSHOT || join(root, "target", "browser", "playground.png");
const WAIT = { timeout: 15000 };
let browser;
let page;

before(async () => {
  assert.ok(BASE, "VERDICT_URL is set (run tests/browser/run.sh)");
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
  page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  page.on("pageerror", (e) => console.error("page error:", e.message));
});

after(async () => {
  if (page) {
    mkdirSync(dirname(SCREENSHOT), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: true }).catch((e) => console.error(e.message));
  }
  await browser?.close();
});

const rulebookDoc = () => page.evaluate(() => window.playground.rulebook.state.doc.toString());
const scenarioDoc = () => page.evaluate(() => window.playground.scenario.state.doc.toString());

test("the playground loads the NL BNPL rulebook, and it checks clean", async () => {
  const r = await page.goto(`${BASE}/`);
  assert.equal(r.status(), 200);
  assert.equal(await page.title(), "verdict playground");
  await page.locator('#rulebook-select option[value="nl.bnpl"]').waitFor({ state: "attached", ...WAIT });
  await page.selectOption("#rulebook-select", "nl.bnpl");
  await page.getByRole("button", { name: "Load" }).click();
  await page.waitForFunction(() => document.body.dataset.loaded === "nl.bnpl", null, WAIT);
  const shipped = readFileSync(join(root, "rulebooks", "nl", "bnpl.toml"), "utf8");
  assert.equal(await rulebookDoc(), shipped);
  await page.locator("#check-status", { hasText: "no problems" }).waitFor(WAIT);
  assert.equal(await page.locator("#diagnostics li").count(), 0);
  // the empty scenario editor got a template of the rulebook's facts
  await page.waitForFunction(() => window.playground.scenario.state.doc.length > 0, null, WAIT);
  const template = await scenarioDoc();
  assert.match(template, /^\[order\]\n# date: [^\n]*\nplaced_on = \d{4}-\d{2}-\d{2}$/m);
  assert.match(template, /^# \[\[pause_requests\]\]$/m);
});

test("a misspelt fact name is underlined and listed with its did-you-mean; fixing it clears it", async () => {
  // find the rule with the keyboard: the search panel, then the match
  await page.locator("#rulebook-editor .cm-content").click();
  await page.keyboard.press("Control+f");
  await page.locator("#rulebook-editor .cm-search input[name=search]:focus").waitFor(WAIT);
  await page.keyboard.type("after order.placed_on without");
  await page.keyboard.press("Enter");
  await page.keyboard.press("Escape");
  await page.keyboard.press("ArrowLeft"); // to the start of the match
  for (let i = 0; i < "after order.plac".length; i++) await page.keyboard.press("ArrowRight");
  await page.keyboard.press("Delete"); // placed_on -> placd_on
  const edited = await rulebookDoc();
  assert.ok(edited.includes("value = 'period 3 days after order.placd_on without shift'"), "the rule now names order.placd_on");

  const problem = page.locator("#diagnostics li.problem");
  await problem.first().waitFor(WAIT);
  assert.equal(await problem.count(), 1);
  const text = await problem.first().innerText();
  assert.match(text, /unknown name `order\.placd_on`/);
  assert.match(text, /did you mean `order\.placed_on`\?/);
  const line = edited.split("\n").findIndex((l) => l.includes("order.placd_on")) + 1;
  assert.match(text, new RegExp(`^${line}:30`));
  assert.match(await page.locator("#check-status").innerText(), /1 problem/);

  // the underline sits on the misspelt name, and hovering it shows the help
  const underline = page.locator("#rulebook-editor .cm-lintRange-error");
  await underline.first().waitFor(WAIT);
  assert.equal(await underline.first().innerText(), "order.placd_on");
  await underline.first().hover();
  const tip = page.locator(".cm-tooltip-lint");
  await tip.waitFor(WAIT);
  assert.match(await tip.innerText(), /did you mean `order\.placed_on`\?/);

  // fix it where the cursor is
  await page.locator("#rulebook-editor .cm-content").focus();
  await page.keyboard.type("e");
  assert.equal(await rulebookDoc(), readFileSync(join(root, "rulebooks", "nl", "bnpl.toml"), "utf8"));
  await page.locator("#check-status", { hasText: "no problems" }).waitFor(WAIT);
  assert.equal(await problem.count(), 0);
  await underline.first().waitFor({ state: "detached", ...WAIT });
});

test("an example scenario evaluates to its verdicts, explanation and timeline picture", async () => {
  const example = readFileSync(join(root, "examples", "nl", "bnpl-late-delivery-pause.toml"), "utf8");
  await page.locator("#scenario-editor .cm-content").click();
  await page.keyboard.press("Control+a");
  await page.keyboard.insertText(example); // as a paste
  assert.equal(await scenarioDoc(), example);
  await page.keyboard.press("Control+Enter");

  const due = page.locator('#verdicts tr[data-conclusion="invoice.due_on"] td.value');
  await due.waitFor(WAIT);
  assert.equal(await due.innerText(), "2026-04-02");
  assert.equal(await page.locator('#verdicts tr[data-conclusion="invoice.paid_in_time"] td.value').innerText(), "yes");
  assert.match(await page.locator('#verdicts tr[data-conclusion="invoice.due_on"] td.rule').innerText(), /\S/);

  // the explanation cites the law or terms behind each step
  const steps = page.locator("#explanation li.step");
  assert.ok((await steps.count()) > 5, "the explanation has its steps");
  assert.ok((await page.locator("#explanation cite").count()) > 0, "with citations");
  const dueStep = steps.filter({ has: page.locator("strong", { hasText: /^invoice\.due_on$/ }) });
  assert.equal(await dueStep.count(), 1);
  assert.match(await dueStep.innerText(), /2026-04-02/);
  assert.ok((await dueStep.locator("cite").count()) === 1, "the due date's step has its citation");

  // the timeline: 6 dated events and 1 span (the pause, 16-29 March)
  const svg = page.locator('figure.timeline[data-conclusion="bnpl.timeline"] svg');
  await svg.waitFor(WAIT);
  assert.equal(await svg.locator("g.event").count(), 7);
  assert.equal(await svg.locator("g.event.point").count(), 6);
  const spans = svg.locator("g.event.interval");
  assert.equal(await spans.count(), 1);
  assert.equal(await spans.getAttribute("data-from"), "2026-03-16");
  assert.equal(await spans.getAttribute("data-to"), "2026-03-29");
  assert.equal(await svg.locator('g.event.point[data-date="2026-04-02"]').getAttribute("data-event"), "Payment due");
  const box = await svg.boundingBox();
  assert.ok(box && box.width > 300 && box.height > 100, "the picture is drawn at a readable size");
  await svg.scrollIntoViewIfNeeded();
});

test("an option changes the verdict as `verdict eval --set` does", async () => {
  await page.locator("#options-box summary").click();
  const anchor = page.getByLabel("due_anchor");
  assert.equal(await anchor.inputValue(), "invoice"); // the rulebook's default
  await anchor.selectOption("receipt");
  assert.match(await page.locator("#options-count").innerText(), /1 changed/);
  await page.getByRole("button", { name: /^Evaluate/ }).click();
  const due = page.locator('#verdicts tr[data-conclusion="invoice.due_on"] td.value');
  // `verdict eval rulebooks/nl/bnpl.toml examples/nl/bnpl-late-delivery-pause.toml --set due_anchor=receipt`
  await page.waitForFunction(() => document.body.dataset.evaluations === "2", null, WAIT);
  assert.equal(await due.innerText(), "2026-04-12");
  await anchor.selectOption("invoice");
  await page.keyboard.press("Control+Enter");
  await page.waitForFunction(() => document.body.dataset.evaluations === "3", null, WAIT);
  assert.equal(await due.innerText(), "2026-04-02");
});
