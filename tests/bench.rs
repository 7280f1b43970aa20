//! The benchmark (`examples/bench/`) at small counts, in a debug build: what the chapter says
//! about memory, allocations, blocking and future sizes, checked on rows of the same types the
//! example writes, and its readable report in the shape the chapter shows. Times depend on the
//! machine: they come from a release run printed on the page, and nothing here asserts them
//! beyond the one bound a busy machine cannot break.

use crate::common;

#[allow(dead_code)]
#[path = "../examples/bench/rows.rs"]
mod rows;

use common::claim;
use loopbot::Runtime;
use rows::{Floor, Row, Sleepers, Who};

/// How many sleepers the tests start: small enough for a debug build to finish in seconds,
/// large enough that ten thousand stacks stand out from the noise of a process's resident
/// set, and that the timer map's nodes add up to the share the chapter's table shows.
fn tested_count() -> u32 {
    claim("bench.tests.count", 10_000.0) as u32
}

/// The most sleeping threads the benchmark starts.
fn most_threads() -> u32 {
    claim("bench.threads.most", 10_000.0) as u32
}

/// The benchmark at the tested count, as many threads as it starts, and a few of everything
/// else.
fn small() -> Vec<String> {
    let (tasks, threads) = (tested_count().to_string(), most_threads().to_string());
    [
        "--max-tasks",
        &tasks,
        "--max-threads",
        &threads,
        "--spawn-count",
        "1000",
        "--round-trips",
        "1000",
        "--timer-samples",
        "20",
        "--runtime",
        "all",
        "--json",
    ]
    .map(String::from)
    .to_vec()
}

fn rows(stdout: &str) -> Vec<Row> {
    stdout
        .lines()
        .map(|line| {
            serde_json::from_str(line).unwrap_or_else(|e| panic!("not a row ({e}): {line}"))
        })
        .collect()
}

