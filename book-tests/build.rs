//! Turns every Rust block in the book (`../src/**/*.md`) into a test, so `cargo test` compiles
//! and runs each snippet the reader sees. A new chapter is covered the moment it exists.
//!
//! It lives in this package of its own, not in the `loopbot` crate beside the examples, so that
//! a reader's `cargo run --example lunch` never builds skeptic, and a prose edit rebuilds only
//! the snippet tests.

use std::path::Path;

fn main() {
    let pages = skeptic::markdown_files_of_directory("../src");
    // Watching the folder catches new pages; watching each page catches edits.
    println!("cargo:rerun-if-changed=../src");
    for page in &pages {
        println!("cargo:rerun-if-changed={}", page.display());
    }
    skeptic::generate_doc_tests(&pages);

    // Every generated test calls skeptic's runner; send them through `run_snippet` in
    // tests/snippets.rs instead, which runs a snippet again if the system refused to start its
    // binary with "Text file busy" (the comment there says why that happens).
    let generated =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("skeptic-tests.rs");
    let tests = std::fs::read_to_string(&generated).expect("skeptic wrote its tests");
    let runner = "skeptic::rt::run_test(";
    assert!(
        tests.contains(runner),
        "skeptic's generated tests changed shape"
    );
    std::fs::write(&generated, tests.replace(runner, "crate::run_snippet("))
        .expect("the generated tests can be rewritten");
}
