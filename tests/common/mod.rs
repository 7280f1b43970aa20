//! Helpers the integration tests share.

// Each test binary compiles its own copy of this module and uses only some of it.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Builds `examples/<name>.rs` (a no-op when `cargo test` already did) and returns its path,
/// so a test always runs the example as it stands in the tree, even under `--test <name>`.
pub fn example(name: &str) -> PathBuf {
    // Built once per test binary: later calls for the same example only look it up.
    static BUILT: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());
    let mut built = BUILT
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    if !built.iter().any(|done| done == name) {
        build_example(name);
        built.push(name.to_string());
    }
    drop(built);
    // This test runs from target/<profile>/deps/; examples live in target/<profile>/examples/.
    let deps = std::env::current_exe().expect("the test knows its own path");
    let profile_dir = deps
        .parent()
        .and_then(|deps| deps.parent())
        .expect("the test binary sits in target/<profile>/deps");
    profile_dir.join("examples").join(name)
}

fn build_example(name: &str) {
    let status = Command::new(env!("CARGO"))
        .args(["build", "--quiet", "--example", name])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .status()
        .expect("cargo runs");
    assert!(status.success(), "cargo build --example {name} failed");
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

/// The total a readable lunch timeline prints on its last line ("Lunch is ready after 10.0
/// story minutes."), in story minutes.
pub fn printed_lunch_total(stdout: &str) -> f64 {
    stdout
        .lines()
        .last()
        .and_then(|line| line.split("Lunch is ready after ").nth(1))
        .and_then(|rest| rest.strip_suffix(" story minutes."))
        .and_then(|minutes| minutes.parse().ok())
        .unwrap_or_else(|| panic!("no total on the last line of: {stdout}"))
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

/// The least a timing test's upper bound may sit above its claim, in real time: a busy machine
/// delays a thread by tens of milliseconds, and must only make a run longer, never red.
pub const LEAST_SLACK: std::time::Duration = std::time::Duration::from_millis(50);

// ANCHOR: assert_claim
/// Checks a timing claim the way every test in this book does. `measured` and the numbers are
/// in story units (`unit` of real time each). The lower bound is strict: `claim`, since load can
/// only make a run longer. The upper bound sits halfway between `claim` and `wrong`, the nearest
/// wrong answer the test must rule out (10 minutes together vs 15 one after another: under
/// 12.5). If that is less than [`LEAST_SLACK`] above the claim, the test's unit is too short,
/// and this says so rather than let load decide the result.
pub fn assert_claim(what: &str, measured: f64, claim: f64, wrong: f64, unit: std::time::Duration) {
    let under = (claim + wrong) / 2.0;
    assert!(
        unit.mul_f64(under - claim) >= LEAST_SLACK,
        "{what}: a unit of {unit:?} is too short to tell {claim} from {wrong} on a busy machine"
    );
    assert!(
        measured >= claim && measured < under,
        "{what}: {measured:.3}, expected at least {claim} and under {under} (halfway to {wrong})"
    );
}
// ANCHOR_END: assert_claim

/// Checks a timing claim with no wrong answer near above it: at least `claim`, and not absurdly
/// more (under half as much again, or [`LEAST_SLACK`] twice over, whichever is more).
pub fn assert_no_sooner(what: &str, measured: f64, claim: f64, unit: std::time::Duration) {
    let slack = (claim / 2.0).max(2.0 * LEAST_SLACK.as_secs_f64() / unit.as_secs_f64());
    assert!(
        measured >= claim && measured < claim + slack,
        "{what}: {measured:.3}, expected at least {claim} and under {}",
        claim + slack
    );
}

/// How the book's pages are read for their numbers: the same file the book's checks use.
#[path = "../../book-tests/src/numbers.rs"]
mod numbers;

/// The number the book claims under `id`, which this test proves to be `proven`: every place
/// in the pages bound to `id` (an invisible `<!-- claim: ID -->` after the number) must say
/// exactly `proven`, or this fails naming the page, the line and both values. Returns `proven`,
/// for the test to check its measurement against.
pub fn claim(id: &str, proven: f64) -> f64 {
    let pages = concat!(env!("CARGO_MANIFEST_DIR"), "/src");
    let mut found = 0;
    let mut entries: Vec<_> = std::fs::read_dir(pages)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for page in entries
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
    {
        let text = std::fs::read_to_string(page).unwrap();
        for number in numbers::read(&text).prose {
            if number.claim.as_deref() != Some(id) {
                continue;
            }
            found += 1;
            assert!(
                number.value == proven,
                "{}:{}: the page says {} for the claim {id}, and the test proves {proven}",
                page.file_name().unwrap().to_string_lossy(),
                number.line,
                number.text,
            );
        }
    }
    assert!(
        found > 0,
        "no page makes the claim {id}: mark its number with <!-- claim: {id} -->"
    );
    proven
}

/// A turn at the machine's cores, for a test that keeps them busy (hundreds of threads or
/// sockets, a child process crunching) or that needs them free (robots that only collide when
/// they run at the same moment). Such tests take turns; every other test runs beside them.
/// A failed test poisons the lock; the next one still gets its turn.
pub fn the_cores() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// For a test that reads something the whole process shares (the allocations made on its
/// thread, which another test's timers can add to when runtimes share a reactor): runs the
/// calling test again in a process of its own and returns `true` in that process; in the
/// calling one, waits for that run, checks that it passed, and returns `false`.
///
/// ```ignore
/// if !common::in_a_process_of_its_own("stacks::a_task_is_one_allocation") {
///     return;
/// }
/// ```
pub fn in_a_process_of_its_own(test: &str) -> bool {
    const ALONE: &str = "LOOPBOT_TEST_ALONE";
    if std::env::var_os(ALONE).is_some() {
        return true;
    }
    let output = Command::new(std::env::current_exe().expect("the test knows its own path"))
        .args(["--exact", test, "--test-threads", "1"])
        .env(ALONE, "1")
        .output()
        .expect("the test binary starts");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{test}, run alone:\n{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    false
}

/// Every example, by the name `cargo run --example` takes, sorted: a file `examples/<name>.rs`
/// or a folder `examples/<name>/`.
pub fn examples() -> Vec<String> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/examples");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter_map(|path| {
            let name = path.file_stem()?.to_str()?.to_string();
            (path.is_dir() || path.extension()? == "rs").then_some(name)
        })
        .collect();
    names.sort();
    names
}

/// The value of the attribute `name` in the SVG element `tag`.
fn attribute(tag: &str, name: &str) -> String {
    let from = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
    tag[from..].split('"').next().unwrap().to_string()
}

/// `(actor, start, end)` of every bar in a picture drawn by `Timeline::to_svg`.
pub fn svg_bars(svg: &str) -> Vec<(String, f64, f64)> {
    svg.split("<rect data-actor=")
        .skip(1)
        .map(|rest| {
            let tag = format!("data-actor={}", rest.split('>').next().unwrap());
            (
                attribute(&tag, "data-actor"),
                attribute(&tag, "data-start").parse().unwrap(),
                attribute(&tag, "data-end").parse().unwrap(),
            )
        })
        .collect()
}

/// `(actor, t, event)` of every tick in a picture drawn by `Timeline::to_svg`.
pub fn svg_ticks(svg: &str) -> Vec<(String, f64, String)> {
    svg.split("<line data-actor=")
        .skip(1)
        .map(|rest| {
            let tag = format!("data-actor={}", rest.split('>').next().unwrap());
            (
                attribute(&tag, "data-actor"),
                attribute(&tag, "data-t").parse().unwrap(),
                attribute(&tag, "data-event"),
            )
        })
        .collect()
}
