//! `verdict new`: the starter rulebook checks clean, its tests pass and fire
//! every rule, and an existing file is never overwritten.

use crate::util::verdict_in;

#[test]
fn the_starter_rulebook_checks_and_its_tests_cover_every_rule() {
    let dir = std::env::temp_dir().join(format!("verdict-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let made = verdict_in(&dir, &["new", "xx/returns.toml", "--id", "xx.returns"], None);
    assert_eq!(made.code, 0, "{}", made.transcript());
    let text = std::fs::read_to_string(dir.join("xx/returns.toml")).unwrap();
    assert!(text.contains("id = \"xx.returns\""), "{text}");
    let check = verdict_in(&dir, &["check", "xx/returns.toml"], None);
    assert_eq!(check.code, 0, "{}", check.transcript());
    let test = verdict_in(&dir, &["test", "xx/returns.toml", "--min-coverage", "100"], None);
    assert_eq!(test.code, 0, "{}", test.transcript());
    assert!(test.stdout.contains("2 of 2 rules fired (100.0%)"), "{}", test.transcript());
    assert!(test.stdout.trim_end().ends_with("2 passed, 0 failed"), "{}", test.transcript());
    let tidy = verdict_in(&dir, &["fmt", "--check", "xx/returns.toml"], None);
    assert_eq!(tidy.code, 0, "the starter is already formatted: {}", tidy.transcript());

    std::fs::write(dir.join("mine.toml"), "# my own work\n").unwrap();
    let again = verdict_in(&dir, &["new", "mine.toml"], None);
    assert_eq!(again.code, 1, "{}", again.transcript());
    assert!(again.stderr.contains("`mine.toml` already exists"), "{}", again.transcript());
    assert!(again.stderr.contains("help: give a path that does not exist yet"), "{}", again.transcript());
    assert_eq!(std::fs::read_to_string(dir.join("mine.toml")).unwrap(), "# my own work\n", "left as it was");
    std::fs::remove_dir_all(&dir).unwrap();
}
