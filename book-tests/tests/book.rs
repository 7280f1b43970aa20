//! The book keeps its promises: every Rust block is tested, compiler output shown in the book
//! is what rustc prints, every number in the prose is bound to its proof or declared, and the
//! table of contents matches the pages.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;
use std::process::Command;

use loopbot_book_tests::{
    Block, Entry, blocks, book_root, book_src, files_ending_in, numbers, pages, summary,
};

/// What a reader's hidden lines (`# `) become when compiled, as mdBook and skeptic agree.
fn compiled_text(body: &str) -> String {
    body.lines()
        .map(|line| {
            let trimmed = line.trim_start();
            if let Some(rest) = trimmed.strip_prefix("# ") {
                rest
            } else if trimmed == "#" {
                ""
            } else {
                line
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words a Rust block's info string may carry: the runtime tabs, and mdBook's and rustdoc's
/// own. Anything else is likely a typo that would quietly break a tab or a test.
const KNOWN_RUST_WORDS: [&str; 8] = [
    "rust",
    "tokio",
    "async-std",
    "smol",
    "ignore",
    "noplayground",
    "edition2021",
    "edition2024",
];

#[test]
fn every_rust_block_is_compiled_and_run_by_skeptic_or_includes_a_tested_file() {
    let mut problems = Vec::new();
    let mut rust_blocks = 0;
    let blocks = blocks();
    for (index, block) in blocks
        .iter()
        .enumerate()
        .filter(|(_, block)| block.has("rust"))
    {
        rust_blocks += 1;
        // A snippet that must not compile cannot run under skeptic. It may skip skeptic when the
        // block after it shows the compiler's error: the test below compiles it and checks that.
        let shows_its_error = blocks.get(index + 1).is_some_and(|next| {
            next.has("compiler-says") && next.body.lines().any(|line| line.starts_with("error"))
        });
        for word in &block.info {
            if !KNOWN_RUST_WORDS.contains(&word.as_str()) {
                problems.push(format!(
                    "{}: unknown word '{word}' in the info string",
                    block.place()
                ));
            }
        }
        if block.has("ignore") && !shows_its_error {
            // Skipped by skeptic: fine only if the block shows a file that cargo builds and tests.
            let included = block
                .body
                .lines()
                .filter_map(|line| {
                    line.trim()
                        .strip_prefix("{{#include ")
                        .or(line.trim().strip_prefix("{{#rustdoc_include "))
                })
                .map(|rest| {
                    rest.trim_end_matches("}}")
                        .split(':')
                        .next()
                        .unwrap()
                        .trim()
                        .to_string()
                })
                .collect::<Vec<_>>();
            let tested = !included.is_empty()
                && included.iter().all(|file| {
                    let path = block.page.parent().unwrap().join(file);
                    let canonical = path.canonicalize().unwrap_or(path);
                    let root = book_root();
                    let library = canonical.starts_with(root.join("src"))
                        && canonical.extension().is_some_and(|ext| ext == "rs");
                    canonical.is_file()
                        && (canonical.starts_with(root.join("examples"))
                            || canonical.starts_with(root.join("tests"))
                            || library)
                });
            if !tested {
                problems.push(format!(
                    "{}: marked ignore, but it does not include a file from examples/, tests/ or the library in src/",
                    block.place()
                ));
            }
        }
    }
    assert!(rust_blocks > 0, "the book has no Rust blocks at all");
    assert!(
        problems.is_empty(),
        "untested Rust blocks:\n{}",
        problems.join("\n")
    );
}

/// A ```text,compiler-says block shows what rustc prints for the Rust block just before it.
/// Each line it shows must appear in rustc's output, in the same order.
#[test]
fn compiler_output_in_the_book_is_what_rustc_prints() {
    let blocks = blocks();
    let mut checked = 0;
    for pair in blocks.windows(2) {
        let (code, shown) = (&pair[0], &pair[1]);
        if !shown.has("compiler-says") {
            continue;
        }
        assert!(
            code.has("rust"),
            "{}: compiler-says must follow a Rust block",
            shown.place()
        );
        let dir = std::env::temp_dir().join(format!(
            "loopbot-compiler-says-{}-{checked}",
            std::process::id()
        ));
        std::fs::create_dir_all(dir.join("src")).unwrap();
        std::fs::write(dir.join("src/main.rs"), compiled_text(&code.body)).unwrap();
        let output = Command::new("rustc")
            .args([
                "--edition",
                "2024",
                "--color",
                "never",
                "src/main.rs",
                "-o",
                "main",
            ])
            .current_dir(&dir)
            .output()
            .expect("rustc runs");
        std::fs::remove_dir_all(&dir).unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        let expects_error = shown.body.lines().any(|line| line.starts_with("error"));
        assert_eq!(
            output.status.success(),
            !expects_error,
            "{}: rustc {} but the book says otherwise:\n{stderr}",
            code.place(),
            if output.status.success() {
                "accepted the code"
            } else {
                "rejected the code"
            }
        );
        let mut printed = stderr.lines().map(str::trim_end);
        for line in shown
            .body
            .lines()
            .map(str::trim_end)
            .filter(|line| !line.is_empty())
        {
            assert!(
                printed.any(|printed| printed == line),
                "{}: rustc did not print this line (in this order):\n{line}\nrustc printed:\n{stderr}",
                shown.place()
            );
        }
        checked += 1;
    }
    assert!(checked > 0, "no compiler-says block was found");
}

#[test]
fn the_table_of_contents_lists_every_page_and_every_chapter() {
    let entries = summary();
    let titles: Vec<&str> = entries.iter().map(|entry| entry.title.as_str()).collect();
    // A draft entry, `[Title]()`, has no page; every other entry links to one.
    let linked: Vec<&Entry> = entries.iter().filter(|e| !e.target.is_empty()).collect();
    for chapter in [
        "Introduction",
        "The Restaurant of ThreadBots",
        "The Truth about Threads",
        "Lunch",
        "A Bestiary",
        "Stacks and Frames",
        "Quickstart",
        "Myths",
        "Choosing a runtime",
        "Sources",
    ] {
        assert!(
            titles.contains(&chapter),
            "SUMMARY.md has no entry '{chapter}'"
        );
    }
    assert!(
        titles.iter().any(|t| t.contains("glossary")),
        "SUMMARY.md has no glossary entry"
    );
    // A written page has more than a heading; an unwritten chapter is a draft, never a stub.
    for Entry { title, target } in &linked {
        let text = std::fs::read_to_string(book_src().join(target))
            .unwrap_or_else(|_| panic!("'{title}' links to {target}, which does not exist"));
        let words = text.split_whitespace().count();
        assert!(
            words > 150,
            "'{title}' ({target}) has {words} words: write it or make it a draft entry"
        );
    }
    for page in pages() {
        let name = page
            .strip_prefix(book_src())
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        assert!(
            name == "SUMMARY.md" || linked.iter().any(|entry| entry.target == name),
            "src/{name} is not in SUMMARY.md, so readers never see it"
        );
    }
}

/// The lines an mdBook `{{#include FILE}}` or `{{#include FILE:ANCHOR}}` puts in a block: the
/// whole file, or the lines between `ANCHOR: name` and `ANCHOR_END: name`, less any line that
/// marks another anchor (as mdBook drops them).
fn included(page: &Path, target: &str) -> String {
    let (file, anchor) = match target.split_once(':') {
        Some((file, anchor)) => (file, Some(anchor)),
        None => (target, None),
    };
    let path = page.parent().unwrap().join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: cannot include {}: {e}", page.display(), path.display()));
    let Some(anchor) = anchor else { return text };
    let mut inside = false;
    let mut lines = Vec::new();
    for line in text.lines() {
        match anchor_mark(line) {
            Some(("ANCHOR", name)) if name == anchor => inside = true,
            Some(("ANCHOR_END", name)) if name == anchor => inside = false,
            Some(_) => {}
            None if inside => lines.push(line),
            None => {}
        }
    }
    assert!(
        !lines.is_empty(),
        "{}: anchor {anchor} in {file} is empty or missing",
        page.display()
    );
    lines.join("\n")
}

/// `Some(("ANCHOR", name))` or `Some(("ANCHOR_END", name))` for a line that is an anchor
/// comment (`// ANCHOR: name`), else `None`.
fn anchor_mark(line: &str) -> Option<(&str, &str)> {
    let comment = line.trim().strip_prefix("//")?.trim();
    let (kind, name) = comment.split_once(':')?;
    matches!(kind, "ANCHOR" | "ANCHOR_END").then(|| (kind, name.trim()))
}

/// `(file, anchor)` for every `{{#include file:anchor}}` (or `rustdoc_include`) in a body.
fn includes(body: &str) -> Vec<&str> {
    body.split("{{#")
        .skip(1)
        .filter_map(|rest| {
            let rest = rest
                .strip_prefix("include ")
                .or_else(|| rest.strip_prefix("rustdoc_include "))?;
            Some(rest.split("}}").next()?.trim())
        })
        .collect()
}

/// A block's text as the reader gets it: includes expanded, hidden lines shown. A
/// `{{#rustdoc_include FILE:ANCHOR}}` brings the whole file, the lines outside the anchor
/// hidden, so all of it counts.
fn shown_text(block: &Block) -> String {
    let mut text = String::new();
    for line in block.body.lines() {
        match includes(line).first() {
            Some(target) if line.contains("{{#rustdoc_include ") => {
                let file = target.split(':').next().unwrap_or(target);
                text.push_str(&included(&block.page, target));
                text.push_str(&included(&block.page, file));
            }
            Some(target) => text.push_str(&included(&block.page, target)),
            None => text.push_str(line),
        }
        text.push('\n');
    }
    compiled_text(&text)
}

/// Every line of Rust a reader sees can be pasted into a fresh project that depends only on the
/// runtime its tab names: no listing may use this crate (`loopbot::...`, its `Runtime` switch
/// or that switch's `runtime.sleep`/`spawn_local`/`unblock`). Inline snippets are compiled
/// against the runtimes alone by skeptic; this check covers included code too.
#[test]
fn no_listing_a_reader_sees_uses_this_crate() {
    let uses_the_crate = |line: &str| {
        line.contains("loopbot::")
            || line.contains("use loopbot")
            || [
                "Runtime::Tokio",
                "Runtime::AsyncStd",
                "Runtime::Smol",
                "Runtime::ALL",
            ]
            .iter()
            .any(|name| line.contains(name))
            || [".sleep(", ".spawn_local(", ".unblock("]
                .iter()
                .any(|call| line.contains(&format!("runtime{call}")))
            || line.contains(": Runtime,")
            || line.contains(": Runtime)")
    };
    let mut problems = Vec::new();
    for block in blocks().iter().filter(|block| block.has("rust")) {
        for line in shown_text(block)
            .lines()
            .filter(|line| uses_the_crate(line))
        {
            problems.push(format!("{}: {}", block.place(), line.trim()));
        }
    }
    assert!(
        problems.is_empty(),
        "listings that need this crate:\n{}",
        problems.join("\n")
    );
}

/// One source per listing: every anchor in the code the book draws from is included by a page,
/// so no anchored code is kept in sync with nothing.
#[test]
fn every_anchor_is_included_by_a_page() {
    let root = book_root();
    let mut used = Vec::new();
    for block in blocks() {
        for target in includes(&block.body) {
            if let Some((file, anchor)) = target.split_once(':') {
                let path = block.page.parent().unwrap().join(file);
                used.push((path.canonicalize().unwrap(), anchor.to_string()));
            }
        }
    }
    let mut unused = Vec::new();
    let files = ["examples", "src", "tests"]
        .iter()
        .flat_map(|dir| files_ending_in(&root.join(dir), "rs"));
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let canonical = file.canonicalize().unwrap();
        for (kind, name) in text.lines().filter_map(anchor_mark) {
            if kind == "ANCHOR" && !used.contains(&(canonical.clone(), name.to_string())) {
                unused.push(format!("{}: {name}", file.display()));
            }
        }
    }
    assert!(
        unused.is_empty(),
        "anchors no page includes:\n{}",
        unused.join("\n")
    );
}

/// The claims the tests prove: every `claim("ID", ...)` in a test of the chapters.
fn claims_the_tests_prove() -> BTreeSet<String> {
    let mut ids = BTreeSet::new();
    for file in files_ending_in(&book_root().join("tests"), "rs") {
        let text = std::fs::read_to_string(&file).unwrap();
        for rest in text.split("claim(\"").skip(1) {
            ids.insert(rest.split('"').next().unwrap().to_string());
        }
    }
    ids
}

/// Every number a reader reads is either bound to the test that proves it (an invisible
/// `<!-- claim: ID -->` after it, and a test that calls `claim("ID", value)`) or declared in
/// the page's "Where the numbers come from" as a story number, a source's fact, a figure from
/// one recorded run, or a name. See `book-tests/src/numbers.rs`.
#[test]
fn every_number_in_the_prose_is_bound_to_a_claim_or_declared() {
    let proven = claims_the_tests_prove();
    let mut problems = Vec::new();
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for page in pages() {
        let name = page.file_name().unwrap().to_str().unwrap().to_string();
        if name == "SUMMARY.md" {
            continue;
        }
        let numbers = numbers::read(&std::fs::read_to_string(&page).unwrap());
        for (line, label) in &numbers.unknown_labels {
            problems.push(format!("{name}:{line}: no such kind of number: {label}"));
        }
        for number in &numbers.prose {
            let at = format!("{name}:{}: {}", number.line, number.text);
            let kind = match (&number.claim, numbers.declares(number)) {
                (Some(id), _) if !proven.contains(id) => {
                    problems.push(format!("{at}: bound to claim {id}, which no test proves"));
                    continue;
                }
                (Some(_), _) => "bound to a claim".to_string(),
                (None, Some(kind)) => format!("declared: {kind:?}"),
                (None, None) => {
                    problems.push(format!("{at}: neither bound to a claim nor declared"));
                    continue;
                }
            };
            *counts.entry(kind).or_default() += 1;
        }
    }
    for (kind, count) in &counts {
        println!("{count:5}  {kind}");
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// Where `word` first stands as a whole word in `text` (letters, digits and `_` around it end
/// a word), as a line number counted from 1.
fn first_line_with(text: &str, word: &str) -> Option<usize> {
    let is_word = |c: char| c.is_alphanumeric() || c == '_';
    text.lines()
        .position(|line| {
            line.match_indices(word).any(|(at, _)| {
                let before = line[..at].chars().next_back();
                let after = line[at + word.len()..].chars().next();
                !before.is_some_and(is_word) && !after.is_some_and(is_word)
            })
        })
        .map(|index| index + 1)
}

/// A page as the reader reads it: each `{{#include}}` or `{{#rustdoc_include}}` replaced by
/// the lines it shows (hidden lines stay hidden, so they are not counted as met).
fn page_as_read(page: &Path) -> String {
    let text = std::fs::read_to_string(page).unwrap();
    let mut read = String::new();
    for line in text.lines() {
        match includes(line).first() {
            Some(target) => read.push_str(&included(page, target)),
            None => read.push_str(line),
        }
        read.push('\n');
    }
    read
}

/// A reader meets `async fn` and `.await` before the machinery under them: `poll`, `Pin`,
/// `Context`, `Waker`, `LocalSet` and `spawn_blocking` first appear, in reading order, on a
/// later page than both, or further down the same page.
#[test]
fn a_reader_meets_async_fn_and_await_before_the_machinery_under_them() {
    let mut met: BTreeMap<&str, (usize, usize, String)> = BTreeMap::new();
    let words = [
        "async fn",
        ".await",
        "poll",
        "Pin",
        "Context",
        "Waker",
        "LocalSet",
        "spawn_blocking",
    ];
    for (index, entry) in summary().iter().enumerate() {
        // The introduction names things; the chapters teach them.
        if entry.target.is_empty() || entry.target == "introduction.md" {
            continue;
        }
        let text = page_as_read(&book_src().join(&entry.target));
        for word in words {
            let word_only = word.trim_start_matches('.');
            let found = if word == ".await" {
                text.lines()
                    .position(|l| l.contains(".await"))
                    .map(|i| i + 1)
            } else {
                first_line_with(&text, word_only)
            };
            if let Some(line) = found {
                met.entry(word)
                    .or_insert((index, line, entry.target.clone()));
            }
        }
    }
    let first = |word: &str| {
        met.get(word)
            .cloned()
            .unwrap_or_else(|| panic!("no page uses {word}"))
    };
    let basics = first("async fn").max(first(".await"));
    let too_soon: Vec<String> = words[2..]
        .iter()
        .filter_map(|word| met.get(word).map(|seen| (word, seen)))
        .filter(|(_, seen)| (seen.0, seen.1) < (basics.0, basics.1))
        .map(|(word, (_, line, page))| format!("{word} on {page}:{line}"))
        .collect();
    assert!(
        too_soon.is_empty(),
        "met before async fn and .await ({}:{}): {}",
        basics.2,
        basics.1,
        too_soon.join(", ")
    );
}

/// A block the page shows as one recorded run is marked `<!-- recorded run -->`, so that
/// `cargo run -p loopbot-book-tests --bin record_runs` can record it again: it starts with the
/// `$ ` command that prints it, shows all that command prints (an excerpt is cut by a pipe in
/// the command, never by `...`), and its page says, in "Where the numbers come from", which
/// machine and day the run was recorded on.
#[test]
fn every_recorded_run_can_be_recorded_again() {
    let mut problems = Vec::new();
    let mut marked = 0;
    for page in pages() {
        let name = page.file_name().unwrap().to_string_lossy().to_string();
        let text = std::fs::read_to_string(&page).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            if line.trim() != "<!-- recorded run -->" {
                continue;
            }
            marked += 1;
            let at = format!("{name}:{}", index + 1);
            let body: Vec<&str> = lines[index + 1..]
                .iter()
                .skip(1)
                .take_while(|line| !line.starts_with("```"))
                .copied()
                .collect();
            if lines.get(index + 1).map(|l| l.trim()) != Some("```text") {
                problems.push(format!(
                    "{at}: the mark must stand right before a ```text block"
                ));
            } else if !body.first().is_some_and(|line| line.starts_with("$ ")) {
                problems.push(format!("{at}: a recorded run starts with its `$ ` command"));
            } else if body.iter().any(|line| line.trim() == "...") {
                problems.push(format!(
                    "{at}: cut the excerpt with a pipe in the command, not `...`"
                ));
            }
            if !text.contains("- **One recorded run**") {
                problems.push(format!(
                    "{at}: the page does not say where its recorded runs come from"
                ));
            }
        }
    }
    assert!(marked > 0, "no page marks a recorded run");
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A reader follows a function of a screen or less: no function in the library or the examples
/// runs past 60 lines (rustfmt's layout: a function ends at the first `}` at its own indent).
#[test]
fn no_function_in_the_library_or_the_examples_runs_past_60_lines() {
    let root = book_root();
    let mut files = files_ending_in(&root.join("src"), "rs");
    files.extend(files_ending_in(&root.join("examples"), "rs"));
    assert!(files.len() > 20, "found only {} files", files.len());
    let mut long = Vec::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        let lines: Vec<&str> = text.lines().collect();
        for (start, line) in lines.iter().enumerate() {
            let body = line.trim_start();
            let indent = line.len() - body.len();
            let words: Vec<&str> = body.split_whitespace().collect();
            let Some(at) = words.iter().position(|word| *word == "fn") else {
                continue;
            };
            let before_ok = words[..at].iter().all(|w| {
                w.starts_with("pub") || matches!(*w, "async" | "unsafe" | "const" | "extern")
            });
            if !before_ok || body.ends_with(';') {
                continue;
            }
            let end = lines[start + 1..].iter().position(|l| {
                l.len() - l.trim_start().len() == indent && l.trim_start().starts_with('}')
            });
            if let Some(offset) = end {
                let length = offset + 2;
                if length > 60 {
                    let name = file.strip_prefix(&root).unwrap().display();
                    long.push(format!("{name}:{}: {length} lines", start + 1));
                }
            }
        }
    }
    assert!(
        long.is_empty(),
        "functions past 60 lines:\n{}",
        long.join("\n")
    );
}
