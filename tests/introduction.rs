//! What the Introduction promises about running the book: the toolchain it needs, the story
//! minute every example that tells one starts with, and the exit code of bad input. The
//! chapters' numbers it repeats (the lunch's 10 and 15 minutes) are proven by their chapters'
//! tests.

use crate::common;

use common::claim;

#[test]
fn the_toolchain_the_introduction_asks_for_is_the_one_cargo_requires() {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("the manifest exists");
    let required = manifest
        .lines()
        .find_map(|line| line.strip_prefix("rust-version = "))
        .expect("Cargo.toml names a rust-version")
        .trim_matches('"');
    let named = claim("introduction.rust-version", 1.95);
    assert_eq!(required, format!("{named}"));
}

/// Every example that takes `--minute-ms` starts from the same default, as its `--help` says.
#[test]
fn every_story_minute_lasts_the_same_default() {
    let default = claim("examples.minute-ms.default", 100.0);
    let mut telling = 0;
    for name in common::examples() {
        let output = common::run_example(&name, &["--help"]);
        assert!(output.status.success(), "{name}: {output:?}");
        let help = String::from_utf8(output.stdout).unwrap();
        let Some((_, minute_ms)) = help.split_once("--minute-ms") else {
            continue;
        };
        let given = minute_ms
            .split("[default: ")
            .nth(1)
            .and_then(|rest| rest.split(']').next())
            .unwrap_or_else(|| panic!("{name}: --minute-ms has no default:\n{help}"));
        assert_eq!(given.parse::<f64>(), Ok(default), "{name}");
        telling += 1;
    }
    assert!(telling > 0, "no example takes --minute-ms");
}

/// `tests/cli.rs` checks the one line each example prints; this checks the exit code the
/// Introduction names, for every example.
#[test]
fn bad_input_ends_every_example_with_the_exit_code_the_introduction_names() {
    let code = claim("examples.bad-input.exit-code", 2.0) as i32;
    for name in common::examples() {
        let output = common::run_example(&name, &["--sauce"]);
        assert_eq!(output.status.code(), Some(code), "{name}: {output:?}");
    }
}
