//! Every diagnostic code verdict emits, with its one-line meaning and fix:
//! the registry `docs/ERRORS.md` documents and `tests/integration/error_codes.rs`
//! holds the source to (every code literal under src/ must be listed here).
//! Constructors take the code as a string literal (`Diagnostic::new("check::type", …)`),
//! which keeps a call site readable; the test is what ties them to this list.

/// One code: what it means and what to do.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Code {
    /// The code, `stage::name`.
    pub code: &'static str,
    /// What it means, in one line.
    pub meaning: &'static str,
    /// What to do about it, in one line.
    pub fix: &'static str,
}

/// All codes, sorted.
pub const CODES: &[Code] = &[
    Code { code: "calendar::date", meaning: "a holiday's `date` is not a month and day (\"MM-DD\")", fix: "write date = \"07-14\" (month first) for every year, or on = 2026-07-14 for one day" },
    Code { code: "calendar::easter", meaning: "an Easter offset must stay within 200 days", fix: "Easter-relative holidays are written as days after Easter Sunday, e.g. 39 for Ascension" },
    Code { code: "calendar::move", meaning: "a holiday moves at most 7 days", fix: "write the number of days to move, e.g. -1 for the day before" },
    Code { code: "calendar::weekday", meaning: "`…` is not a weekday", fix: "write monday, tuesday, wednesday, thursday, friday, saturday or sunday" },
    Code { code: "calendar::when", meaning: "holiday `…` needs exactly one of `date`, `easter`, `on`", fix: "`date = \"12-25\"` every year, `easter = 1` relative to Easter Sunday, `on = 2026-05-15` once" },
    Code { code: "calendar::year", meaning: "year … is outside …–…", fix: "calendars cover … to …" },
    Code { code: "calendar::year-range", meaning: "a holiday's `until` year is before its `from` year: it falls in no year", fix: "swap `from` and `until`, or leave `until` out for a holiday that still applies" },
    Code { code: "check::arity", meaning: "`…` takes … argument(s), not …", fix: "see the built-in functions in docs/LANGUAGE.md" },
    Code { code: "check::as-of-fact", meaning: "`…` is the day a scenario is evaluated as of, so it must be a date", fix: "write type = \"date\" (with optional = true, so --as-of can be left out), or give this fact another name" },
    Code { code: "check::calendar", meaning: "… needs a holiday calendar", fix: "select one in [rulebook], e.g. calendar = \"../calendars/nl.toml\"" },
    Code { code: "check::calendar-option", meaning: "option `…` switches holidays on, so it must be a bool", fix: "declare it with type = \"bool\"" },
    Code { code: "check::check-reads", meaning: "check `…` reads the conclusion `…`", fix: "a check validates the scenario before anything is concluded; use facts and options" },
    Code { code: "check::conflict", meaning: "two rules of one conclusion can both apply with no order between them", fix: "make one an exception of the other with `overrides`, or give them exclusive conditions" },
    Code { code: "check::currency", meaning: "this rulebook counts in …, not …", fix: "write amounts as `… 40.00`, or set currency in [rulebook]" },
    Code { code: "check::cycle", meaning: "conclusions depend on each other in a cycle", fix: "break the cycle: one of the conclusions must not read the other" },
    Code { code: "check::date-fact", meaning: "`date_fact` names something that is not a date fact", fix: "name a date fact, e.g. date_fact = \"contract.concluded_on\"" },
    Code { code: "check::duplicate-name", meaning: "`…` is declared twice", fix: "facts, conclusions and options share one set of names; rename one" },
    Code { code: "check::duplicate-rule", meaning: "rule id `…` is used twice", fix: "give every rule its own id" },
    Code { code: "check::each", meaning: "the `each` of a [[checks]] entry is not a list of records", fix: "name a list of records declared under [facts], e.g. each = \"items\"" },
    Code { code: "check::element", meaning: "`…` only exists in rules for one element of `…`", fix: "use it in a rule for a per-item conclusion `….…`, or use `….…` for the list of all values" },
    Code { code: "check::element-name", meaning: "`…` cannot name one element", fix: "pick a single word not used for anything else, e.g. `list of item`" },
    Code { code: "check::given", meaning: "`is given` / `is absent` apply to a fact or a conclusion", fix: "write `withdrawal.sent_on is given`" },
    Code { code: "check::label-conflict", meaning: "the value `…` is labelled twice, differently", fix: "a value has one label in the whole rulebook: keep one, or make them the same" },
    Code { code: "check::label-type", meaning: "`…` is …: it has no values to label", fix: "labels name the values of an enumeration (`one of a, b`) or the events of a timeline conclusion; remove `labels` here" },
    Code { code: "check::label-unknown", meaning: "`…` is not a value of `…` (or no rule of a timeline writes the event)", fix: "label one of the enumeration's values, or an event as its `timeline(…)` writes it, in quotes" },
    Code { code: "check::missing-cite", meaning: "rule `…` decides `…` without citing a source", fix: "add cite = \"…\" with the article and paragraph, e.g. cite = \"CRD art. 9(2)(b)\"" },
    Code { code: "check::no-rules", meaning: "no rule concludes `…`", fix: "add a [[rules]] entry with concludes = \"…\", or remove the declaration" },
    Code { code: "check::override-cycle", meaning: "rules override each other in a cycle: …", fix: "exceptions must form a tree: remove one of these `overrides`" },
    Code { code: "check::override-target", meaning: "rule `…` overrides `…`, which decides another conclusion", fix: "an exception overrides rules for the same conclusion" },
    Code { code: "check::placeholder-type", meaning: "a letter's placeholder names a list of records or a timeline", fix: "name one value: a date, an amount, a text, or a field of a list (`items.name`)" },
    Code { code: "check::records", meaning: "a list of records can only be a fact", fix: "declare the list under [facts] with its fields; per-item conclusions are named `list.name`" },
    Code { code: "check::round", meaning: "the number of decimals must be a whole number from 0 to 28", fix: "write e.g. round(x, 2) for cents" },
    Code { code: "check::self-override", meaning: "rule `…` overrides itself", fix: "name the rule this one is an exception to" },
    Code { code: "check::table-type", meaning: "a table holds single values, not …", fix: "use decimal (rates), money (amounts), integer, date, bool, text or `one of …`" },
    Code { code: "check::tiers", meaning: "`of the rest` must be the last tranche", fix: "move `… of the rest` to the end" },
    Code { code: "check::type", meaning: "a value has the wrong type for where it is used", fix: "change the value, or the declared type; the labels say which type each side has" },
    Code { code: "check::unknown-conclusion", meaning: "a rule concludes a name that is not a declared conclusion (or is a fact)", fix: "declare it under [conclusions.…], or fix the name" },
    Code { code: "check::unknown-function", meaning: "unknown function `…`", fix: "see the built-in functions in docs/LANGUAGE.md" },
    Code { code: "check::unknown-name", meaning: "an expression uses a name that is not declared", fix: "use a declared fact, conclusion or option; an enumeration value is compared with `is`" },
    Code { code: "check::unknown-placeholder", meaning: "a letter's placeholder names no declared fact or conclusion", fix: "correct the name (the help names the nearest), or write {blank:NAME} for a line the consumer fills in" },
    Code { code: "check::unknown-rule", meaning: "rule `…` overrides `…`, which does not exist", fix: "name the rule this one is an exception to" },
    Code { code: "check::unknown-source", meaning: "a citation does not start with a key of [sources]", fix: "start every `;`-separated citation with a source key: cite = \"KEY art. 1\"" },
    Code { code: "check::unknown-table", meaning: "an expression reads a dated table that is not declared", fix: "declare it under [tables.NAME]" },
    Code { code: "cli::lang", meaning: "`--lang` names a language verdict does not speak or the rulebook does not declare", fix: "choose one of the rulebook's `languages` with --lang, or add the language there and translate the texts" },
    Code { code: "cli::set", meaning: "a `--set` argument is malformed, names an unknown option or has a bad value", fix: "write --set option=value with a declared option" },
    Code { code: "eval::conflict", meaning: "rules `…` and `…` both apply to `…`… and neither overrides the other", fix: "both conditions hold…; decide which rule wins: add overrides = \"…\" to `…` (or the reverse), or make their conditions exclusive" },
    Code { code: "eval::date", meaning: "a date computed during evaluation is out of range", fix: "check the dates in the scenario" },
    Code { code: "eval::division-by-zero", meaning: "a division by zero during evaluation", fix: "guard the division with a condition (`if x > 0 then … else …`)" },
    Code { code: "eval::interest-backwards", meaning: "interest asked from a later day to an earlier one", fix: "check the order of `from` and `to`" },
    Code { code: "eval::internal", meaning: "an internal error of the evaluator (please report it)", fix: "report the rulebook and scenario" },
    Code { code: "eval::interval", meaning: "an interval ends before it starts", fix: "check the two dates of `interval(a, b)` or the scenario's interval" },
    Code { code: "eval::overflow", meaning: "an arithmetic overflow during evaluation", fix: "check the amounts in the scenario; split large computations" },
    Code { code: "eval::precision", meaning: "an exact result needs more than 28 digits", fix: "round intermediate results (`round(x, 2)`)" },
    Code { code: "eval::table-before-first-row", meaning: "a dated table is read on a day before its first row", fix: "add an earlier row, or check the day it is read on" },
    Code { code: "facts::amount-range", meaning: "the amount `…` is too large", fix: "amounts must stay below … so that every sum and rate stays exact" },
    Code { code: "facts::bad-number", meaning: "a scenario amount or number is not a number (\"89,90\", \"€89.90\", \"89.90 EUR\")", fix: "write digits with a decimal point and no currency sign: \"89.90\"" },
    Code { code: "facts::cents", meaning: "the amount `…` has more than two decimals", fix: "write amounts in euro and cents, e.g. \"94.90\"" },
    Code { code: "facts::check", meaning: "a scenario fails one of the rulebook's [[checks]]", fix: "correct the scenario as the check's hint says" },
    Code { code: "facts::date-range", meaning: "the date … is outside …–…", fix: "verdict computes periods and holidays for … to …; check the year" },
    Code { code: "facts::enum", meaning: "a value is not one of the enumeration's values", fix: "use one of the values listed" },
    Code { code: "facts::interval", meaning: "an interval in a scenario lacks `from` or `to`", fix: "write { from = 2026-03-01, to = 2026-03-14 }" },
    Code { code: "facts::missing", meaning: "a scenario does not give a fact every scenario must give", fix: "add it (the hint names it with its description), or declare it optional in the rulebook" },
    Code { code: "facts::negative-amount", meaning: "the amount `…` is negative", fix: "amounts in a scenario are what was paid or charged: write them as positive numbers" },
    Code { code: "facts::not-in-enum", meaning: "a scenario value is not one of the enumeration's values", fix: "use one of the values listed (the hint names the nearest)" },
    Code { code: "facts::timeline", meaning: "a timeline event in a test expectation lacks `event`", fix: "write { date = 2026-03-02, event = \"Invoice sent\" }" },
    Code { code: "facts::too-long", meaning: "the list has more than … elements", fix: "split the scenario; one scenario is one purchase" },
    Code { code: "facts::unknown", meaning: "a scenario gives a fact the rulebook does not declare", fix: "fix the name (the hint names the nearest) or remove it" },
    Code { code: "facts::wrong-type", meaning: "a scenario value has the wrong type (text for a date, a table for a value, …)", fix: "write the value in the form the fact's type takes (docs/LANGUAGE.md, Types)" },
    Code { code: "input::bad-date", meaning: "`…` is not a valid date", fix: "write a date as YYYY-MM-DD, e.g. 2026-03-02, and check the day exists in that month" },
    Code { code: "input::calendar", meaning: "the calendar a rulebook selects cannot be read or is not a calendar", fix: "check the `calendar` path (relative to the rulebook) and the file" },
    Code { code: "input::duplicate-key", meaning: "the key `…` is given twice", fix: "give each key once" },
    Code { code: "input::encoding", meaning: "a file is not UTF-8 text (saved as Latin-1 or Windows-1252 by an older editor)", fix: "save the file as UTF-8; the message names the line, column and byte, and what the byte is in Latin-1" },
    Code { code: "input::integer-overflow", meaning: "the number `…` is too large", fix: "use a smaller number" },
    Code { code: "input::json", meaning: "a JSON scenario is not valid JSON", fix: "fix the JSON at the place shown" },
    Code { code: "input::missing-key", meaning: "a required key or table is missing", fix: "add it (the hint names it); a misspelt [rulebook] is reported at the misspelling" },
    Code { code: "input::read", meaning: "cannot read `…`: …", fix: "check the path and that the file is a readable text file" },
    Code { code: "input::toml", meaning: "invalid TOML: …", fix: "fix the TOML syntax; strings need quotes, tables are written [name], lists [a, b]" },
    Code { code: "input::unknown-key", meaning: "a table has a key that is not allowed there", fix: "fix the key (the hint lists the allowed ones)" },
    Code { code: "input::wrong-kind", meaning: "a file of another kind than the command expects (a calendar or scenario as a rulebook, a rulebook as a scenario, eval arguments swapped)", fix: "give the files in the order the command takes them: verdict eval RULEBOOK SCENARIO…; a rulebook selects its calendar itself" },
    Code { code: "input::wrong-type", meaning: "a TOML value has the wrong type (a list for a string, a number for text, …)", fix: "write the value in the form the hint gives" },
    Code { code: "letter::cannot-render", meaning: "a letter states a value the scenario does not give or that does not apply", fix: "give the facts named in the scenario; a letter is written only when every value it states is known" },
    Code { code: "letter::does-not-apply", meaning: "the letter asked for does not apply to the scenario: its `when` is false", fix: "list the letters that apply with `verdict letter RULEBOOK SCENARIO`" },
    Code { code: "lint::always-given", meaning: "`… …` is always …: every scenario must give `…`", fix: "declare `…` with optional = true if a scenario may leave it out, or drop the test of it" },
    Code { code: "lint::duplicate-holiday", meaning: "holiday `…` falls on the day of `…` in every year: it is declared twice", fix: "remove one of the two entries; to give a holiday several names, use `names`" },
    Code { code: "lint::duplicate-test", meaning: "two tests are named `…`", fix: "give each test its own name: `verdict test` reports and `--filter` selects tests by name" },
    Code { code: "lint::implied-condition", meaning: "whenever rule `…` applies, rule `…` applies too (both decide `…`)", fix: "say which wins: overrides = \"…\" in rule `…` (the exception overrides the general rule), or make the conditions exclusive" },
    Code { code: "lint::missing-translation", meaning: "a text is not given in a language the rulebook declares", fix: "add the language to the text ({ en = \"…\", nl = \"…\" }), or drop the language from `languages`" },
    Code { code: "lint::no-because", meaning: "rule `…` gives no reason", fix: "add because = \"…\": the reason a person reads in the explanation, in plain words" },
    Code { code: "lint::no-date-fact", meaning: "`effective_until` or `before` without `date_fact`: they choose and refuse nothing", fix: "add date_fact = \"contract.concluded_on\" to [rulebook] so that the version's dates choose it, or drop effective_until / before" },
    Code { code: "lint::same-condition", meaning: "two rules of one conclusion under the same condition, neither overriding the other", fix: "say which wins with `overrides`, or merge them" },
    Code { code: "load::outside", meaning: "the … `…` is outside the directory this rulebook may read", fix: "name a file of the served directory (or of a folder the served rulebooks' tests use), relative to the rulebook, e.g. \"../calendars/nl.toml\"" },
    Code { code: "load::version", meaning: "the scenario does not give the fact that chooses the version in force, or no version is in force on its date", fix: "add the date fact; check the date" },
    Code { code: "load::versions", meaning: "other versions need `date_fact` to choose between them", fix: "add date_fact = \"contract.concluded_on\" (the fact whose date decides) to [rulebook]" },
    Code { code: "new::exists", meaning: "`…` already exists", fix: "give a path that does not exist yet, or move the existing file away" },
    Code { code: "new::write", meaning: "cannot write `…`: …", fix: "check that the directory exists and that you may write to it" },
    Code { code: "options::not-a-table", meaning: "options are not a dict (Python) or object of option names", fix: "pass options as a dict of option names and values, e.g. {\"good_friday_is_holiday\": False}" },
    Code { code: "options::unknown", meaning: "the rulebook has no such option", fix: "use an option the rulebook declares (Rulebook.options lists them)" },
    Code { code: "options::value", meaning: "an option's value has the wrong type", fix: "give a value of the option's type" },
    Code { code: "rulebook::before", meaning: "the `before` note of `[rulebook]` is malformed", fix: "write before = { message = \"…\", cite = \"KEY art. …\" }" },
    Code { code: "rulebook::declaration", meaning: "a declaration under [facts] or [conclusions] without `type` (or a value where a declaration table is expected)", fix: "give the table type = \"…\" (and doc = \"…\"); `kind` is not a key of a declaration" },
    Code { code: "rulebook::effective-range", meaning: "`effective_until` is before `effective_from`: the version is never in force", fix: "effective_until is the version's last day, on or after effective_from; swap the dates if they are the wrong way round" },
    Code { code: "rulebook::fields", meaning: "`…` is a list of records but has no fields", fix: "add [facts.….fields.NAME] tables with a type each" },
    Code { code: "rulebook::letter-literal", meaning: "a letter writes a date or an amount of its own", fix: "write a placeholder for the fact or conclusion ({refund.deadline}, {refund.amount}), or {blank:date}" },
    Code { code: "rulebook::letter-placeholder", meaning: "a `{…}` in a letter is not a placeholder, or a brace is not closed", fix: "write {fact.or.conclusion}, {blank:NAME} or {cite}; {{ and }} for braces" },
    Code { code: "rulebook::name", meaning: "`…` is not a valid name", fix: "names are lower_case letters, digits and underscores, starting with a letter" },
    Code { code: "rulebook::nested-records", meaning: "a field cannot itself be a list of records", fix: "use `list of date` or another scalar list, or a separate fact" },
    Code { code: "rulebook::source-key", meaning: "a [sources] key no citation can start with (a space, a `;`, or an unquoted dotted key)", fix: "write the key as one word (CODE_CONSO), or quote a dotted key (\"C.CONSO\")" },
    Code { code: "rulebook::table-duplicate-day", meaning: "table `…` has two rows from …", fix: "keep one row per day; a table gives one value on each day" },
    Code { code: "rulebook::table-empty", meaning: "a dated table has no rows", fix: "add at least one row: { from = 2024-01-01, value = … }" },
    Code { code: "rulebook::table-order", meaning: "the rows of table `…` are not in date order: … comes after …", fix: "list the rows from the earliest `from` day to the latest" },
    Code { code: "rulebook::test", meaning: "test `…` has no `facts` and no `scenario`", fix: "write [tests.facts.…] tables, or scenario = \"path/to/scenario.toml\" (relative to the rulebook); with both, the facts change the scenario" },
    Code { code: "rulebook::text", meaning: "a text is neither a string nor a table of languages", fix: "write \"…\", or one entry per language: because.nl = \"…\"" },
    Code { code: "rulebook::undeclared-language", meaning: "a text is given in a language the rulebook does not declare", fix: "add the language to `languages` in [rulebook], or use one of the declared ones" },
    Code { code: "scenario::as-of", meaning: "`…` (version …) reads no evaluation day", fix: "leave it out: no rule of `…` depends on the day it is evaluated; a rulebook that does declares [facts.…] with type = \"date\"" },
    Code { code: "serve::duplicate-id", meaning: "two files under the served directory declare the same rulebook id and version", fix: "give each rulebook its own id, or move the second file out of the directory" },
    Code { code: "serve::lang", meaning: "a request's `lang` is a language the rulebook version does not declare", fix: "send one of the languages the version declares (GET /v1/rulebooks/{id}), or leave `lang` out" },
    Code { code: "serve::option-value", meaning: "an option in a request has a value of the wrong type", fix: "send a value of the option's type" },
    Code { code: "serve::unknown-option", meaning: "a request sets an option the rulebook does not declare", fix: "use one of the options the rulebook declares (GET /v1/rulebooks/{id})" },
    Code { code: "serve::version-of-broken", meaning: "a version file belongs to a rulebook that did not load", fix: "fix the main rulebook first" },
    Code { code: "syntax::bad-date", meaning: "a date literal that is not a day (2026-02-30) or is written day/month/year", fix: "write dates as YYYY-MM-DD" },
    Code { code: "syntax::bracket", meaning: "brackets that do not match, or square brackets for a list", fix: "close every `(`; lists are written in round brackets: `is one of (a, b)`" },
    Code { code: "syntax::day-count", meaning: "a year of interest must have at least one day", fix: "write `days / 365` (or `days / 360`, `days / year`)" },
    Code { code: "syntax::enum-duplicate", meaning: "`…` is listed twice", fix: "list each value once" },
    Code { code: "syntax::internal", meaning: "internal error: expected an expression, the parser gave …", fix: "please report this rulebook; rewriting the expression may avoid it" },
    Code { code: "syntax::money", meaning: "money written with `€` instead of the currency code", fix: "write `EUR 40.00`" },
    Code { code: "syntax::number-too-large", meaning: "the number `…` is too large", fix: "integers must fit in 64 bits and decimals in 28 digits" },
    Code { code: "syntax::operator", meaning: "`…` is not an operator of the rule language", fix: "write `…` instead" },
    Code { code: "syntax::too-deep", meaning: "expression nested more than … operators deep", fix: "split the expression into intermediate conclusions (`internal = true`)" },
    Code { code: "syntax::too-long", meaning: "expression longer than … characters", fix: "split it into intermediate conclusions (`internal = true`)" },
    Code { code: "syntax::unexpected", meaning: "an expression cannot be read at this place", fix: "read the hint: it names what the author probably meant (a unit in English, `EUR 40.00`, `is one of (a, b)`, `and`/`or`, …)" },
    Code { code: "syntax::unknown-type", meaning: "a declared type is not one of verdict's types", fix: "write bool, integer, decimal, money, date, duration, text, weekday, interval, timeline, `one of a, b` or `list of …`" },
    Code { code: "test::conclusion", meaning: "a test expects a conclusion that is not declared", fix: "fix the conclusion name" },
    Code { code: "test::option", meaning: "a test sets an option the rulebook does not declare", fix: "fix the option name" },
    Code { code: "test::per-item", meaning: "`…` has a value per element: expect a list", fix: "write one expectation per element, e.g. [true, \"absent\"]" },
    Code { code: "test::rule", meaning: "a test's expect_rule names a rule that does not exist", fix: "fix the rule id" },
    Code { code: "test::scenario", meaning: "a test's scenario file does not exist", fix: "the path is relative to the rulebook" },
];

/// The registry entry of `code`, if it is one.
pub fn lookup(code: &str) -> Option<&'static Code> {
    CODES.binary_search_by(|c| c.code.cmp(code)).ok().map(|i| &CODES[i])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sorted_unique_and_explained() {
        assert!(CODES.windows(2).all(|w| w[0].code < w[1].code), "CODES must be sorted and unique");
        assert!(CODES.iter().all(|c| !c.meaning.is_empty() && !c.fix.is_empty()), "every code has a meaning and a fix");
        assert_eq!(lookup("check::unknown-name").map(|c| c.code), Some("check::unknown-name"));
        assert!(lookup("check::nonsense").is_none());
    }
}
