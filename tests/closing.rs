//! Every claim the chapter "Closing Time" makes, checked on tokio, async-std and smol.
//!
//! The evenings are the example itself (`examples/closing/`), included here as a module, so
//! the tests run exactly the code a reader runs with `cargo run --example closing`.

use crate::common;
#[allow(dead_code)]
#[path = "../examples/closing/main.rs"]
mod example;

use std::time::Duration;

use common::claim;
use example::{ARRIVALS, CLOSING, EATING, Policy, closing_time};
use loopbot::Runtime;

/// A story minute in the tests. Who is seated and who is phoned turns on events 2 minutes
/// apart (the diner of minute 18, closing at 20, the diner of 22), so 2 minutes must be more
/// than a busy machine's delay: 100 ms. The runtimes' evenings run side by side, each on a
/// thread of its own, to keep the tests short.
const MINUTE: Duration = Duration::from_millis(50);

/// One evening on each runtime, run side by side.
fn evenings(policy: Policy) -> Vec<(Runtime, example::Evening)> {
    std::thread::scope(|scope| {
        let running: Vec<_> = Runtime::ALL
            .map(|runtime| scope.spawn(move || (runtime, closing_time(runtime, MINUTE, policy))))
            .into_iter()
            .collect();
        running
            .into_iter()
            .map(|evening| evening.join().unwrap())
            .collect()
    })
}

/// The evening as the page tells it.
fn story() -> (u32, u32, u32) {
    let arrivals = claim("closing.arrivals", ARRIVALS.len() as f64) as u32;
    let closing = claim("closing.at", CLOSING as f64) as u32;
    let eating = claim("closing.eating", EATING as f64) as u32;
    (arrivals, closing, eating)
}

#[test]
fn waiting_for_everyone_serves_every_seated_diner_and_the_count_adds_up() {
    let (arrivals, closing, eating) = story();
    let seated = claim("closing.seated", 5.0) as u32;
    let phoned = claim("closing.phoned", 3.0) as u32;
    let last_seated = ARRIVALS.into_iter().filter(|&a| a < closing).max().unwrap();
    let home = claim("closing.home.wait", (last_seated + eating) as f64);
    // Had the host also waited for the diners it phoned, it would go home at the last
    // booking's end.
    let last_booking = ARRIVALS[ARRIVALS.len() - 1];
    let booked_end = claim("closing.home.booked", (last_booking + eating) as f64);
    for (runtime, evening) in evenings(Policy::Wait) {
        assert_eq!(
            (evening.seated, evening.phoned),
            (seated, phoned),
            "{runtime}: {evening:?}"
        );
        assert_eq!(evening.seated + evening.phoned, arrivals, "{runtime}");
        assert_eq!(evening.served, evening.seated, "{runtime}: {evening:?}");
        assert_eq!(
            (evening.left_hungry, evening.served_after),
            (0, 0),
            "{runtime}"
        );
        let what = format!("{runtime}: home");
        common::assert_claim(&what, evening.went_home_at, home, booked_end, MINUTE);
    }
}

#[test]
fn dropping_the_handles_cancels_on_tokio_and_smol_and_detaches_on_async_std() {
    let (_, closing, eating) = story();
    let finished = ARRIVALS.iter().filter(|&&a| a + eating < closing).count() as u32;
    let eating_at_close = ARRIVALS
        .iter()
        .filter(|&&a| a < closing && a + eating > closing)
        .count() as u32;
    assert_eq!(claim("closing.finished-by-close", finished as f64), 3.0);
    assert_eq!(
        claim("closing.eating-at-close", eating_at_close as f64),
        2.0
    );
    let waited = claim("closing.home.wait", 26.0);
    for (runtime, evening) in evenings(Policy::Drop) {
        assert_eq!(evening.served, finished, "{runtime}: {evening:?}");
        let what = format!("{runtime}: home");
        common::assert_claim(&what, evening.went_home_at, closing as f64, waited, MINUTE);
        let (hungry, after) = match runtime {
            // A dropped JoinSet aborts its tasks; a dropped smol Task is cancelled.
            Runtime::Tokio | Runtime::Smol => (eating_at_close, 0),
            // A dropped async-std JoinHandle detaches: the diners finish after the host left.
            Runtime::AsyncStd => (0, eating_at_close),
        };
        assert_eq!(
            (evening.left_hungry, evening.served_after),
            (hungry, after),
            "{runtime}: {evening:?}"
        );
    }
}

