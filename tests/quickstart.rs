//! Every claim the chapter "Quickstart" makes, checked on tokio, async-std and smol.
//!
//! The tour is the example itself (`examples/quickstart.rs`), included here as a module, so
//! the tests run exactly the code a reader runs with `cargo run --example quickstart`.

mod common;
#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod quickstart;

use std::time::Duration;

use loopbot::Runtime;
use quickstart::{Leftover, nested_block_on, shutdown, tour};

/// The tour's "second" in the tests: long enough that every upper bound sits at least
/// `common::LEAST_SLACK` above its claim (3 seconds joined vs 6 one after another needs 34 ms).
const SECOND: Duration = Duration::from_millis(40);

#[test]
fn an_awaited_async_fn_returns_its_value() {
    for runtime in Runtime::ALL {
        assert_eq!(tour(runtime, SECOND).called, "espresso", "{runtime}");
    }
}

#[test]
fn three_joined_tasks_of_3_1_and_2_seconds_take_3_and_keep_their_order() {
    for runtime in Runtime::ALL {
        let tour = tour(runtime, SECOND);
        assert_eq!(tour.joined, ["tea", "coffee", "cocoa"], "{runtime}");
        // Joined, the three waits overlap: 3 seconds, the longest, not 6, their sum.
        let what = format!("{runtime}: three joined tasks");
        common::assert_claim(&what, tour.joined_seconds, 3.0, 6.0, SECOND);
    }
}

#[test]
fn a_task_set_gives_results_in_the_order_they_finish() {
    for runtime in Runtime::ALL {
        let tour = tour(runtime, SECOND);
        assert_eq!(tour.finished, ["coffee", "cocoa", "tea"], "{runtime}");
    }
}

/// tests/bestiary.rs checks the same rules on handles (abort, cancel, detach); here it is the
/// plain shutdown a quickstart program does.
#[test]
fn at_shutdown_tokio_drops_running_tasks_and_async_std_and_smol_let_them_run_on() {
    assert_eq!(shutdown(Runtime::Tokio, SECOND), Leftover::Dropped);
    assert_eq!(shutdown(Runtime::AsyncStd, SECOND), Leftover::RanOn);
    assert_eq!(shutdown(Runtime::Smol, SECOND), Leftover::RanOn);
}

#[test]
fn tokio_refuses_a_runtime_inside_a_runtime_and_the_others_nest() {
    let refused = nested_block_on(Runtime::Tokio).unwrap_err();
    // The chapter quotes this message in full.
    assert_eq!(
        refused,
        "Cannot start a runtime from within a runtime. This happens because a function (like \
         `block_on`) attempted to block the current thread while the thread is being used to \
         drive asynchronous tasks. If you are in an async function, use `.await` on the future \
         instead of blocking on it."
    );
    assert_eq!(nested_block_on(Runtime::AsyncStd), Ok(42));
    assert_eq!(nested_block_on(Runtime::Smol), Ok(42));
}

#[test]
fn json_output_has_one_object_per_runtime() {
    let objects = common::json_lines(
        "quickstart",
        &["--runtime", "all", "--json", "--minute-ms", "20"],
    );
    assert_eq!(objects.len(), 3, "{objects:?}");
    for (object, runtime) in objects.iter().zip(Runtime::ALL) {
        assert_eq!(object["runtime"], runtime.name());
        assert_eq!(
            object["finished"],
            serde_json::json!(["coffee", "cocoa", "tea"])
        );
        let nested_refused = !object["nested_block_on"].is_null();
        assert_eq!(nested_refused, runtime == Runtime::Tokio, "{object}");
    }
}

#[test]
fn readable_output_is_a_header_and_a_line_per_step() {
    let output = common::run_example("quickstart", &["--runtime", "tokio", "--minute-ms", "20"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(lines[0].starts_with("Quickstart on tokio"), "{stdout}");
    assert_eq!(lines[1], "called an async fn: espresso", "{stdout}");
    assert!(
        lines[5].ends_with("panics: Cannot start a runtime from within a runtime."),
        "{stdout}"
    );
    assert!(
        output.stderr.is_empty(),
        "the panic's message is kept off stderr"
    );
}

/// The chapter and the glossary say a `JoinSet` is the nearest thing to a `TaskGroup`:
/// dropping it aborts the tasks still in it. Only sleeps here, so the paused clock is exact.
#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn dropping_a_joinset_aborts_the_tasks_still_in_it() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let finished = Arc::new(AtomicBool::new(false));
    let mut set = tokio::task::JoinSet::new();
    let done = finished.clone();
    set.spawn(async move {
        tokio::time::sleep(Duration::from_secs(1)).await;
        done.store(true, Ordering::SeqCst);
    });
    tokio::task::yield_now().await; // the task starts and begins its sleep
    drop(set);
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert!(!finished.load(Ordering::SeqCst));
}
