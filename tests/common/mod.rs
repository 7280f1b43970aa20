//! Helpers the integration tests share.

// Each test binary compiles its own copy of this module and uses only some of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Builds `examples/<name>.rs` (a no-op when `cargo test` already did) and returns its path,
/// so a test always runs the example as it stands in the tree, even under `--test <name>`.
pub fn example(name: &str) -> PathBuf {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --example {name} failed");
    // This test runs from target/<profile>/deps/; examples live in target/<profile>/examples/.
    let deps = std::env::current_exe().expect("the test knows its own path");
    let profile_dir = deps
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary sits in target/<profile>/deps");
    profile_dir.join("examples").join(name)
}

/// Runs an example with `args` and returns what it printed and its exit code.
pub fn run_example(name: &str, args: &[&str]) -> Output {
    Command::new(example(name))
        .args(args)
        .output()
        .expect("the example starts")
}

/// Runs an example with bad `args` and checks the promise every example makes about bad
/// input: exit code 2, one line on standard error that starts with the example's name and
/// contains `expected`, no panic, nothing on standard output.
pub fn assert_usage_error(name: &str, args: &[&str], expected: &str) {
    let output = run_example(name, args);
    let stderr = String::from_utf8(output.stderr).expect("errors are UTF-8");
    assert_eq!(output.status.code(), Some(2), "{args:?}: {stderr}");
    assert_eq!(stderr.lines().count(), 1, "{args:?}: {stderr}");
    assert!(
        stderr.starts_with(&format!("{name}: ")) && stderr.contains(expected),
        "{args:?}: expected '{expected}' in: {stderr}"
    );
    assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
    assert!(output.stdout.is_empty(), "{args:?}");
}

/// Runs an example that must succeed and parses its standard output as JSON lines: one object
/// per line, as every example's `--json` promises.
pub fn json_lines(name: &str, args: &[&str]) -> Vec<serde_json::Value> {
    let output = run_example(name, args);
    assert!(output.status.success(), "{name} {args:?}: {output:?}");
    let stdout = String::from_utf8(output.stdout).expect("output is UTF-8");
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("not one JSON object ({e}): {line}"))
        })
        .collect()
}

/// The concurrent lunch's events in the order Python's asyncio prints them: what every lunch,
/// on every executor, must reproduce.
pub const LUNCH_ORDER: [(&str, &str); 6] = [
    ("pasta", "start"),
    ("meatloaf", "start"),
    ("avocado", "start"),
    ("avocado", "done"),
    ("meatloaf", "done"),
    ("pasta", "done"),
];
