//! Turns every Rust block in the book (`../src/**/*.md`) into a test, so `cargo test` compiles
//! and runs each snippet the reader sees. A new chapter is covered the moment it exists.
//!
//! It lives in this package of its own, not in the `loopbot` crate beside the examples, so that
//! a reader's `cargo run --example lunch` never builds skeptic, and a prose edit rebuilds only
//! the snippet tests.

use std::path::Path;

#[allow(dead_code)]
#[path = "src/quiz.rs"]
mod quiz;

fn main() {
    quiz_programs();

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

/// Every program a quiz runs, as a module of the `quizzes` test binary (`tests/quizzes.rs`),
/// which runs one of them when asked to and otherwise checks each question's answer against
/// what its programs really print. Programs that must not compile are left to rustc there.
fn quiz_programs() {
    let src = Path::new("../src");
    for file in quiz::quiz_files(src) {
        println!("cargo:rerun-if-changed={}", file.display());
    }
    println!("cargo:rerun-if-changed={}", quiz::quiz_dir(src).display());
    // A quiz of the wrong shape builds no programs; the test reports what is wrong with it.
    let questions = quiz::questions(src).unwrap_or_default();
    let mut modules = String::new();
    let mut table = String::from(
        "pub type Program = fn() -> std::process::ExitCode;\n\
         pub const PROGRAMS: &[(&str, Program)] = &[\n",
    );
    for question in questions
        .iter()
        .filter(|q| q.proof != quiz::Proof::CompileError)
    {
        for (index, program) in question.programs.iter().enumerate() {
            let module = question.module(index);
            modules.push_str(&format!(
                "/// {} ({}), program {index}\npub mod {module} {{\n#![allow(warnings, clippy::all, clippy::pedantic)]\n{program}\n\
                 pub(crate) fn run() -> std::process::ExitCode {{ std::process::Termination::report(main()) }}\n}}\n",
                question.id,
                question.file.display(),
            ));
            table.push_str(&format!("    (\"{module}\", {module}::run),\n"));
        }
    }
    table.push_str("];\n");
    let out =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("quiz-programs.rs");
    std::fs::write(out, table + &modules).expect("the quiz programs can be written");
}