#[test]
fn the_example_prints_one_json_object_per_runtime_and_policy() {
    let rows = common::json_lines(
        "closing",
        &["--runtime", "all", "--json", "--minute-ms", "10"],
    );
    let seen: Vec<(String, String)> = rows
        .iter()
        .map(|r| {
            (
                r["runtime"].as_str().unwrap().into(),
                r["policy"].as_str().unwrap().into(),
            )
        })
        .collect();
    let expected: Vec<(String, String)> = ["tokio", "async-std", "smol"]
        .iter()
        .flat_map(|r| {
            [
                (r.to_string(), "wait".to_string()),
                (r.to_string(), "drop".to_string()),
            ]
        })
        .collect();
    assert_eq!(seen, expected);
    // At 10 ms a minute a busy machine may move a diner across closing time; the counts
    // must still add up.
    for row in &rows {
        let count = |key: &str| row["evening"][key].as_u64().unwrap();
        assert_eq!(
            count("seated") + count("phoned"),
            ARRIVALS.len() as u64,
            "{row}"
        );
    }
}

#[test]
fn the_example_refuses_an_unknown_policy() {
    common::assert_usage_error(
        "closing",
        &["--policy", "lock-the-doors"],
        "invalid value 'lock-the-doors' for '--policy <POLICY>'",
    );
}

/// The chapter's pictures were drawn by the example from real runs, at its 100 ms minute,
/// and show what the page says of them.
#[test]
fn the_chapters_pictures_show_who_was_served_and_who_left_hungry() {
    let picture = |name: &str| {
        let path = format!("{}/src/img/closing-{name}.svg", env!("CARGO_MANIFEST_DIR"));
        std::fs::read_to_string(path).unwrap()
    };
    let drawn = Duration::from_millis(100);
    let (_, closing, eating) = story();
    let seated: Vec<u32> = ARRIVALS.into_iter().filter(|&a| a < closing).collect();
    for name in ["tokio-wait", "tokio-drop", "async-std-drop"] {
        let svg = picture(name);
        let bars = common::svg_bars(&svg);
        let diners: Vec<String> = (1..=seated.len()).map(|n| format!("Diner {n}")).collect();
        assert_eq!(
            bars.iter().map(|b| b.0.clone()).collect::<Vec<_>>(),
            diners,
            "{name}"
        );
        for ((_, start, end), arrival) in bars.iter().zip(&seated) {
            common::assert_claim(
                &format!("{name}: a bar's start"),
                *start,
                *arrival as f64,
                *arrival as f64 + 2.0,
                drawn,
            );
            // A diner still eating at closing time leaves hungry on tokio, when the host drops
            // the handles; everyone else eats for the whole 8 minutes.
            let hungry = name == "tokio-drop" && arrival + eating > closing;
            let leaves = if hungry { closing } else { arrival + eating };
            common::assert_claim(
                &format!("{name}: a bar's end"),
                *end,
                leaves as f64,
                leaves as f64 + 2.0,
                drawn,
            );
        }
        let hungry_ticks = common::svg_ticks(&svg)
            .into_iter()
            .filter(|t| t.2 == "hungry")
            .count();
        assert_eq!(
            hungry_ticks,
            if name == "tokio-drop" { 2 } else { 0 },
            "{name}"
        );
    }
}

#[test]
fn svg_draws_one_evening_of_one_runtime() {
    common::assert_usage_error(
        "closing",
        &["--runtime", "all", "--policy", "drop", "--svg", "x.svg"],
        "--svg draws one evening",
    );
    common::assert_usage_error(
        "closing",
        &["--runtime", "smol", "--svg", "x.svg"],
        "--svg draws one evening",
    );
}
