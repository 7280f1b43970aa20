//! `src/traits.md`: the static trait's call allocates nothing and the boxed `dyn` call one box,
//! on every runtime, as `cargo run --example traits` counts them with its own allocator. (The
//! page's listings are whole programs, run by the book's snippet tests; the times per call are
//! a benchmark's, printed by a `--release` run, never asserted.)

use crate::common::{self, claim};

#[test]
fn a_boxed_call_allocates_one_box_and_a_static_one_nothing_on_every_runtime() {
    let calls = 1000;
    let static_allocations = claim("traits.static.allocations", 0.0);
    let dyn_allocations = claim("traits.dyn.allocations", 1.0);
    let rows = common::json_lines(
        "traits",
        &["--runtime", "all", "--json", "--calls", &calls.to_string()],
    );
    let runtimes: Vec<&str> = rows
        .iter()
        .map(|r| r["runtime"].as_str().unwrap())
        .collect();
    assert_eq!(runtimes, ["tokio", "async-std", "smol"]);
    for row in &rows {
        assert_eq!(row["calls"], calls, "{row}");
        assert_eq!(
            row["static_allocations_per_call"], static_allocations,
            "{row}"
        );
        assert_eq!(row["dyn_allocations_per_call"], dyn_allocations, "{row}");
        for time in ["static_ns_per_call", "dyn_ns_per_call"] {
            assert!(row[time].as_f64().unwrap() > 0.0, "{row}");
        }
    }
}

#[test]
fn the_readable_output_has_one_row_per_runtime() {
    let output = common::run_example("traits", &["--runtime", "all", "--calls", "10"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines[0],
        "10 calls of a robot's work, ready at once, through each trait"
    );
    for (line, runtime) in lines[2..].iter().zip(["tokio", "async-std", "smol"]) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(words[0], runtime, "{stdout}");
        assert_eq!((words[1], words[3]), ("0.00", "1.00"), "{stdout}");
    }
    assert_eq!(lines.len(), 5, "{stdout}");
}
