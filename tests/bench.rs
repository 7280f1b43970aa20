//! The benchmark (`examples/bench.rs`) at small counts, in a debug build: it runs, its JSON
//! parses, and the orders of magnitude that hold on any machine hold. The figures themselves
//! depend on the machine and come from a release build; nothing here asserts them.

mod common;

use loopbot::Runtime;
use serde_json::Value;

/// Small enough for a debug build to finish in seconds, large enough that ten thousand stacks
/// stand out from the noise of a process's resident set, and that the timer map's nodes add
/// up to the share the chapter's table shows.
const SMALL: [&str; 12] = [
    "--max-tasks",
    "10000",
    "--max-threads",
    "10000",
    "--spawn-count",
    "1000",
    "--round-trips",
    "1000",
    "--timer-samples",
    "20",
    "--runtime",
    "all",
];

fn rows(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is one JSON object"))
        .collect()
}

fn find<'a>(rows: &'a [Value], measurement: &str, who: &str, count: u64) -> &'a Value {
    rows.iter()
        .find(|row| row["measurement"] == measurement && row["who"] == who && row["count"] == count)
        .unwrap_or_else(|| panic!("no {measurement} row for {who} at {count}"))
}

fn per(row: &Value, field: &str) -> f64 {
    row[field].as_f64().unwrap() / row["count"].as_f64().unwrap()
}

#[test]
fn json_has_every_measurement_and_tasks_cost_at_least_5x_less_memory_than_threads() {
    let output = common::run_example("bench", &[&SMALL[..], &["--json"]].concat());
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rows = rows(&stdout);

    let threads = find(&rows, "sleepers", "threads", 10_000);
    // A thread's stack alone touches at least a page (4 KiB) of memory.
    assert!(per(threads, "rss_growth_bytes") >= 4096.0, "{threads}");
    for runtime in Runtime::ALL {
        let who = runtime.name();
        let tasks = find(&rows, "sleepers", who, 10_000);
        let ratio = per(threads, "rss_growth_bytes") / per(tasks, "rss_growth_bytes").max(1.0);
        assert!(ratio >= 5.0, "{who}: only {ratio:.1}x less memory: {tasks}");
        // A sleeping task holds at least its future on the heap, and far less than a page.
        let heap = per(tasks, "heap_bytes");
        let future = tasks["future_bytes"].as_f64().unwrap();
        assert!(heap >= future && heap < 4096.0, "{who}: {tasks}");
        assert!(tasks["peak_rss_bytes"].as_u64().unwrap() > 0, "{tasks}");
        // Where the timers live: inside tokio's `Sleep` future, so one allocation per sleeping
        // task (the task itself); in async-io's map for async-std and smol, whose nodes add
        // about a fifth more (the chapter's 1.23). At 10,000 tasks, as in the chapter's table.
        let allocations = per(tasks, "allocations");
        match runtime {
            Runtime::Tokio => assert!((1.0..1.01).contains(&allocations), "{who}: {tasks}"),
            Runtime::AsyncStd | Runtime::Smol => {
                assert!((1.15..1.3).contains(&allocations), "{who}: {tasks}")
            }
        }

        // The floor is the sleeper future plus the runtime's bookkeeping, and the ratio is the
        // heap per task over it, as the chapter's table says.
        let floor = rows
            .iter()
            .find(|row| row["measurement"] == "floor" && row["who"] == who)
            .expect("a floor for every runtime");
        let field = |name: &str| floor[name].as_f64().unwrap();
        let parts = field("future_bytes") + field("bookkeeping_bytes");
        assert!((field("floor_bytes") - parts).abs() < 1e-6, "{floor}");
        let ratio = field("heap_per_task_bytes") / field("floor_bytes");
        assert!((field("ratio") - ratio).abs() < 1e-9, "{floor}");

        // Every measurement has a row for every runtime, with a positive figure.
        for (measurement, field) in [
            ("spawn", "ns_per_task"),
            ("ping-pong", "ns_per_round_trip"),
            ("timer", "median_late_us"),
            ("blocking", "on_the_loop_late_ms"),
        ] {
            let row = rows
                .iter()
                .find(|row| row["measurement"] == measurement && row["who"] == who)
                .unwrap_or_else(|| panic!("no {measurement} row for {who}"));
            assert!(row[field].as_f64().unwrap() >= 0.0, "{row}");
        }

        // A 100 ms blocking call on the loop's thread holds up the ticker for about that
        // long; on the blocking pool it does not.
        let blocking = find(&rows, "blocking", who, 1);
        let on_the_loop = blocking["on_the_loop_late_ms"].as_f64().unwrap();
        let offloaded = blocking["offloaded_late_ms"].as_f64().unwrap();
        assert!(on_the_loop >= 80.0, "{who}: {blocking}");
        assert!(offloaded < on_the_loop / 4.0, "{who}: {blocking}");
    }

    // An async fn keeps its argument in its state: a 1 KiB array makes a future of over 1 KiB;
    // behind a Box, a few words.
    let size = |future: &str| {
        rows.iter()
            .find(|row| row["measurement"] == "future-size" && row["who"] == future)
            .unwrap_or_else(|| panic!("no size for {future}"))["bytes"]
            .as_u64()
            .unwrap()
    };
    assert!(size("async fn plate([u8; 1024])") > 1024);
    assert!(size("async fn plate(Box<[u8; 1024]>)") <= 64);

    // Each goal says whether it is met, in so many words.
    let goals: Vec<&Value> = rows
        .iter()
        .filter(|row| row["measurement"] == "goal")
        .collect();
    assert!(goals.len() >= 9, "{stdout}");
    // ...and says it truly: "met" is the value compared with the target it prints.
    for goal in goals {
        let value = goal["value"].as_f64().unwrap();
        let target = goal["target"].as_str().unwrap();
        let (operator, bound) = target.split_once(' ').expect("a target is 'OP NUMBER'");
        let bound: f64 = bound.parse().expect("a number");
        let met = match operator {
            "<=" => value <= bound,
            "<" => value < bound,
            ">=" => value >= bound,
            other => panic!("unknown comparison {other} in {goal}"),
        };
        assert_eq!(goal["met"], met, "{goal}");
    }
}

#[test]
fn readable_output_has_one_section_per_measurement() {
    let output = common::run_example(
        "bench",
        &[
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
            "smol",
            "--allocator",
            "mimalloc",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    for heading in [
        "Sleeping tasks on one thread, each in a fresh process (allocator: mimalloc)",
        "The floor: the sleeper future plus the runtime's bookkeeping per task",
        "Spawn and join tiny tasks",
        "Ping-pong: one message there and back",
        "How late a 1 ms sleep wakes",
        "A 1 ms ticker's latest tick while a 100 ms blocking call runs",
        "Future sizes",
        "Goals",
    ] {
        assert!(stdout.contains(heading), "no '{heading}' in:\n{stdout}");
    }
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: [(&[&str], &str); 5] = [
        (&["--max-tasks", "0"], "invalid value '0' for '--max-tasks"),
        (
            &["--max-tasks", "1000001"],
            "invalid value '1000001' for '--max-tasks",
        ),
        (
            &["--max-threads", "100000"],
            "invalid value '100000' for '--max-threads",
        ),
        (
            &["--allocator", "jemalloc"],
            "invalid value 'jemalloc' for '--allocator",
        ),
        (&["--job", "sleepers:trio:10"], "unknown measurement"),
    ];
    for (args, expected) in cases {
        common::assert_usage_error("bench", args, expected);
    }
}