fn sleepers(rows: &[Row], who: Who, count: u32) -> &Sleepers {
    rows.iter()
        .find_map(|row| match row {
            Row::Sleepers(row) if row.who == who && row.count == count => Some(row),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no sleepers row for {who} at {count}"))
}

fn smallest(rows: &[Row], who: Who) -> &Sleepers {
    rows.iter()
        .find_map(|row| match row {
            Row::Smallest(row) if row.who == who => Some(row),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no smallest row for {who}"))
}

fn floor(rows: &[Row], who: Who) -> &Floor {
    rows.iter()
        .find_map(|row| match row {
            Row::Floor(row) if row.who == who => Some(row),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no floor row for {who}"))
}

fn future_size(rows: &[Row], future: &str) -> u64 {
    rows.iter()
        .find_map(|row| match row {
            Row::FutureSize(size) if size.future == future => Some(size.bytes),
            _ => None,
        })
        .unwrap_or_else(|| panic!("no size for {future}"))
}

#[test]
fn the_figures_hold_what_the_chapter_says() {
    let args = small();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = common::run_example("bench", &args);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rows = rows(&stdout);

    // The threads go as far as the benchmark lets them, which is the tested count.
    assert_eq!(most_threads(), tested_count());
    let threads = sleepers(&rows, Who::Threads, most_threads());
    // A thread's stack alone touches at least a page (4 KiB) of memory.
    assert!(threads.rss_per_task() >= 4096.0, "{threads:?}");
    for runtime in Runtime::ALL {
        a_sleeping_task_costs_what_the_chapter_says(&rows, runtime, threads);
    }
    the_blocking_call_holds_the_loop(&rows);

    // An async fn keeps its argument in its state twice over: as the argument, and as the
    // variable the body moves it into. Behind a Box, a pointer and the state.
    let sizes = [
        (
            "async fn plate([u8; 1024])",
            claim("bench.sizes.plate", 2050.0),
        ),
        (
            "async fn plate(Box<[u8; 1024]>)",
            claim("bench.sizes.plate-boxed", 24.0),
        ),
        (
            "sleeper task, smol",
            claim("bench.sizes.smol-sleeper", 64.0),
        ),
    ];
    for (future, bytes) in sizes {
        assert_eq!(future_size(&rows, future), bytes as u64, "{future}");
    }
}

/// The benchmark starts threads up to the chapter's count and refuses one more: each maps a
/// stack, and Linux's default limit on mappings is not far above.
#[test]
fn the_benchmark_starts_threads_up_to_the_count_the_chapter_gives() {
    let one_more = (most_threads() + 1).to_string();
    common::assert_usage_error(
        "bench",
        &["--max-threads", &one_more],
        &format!("invalid value '{one_more}' for '--max-threads"),
    );
}

/// hez2010's charts are in mebibytes; the chapter converts tokio's figure to its megabytes.
#[test]
fn the_chapter_converts_hez2010s_unit_right() {
    let kibibyte = claim("bench.units.kibibyte", 1024.0);
    let mebibyte = claim("bench.units.mebibyte", 1_048_576.0);
    assert_eq!(mebibyte, kibibyte * kibibyte);
    let published = claim("bench.hez2010.tokio-mib", 439.1);
    let megabytes = published * mebibyte / 1e6;
    let on_the_page = claim("bench.hez2010.tokio-mb", 460.4);
    assert_eq!(
        (megabytes * 10.0).round() / 10.0,
        on_the_page,
        "{megabytes}"
    );
}

/// The memory, allocations and floor of 10,000 sleeping tasks on `runtime`, beside as many
/// sleeping `threads`.
fn a_sleeping_task_costs_what_the_chapter_says(rows: &[Row], runtime: Runtime, threads: &Sleepers) {
    let who = Who::from(runtime);
    let tasks = sleepers(rows, who, tested_count());
    assert_eq!(tasks.allocator, rows_allocator(rows), "{tasks:?}");
    // "At least 5 times less resident memory than a thread", on every runtime.
    let ratio = threads.rss_per_task() / tasks.rss_per_task().max(1.0);
    let at_least = claim("bench.tests.thread-over-task", 5.0);
    assert!(
        ratio >= at_least,
        "{who}: only {ratio:.1}x less memory: {tasks:?}"
    );
    // "A few hundred bytes": at least the task's future, and under a kilobyte.
    let heap = tasks.heap_per_task().unwrap();
    let future = tasks.future_bytes.unwrap() as f64;
    assert!(heap >= future && heap < 1000.0, "{who}: {tasks:?}");

    // The floor is worked out from these very rows, as the chapter says.
    let floor = floor(rows, who);
    let expected = Floor::of(smallest(rows, who), tasks).unwrap();
    assert_eq!(
        (floor.who, floor.future_bytes),
        (expected.who, expected.future_bytes)
    );
    for (read, worked_out) in [
        (floor.floor_bytes, expected.floor_bytes),
        (floor.ratio, expected.ratio),
    ] {
        assert!((read - worked_out).abs() < 1e-9 * worked_out, "{floor:?}");
    }

    // Where the timers live: inside tokio's `Sleep` future, so exactly one allocation per
    // sleeping task (the task itself); in async-io's map for async-std and smol, whose nodes
    // add the chapter's 0.23, give or take 0.08.
    let allocations = tasks.allocations_per_task().unwrap();
    match runtime {
        Runtime::Tokio => {
            assert!((1.0..1.01).contains(&allocations), "{tasks:?}");
            // A 120-byte sleeper in a task aligned to 128 bytes: 256 bytes, plus the task's
            // slot in the run queue.
            let future = claim("bench.tokio.future", 120.0) as u64;
            assert_eq!(tasks.future_bytes, Some(future));
            let task = claim("bench.tokio.task", 256.0);
            let under = claim("bench.tokio.task-and-slot-under", 288.0);
            assert!((task..under).contains(&heap), "{tasks:?}");
            // Within 5% of the floor: nothing beside the task but its queue slot.
            let within = claim("bench.tokio.floor-within-percent", 5.0) / 100.0;
            assert!(floor.ratio < 1.0 + within, "{floor:?}");
        }
        Runtime::AsyncStd | Runtime::Smol => {
            let per_task = claim("bench.timer-map.allocations", 1.23);
            let give_or_take = claim("bench.timer-map.give-or-take", 0.08);
            let range = per_task - give_or_take..per_task + give_or_take;
            assert!(range.contains(&allocations), "{who}: {tasks:?}");
            // The map's nodes are not in the floor: a sleeper takes a tenth more at least.
            let over = claim("bench.timer-map.over-floor-percent", 10.0) / 100.0;
            assert!(floor.ratio > 1.0 + over, "{floor:?}");
        }
    }
}

/// The allocator every Rust row names: the one this build of the example has.
fn rows_allocator(rows: &[Row]) -> String {
    let names: Vec<&str> = rows
        .iter()
        .filter_map(|row| match row {
            Row::Sleepers(row) if row.who != Who::Python => Some(row.allocator.as_str()),
            _ => None,
        })
        .collect();
    assert!(names.iter().all(|name| *name == names[0]), "{names:?}");
    assert!(["system", "mimalloc"].contains(&names[0]), "{names:?}");
    names[0].to_string()
}

/// A 100 ms blocking call on the loop's thread holds the ticker at least 99 ms past its 1 ms
/// tick: the ticker cannot run until the call returns. On the blocking pool the chapter says
/// "within a few milliseconds"; the bound is halfway to the 100 ms it rules out, for a busy
/// machine.
fn the_blocking_call_holds_the_loop(rows: &[Row]) {
    let (call, tick) = (call_ms(), tick_ms());
    let held = claim("bench.blocking.held", 99.0);
    assert_eq!(held, call - tick);
    let offloaded_under = claim("bench.blocking.offloaded-under", 50.0);
    assert_eq!(offloaded_under, call / 2.0);
    let mut seen = 0;
    for row in rows {
        if let Row::Blocking(blocking) = row {
            // The call and the tick the chapter names are the ones the example makes.
            assert_eq!((blocking.call_ms, blocking.tick_ms), (call, tick));
            assert!(blocking.on_the_loop_late_ms >= held, "{blocking:?}");
            assert!(blocking.offloaded_late_ms < offloaded_under, "{blocking:?}");
            seen += 1;
        }
    }
    assert_eq!(seen, Runtime::ALL.len());
}

/// How long the blocking call lasts, in milliseconds.
fn call_ms() -> f64 {
    claim("bench.blocking.call", 100.0)
}

/// How long the ticker means to sleep between its ticks, in milliseconds.
fn tick_ms() -> f64 {
    claim("bench.blocking.tick", 1.0)
}

/// A line's shape: every number replaced by `#` (a ratio, `1.03x`, by `#x`), the words and
/// units kept.
fn shape(line: &str) -> Vec<&str> {
    line.split_whitespace()
        .map(|token| {
            let times = token.strip_suffix('x');
            if token.parse::<f64>().is_ok() {
                "#"
            } else if times.is_some_and(|number| number.parse::<f64>().is_ok()) {
                "#x"
            } else {
                token
            }
        })
        .collect()
}

/// The report split into its tables, each a list of lines.
fn tables(text: &str) -> Vec<Vec<&str>> {
    text.split("\n\n")
        .map(|table| table.lines().filter(|line| !line.is_empty()).collect())
        .filter(|table: &Vec<&str>| !table.is_empty())
        .collect()
}

/// The block of the chapter that shows a whole run, without its command line.
fn the_run_on_the_page() -> String {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/bench.md"))
        .expect("the chapter exists");
    let command = "$ cargo run --release --example bench -- --runtime all\n";
    let start = page.find(command).expect("the chapter shows a whole run") + command.len();
    let end = start + page[start..].find("```").expect("the block ends");
    page[start..end].to_string()
}

#[test]
fn the_readable_report_has_the_shape_the_chapter_shows() {
    let args = [
        "--max-tasks",
        "10",
        "--max-threads",
        "10",
        "--spawn-count",
        "10",
        "--round-trips",
        "10",
        "--timer-samples",
        "5",
        "--runtime",
        "all",
    ];
    let output = common::run_example("bench", &args);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let page = the_run_on_the_page();
    let (printed, shown) = (tables(&stdout), tables(&page));
    assert_eq!(printed.len(), shown.len(), "{stdout}");
    for (printed, shown) in printed.iter().zip(&shown) {
        // The heading, and the column heads where a table has them, word for word; the
        // heading names this build's allocator.
        let heading = printed[0].replace("(allocator: mimalloc)", "(allocator: system)");
        assert_eq!(heading, shown[0]);
        let heads = |table: &[&str]| table.iter().take_while(|l| !is_row(l)).count();
        assert_eq!(printed[..heads(printed)], shown[..heads(shown)]);
        // Every row has the shape of a row on the page, and names who the page names, in the
        // page's order (Python only where it is installed).
        let shapes: Vec<Vec<&str>> = shown.iter().map(|line| shape(line)).collect();
        for line in printed.iter().filter(|line| is_row(line)) {
            assert!(
                shapes.contains(&shape(line)),
                "not a row the page shows: {line}"
            );
        }
        let labels = |table: &[&str]| {
            let mut labels: Vec<String> = Vec::new();
            for line in table.iter().filter(|line| is_row(line)) {
                let label = label(line);
                if !labels.contains(&label) {
                    labels.push(label);
                }
            }
            labels
        };
        let mut expected = labels(shown);
        if !labels(printed).contains(&"python".to_string()) {
            expected.retain(|label| label != "python");
        }
        assert_eq!(labels(printed), expected, "{stdout}");
    }
}

/// A table's row, as opposed to its heading or column heads: it holds a number.
fn is_row(line: &str) -> bool {
    shape(line).iter().any(|token| token.starts_with('#'))
}

/// Who or what a row is about: the words before its first number.
fn label(line: &str) -> String {
    line.split_whitespace()
        .take_while(|token| !is_row(token))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (&["--max-tasks", "0"], "invalid value '0' for '--max-tasks"),
        (
            &["--max-tasks", "1000001"],
            "invalid value '1000001' for '--max-tasks",
        ),
        (
            &["--max-threads", "100000"],
            "invalid value '100000' for '--max-threads",
        ),
        // The allocator is chosen when the example is built (`--features mimalloc`).
        (
            &["--allocator", "mimalloc"],
            "unexpected argument '--allocator'",
        ),
        (&["--job", "sleepers:trio:10"], "unknown 'trio'"),
        (&["--job", "timer:threads:10"], "nothing to measure"),
    ];
    for (args, expected) in cases {
        common::assert_usage_error("bench", args, expected);
    }
}
