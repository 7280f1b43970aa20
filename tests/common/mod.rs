//! Helpers the integration tests share.

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
