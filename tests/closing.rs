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

/// The places in the evening's book where `who` did `what`.
fn written(evening: &example::Evening, who: &str, what: &str) -> Vec<usize> {
    (evening.book.iter().enumerate())
        .filter(|(_, (_, w, did))| w.starts_with(who) && *did == what)
        .map(|(at, _)| at)
        .collect()
}

#[test]
fn sending_them_home_cancels_the_meals_still_going_and_waits_for_each_to_end() {
    let (_, closing, _) = story();
    let finished = claim("closing.finished-by-close", 3.0) as u32;
    let eating_at_close = claim("closing.eating-at-close", 2.0) as u32;
    let waited = claim("closing.home.wait", 26.0);
    for (runtime, evening) in evenings(Policy::Cancel) {
        assert_eq!(
            (evening.served, evening.left_hungry, evening.served_after),
            (finished, eating_at_close, 0),
            "{runtime}: {evening:?}"
        );
        let what = format!("{runtime}: home");
        common::assert_claim(&what, evening.went_home_at, closing as f64, waited, MINUTE);
        // shutdown() and cancel().await return only once each meal has been dropped: the
        // house's book has both hungry diners leave before the host goes home.
        let home = written(&evening, "Host", "goes home");
        let hungry = written(&evening, "Diner", "leaves hungry");
        assert_eq!(
            hungry.len() as u32,
            eating_at_close,
            "{runtime}: {evening:?}"
        );
        assert!(
            hungry.iter().all(|&h| h < home[0]),
            "{runtime}: {evening:?}"
        );
    }
}

/// Dropping a JoinSet asks for the abort and does not wait: on tokio's current-thread runtime
/// the meals are dropped when the runtime is, after the host has gone home.
#[test]
fn a_dropped_join_set_aborts_its_tasks_after_the_host_has_gone() {
    let eating_at_close = claim("closing.eating-at-close", 2.0) as usize;
    let evening = closing_time(Runtime::Tokio, MINUTE, Policy::Drop);
    let home = written(&evening, "Host", "goes home");
    let hungry = written(&evening, "Diner", "leaves hungry");
    assert_eq!(hungry.len(), eating_at_close, "{evening:?}");
    assert!(hungry.iter().all(|&h| h > home[0]), "{evening:?}");
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
        .flat_map(|r| ["wait", "drop", "cancel"].map(|p| (r.to_string(), p.to_string())))
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

/// Set in the child processes of `when_main_returns_a_detached_task_is_dropped_only_on_tokio`:
/// the runtime whose program the child plays.
const CHILD: &str = "LOOPBOT_CLOSING_CHILD";

/// A meal far longer than a process takes to exit once `main` has returned.
const MEAL: Duration = Duration::from_secs(3);

/// The detached diner's place at the table: says, when dropped, whether the meal was finished.
struct Seat(bool);

impl Drop for Seat {
    fn drop(&mut self) {
        let what = if self.0 { "finishes" } else { "leaves hungry" };
        println!("closing-child: the diner {what}");
    }
}

/// A child's program, on each runtime: a diner is spawned, detached, sits down; then
/// `block_on` returns, the runtime (tokio's) is dropped, and `main` returns.
fn a_program_that_leaves_a_diner_eating(runtime: &str) {
    match runtime {
        "tokio" => {
            let tokio = tokio::runtime::Runtime::new().unwrap();
            tokio.block_on(async {
                let (seated, sits_down) = tokio::sync::oneshot::channel();
                tokio::spawn(async move {
                    let mut seat = Seat(false);
                    seated.send(()).unwrap();
                    tokio::time::sleep(MEAL).await;
                    seat.0 = true;
                });
                sits_down.await.unwrap();
            });
        }
        "async-std" => async_std::task::block_on(async {
            let (seated, sits_down) = async_std::channel::bounded(1);
            async_std::task::spawn(async move {
                let mut seat = Seat(false);
                seated.send(()).await.unwrap();
                async_std::task::sleep(MEAL).await;
                seat.0 = true;
            });
            sits_down.recv().await.unwrap();
        }),
        _ => smol::block_on(async {
            let (seated, sits_down) = smol::channel::bounded(1);
            smol::spawn(async move {
                let mut seat = Seat(false);
                seated.send(()).await.unwrap();
                smol::Timer::after(MEAL).await;
                seat.0 = true;
            })
            .detach();
            sits_down.recv().await.unwrap();
        }),
    }
    println!("closing-child: main returns");
}

/// What becomes of a diner still eating when `main` returns and the process exits, seen from
/// outside: each runtime's program runs in a process of its own (this test binary, run again),
/// and the diner's `Seat` prints when it is dropped. tokio drops the diner with the runtime,
/// before `main` returns; async-std and smol never drop it, nor let it finish: the process
/// exits with the task still on their executor's threads.
#[test]
fn when_main_returns_a_detached_task_is_dropped_only_on_tokio() {
    if let Some(runtime) = std::env::var_os(CHILD) {
        return a_program_that_leaves_a_diner_eating(runtime.to_str().unwrap());
    }
    let test = "closing::when_main_returns_a_detached_task_is_dropped_only_on_tokio";
    let children: Vec<_> = Runtime::ALL
        .map(|runtime| {
            let child = std::process::Command::new(std::env::current_exe().unwrap())
                .args(["--exact", test, "--nocapture", "--test-threads", "1"])
                .env(CHILD, runtime.name())
                .stdout(std::process::Stdio::piped())
                .stderr(std::process::Stdio::piped())
                .spawn()
                .expect("the test binary starts");
            (runtime, child)
        })
        .into_iter()
        .collect();
    for (runtime, child) in children {
        let output = child.wait_with_output().unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(output.status.success(), "{runtime}: {stdout}");
        let said: Vec<&str> = (stdout.lines())
            .filter_map(|line| Some(line.split_once("closing-child: ")?.1))
            .collect();
        let expected = match runtime {
            Runtime::Tokio => vec!["the diner leaves hungry", "main returns"],
            Runtime::AsyncStd | Runtime::Smol => vec!["main returns"],
        };
        assert_eq!(said, expected, "{runtime}: {stdout}");
    }
}
