//! Every claim the chapter "Quickstart" makes, checked on tokio, async-std and smol.
//!
//! The tour is the example itself (`examples/quickstart.rs`), included here as a module, so
//! the tests run exactly the code a reader runs with `cargo run --example quickstart`.

use crate::common;
#[allow(dead_code)]
#[path = "../examples/quickstart.rs"]
mod example;

use std::time::Duration;

use common::claim;
use example::{DRINKS, Leftover, nested_block_on, shutdown, tour};
use loopbot::Runtime;

/// The tour's "second" in the tests: long enough that every upper bound sits at least
/// `common::LEAST_SLACK` above its claim (3 seconds joined vs 6 one after another needs 34 ms).
const SECOND: Duration = Duration::from_millis(40);

#[test]
fn an_awaited_async_fn_returns_its_value() {
    for runtime in Runtime::ALL {
        assert_eq!(tour(runtime, SECOND).called, "espresso", "{runtime}");
    }
}

/// The drinks and their "seconds", as the chapter gives them.
fn drinks() -> [(&'static str, f64); 3] {
    [
        ("tea", claim("quickstart.tea", 3.0)),
        ("coffee", claim("quickstart.coffee", 1.0)),
        ("cocoa", claim("quickstart.cocoa", 2.0)),
    ]
}

#[test]
fn the_example_brews_the_drinks_the_chapter_names() {
    let named = drinks().map(|(drink, seconds)| (drink, seconds as u32));
    assert_eq!(DRINKS, named);
}

#[test]
fn three_joined_tasks_of_3_1_and_2_seconds_take_3_and_keep_their_order() {
    let seconds = drinks().map(|(_, seconds)| seconds);
    // Joined, the three waits overlap: the longest, not their sum.
    let joined = claim("quickstart.joined", 3.0);
    let one_after_another = claim("quickstart.one-after-another", 6.0);
    assert_eq!(joined, seconds.into_iter().fold(0.0, f64::max));
    assert_eq!(one_after_another, seconds.into_iter().sum::<f64>());
    for runtime in Runtime::ALL {
        let tour = tour(runtime, SECOND);
        assert_eq!(tour.joined, drinks().map(|(drink, _)| drink), "{runtime}");
        let what = format!("{runtime}: three joined tasks");
        common::assert_claim(
            &what,
            tour.joined_seconds,
            joined,
            one_after_another,
            SECOND,
        );
    }
}

#[test]
fn a_task_set_gives_results_in_the_order_they_finish() {
    let mut by_time = drinks();
    by_time.sort_by(|a, b| a.1.total_cmp(&b.1));
    let quickest_first = by_time.map(|(drink, _)| drink);
    assert_eq!(quickest_first, ["coffee", "cocoa", "tea"]);
    for runtime in Runtime::ALL {
        let tour = tour(runtime, SECOND);
        assert_eq!(tour.finished, quickest_first, "{runtime}");
    }
}

/// The chapter's "second" lasts `--minute-ms`, 100 ms unless the reader says otherwise.
#[test]
fn a_second_lasts_the_default_the_chapter_gives() {
    let output = common::run_example("quickstart", &["--help"]);
    assert!(output.status.success(), "{output:?}");
    let help = String::from_utf8(output.stdout).unwrap();
    let (_, minute_ms) = help
        .split_once("--minute-ms")
        .expect("the help names --minute-ms");
    let default = minute_ms.split("[default: ").nth(1).expect("a default");
    let default = default.split(']').next().unwrap();
    let expected = claim("quickstart.second-ms", 100.0);
    assert_eq!(default.parse::<f64>(), Ok(expected), "{help}");
}

/// The chapter's three programs of the first case each sleep their thread as long as the
/// prose says, after `spawn` and before their first `.await`; the snippet tests run them.
#[test]
fn the_spawner_sleeps_as_long_as_the_chapter_says() {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/quickstart.md"))
        .expect("the chapter exists");
    let millis = claim("quickstart.spawner-sleeps-ms", 50.0);
    let sleep =
        format!("std::thread::sleep(Duration::from_millis({millis})); // the thread is still ours");
    assert_eq!(page.matches(&sleep).count(), Runtime::ALL.len(), "{sleep}");
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
    let inner = claim("quickstart.nested", 42.0) as u32;
    assert_eq!(nested_block_on(Runtime::AsyncStd), Ok(inner));
    assert_eq!(nested_block_on(Runtime::Smol), Ok(inner));
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

/// The message tokio panics with when one of its timers, sockets or `spawn` finds no tokio
/// runtime on the thread (tokio 1.54's `CONTEXT_MISSING_ERROR`); the chapter quotes it.
const NO_TOKIO_RUNTIME: &str =
    "there is no reactor running, must be called from the context of a Tokio 1.x runtime";

/// Runs `future` under the `futures` crate's `block_on`, an executor that is not tokio, and
/// returns the panic's message, or `None` if it did not panic.
fn panic_outside_tokio<F: std::future::Future>(future: impl FnOnce() -> F) -> Option<String> {
    let outcome = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        futures::executor::block_on(async { future().await })
    }));
    outcome.err().map(|payload| {
        payload
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| payload.downcast_ref::<&str>().map(|text| text.to_string()))
            .unwrap_or_default()
    })
}

#[test]
fn tokio_timers_sockets_and_spawn_panic_outside_a_tokio_runtime() {
    let sleep = panic_outside_tokio(|| async {
        tokio::time::sleep(Duration::from_millis(1)).await;
    });
    let bind = panic_outside_tokio(|| async {
        let _ = tokio::net::TcpListener::bind("127.0.0.1:0").await;
    });
    let spawn = panic_outside_tokio(|| async {
        let _ = tokio::spawn(async {}).await;
    });
    for (what, panic) in [("sleep", sleep), ("bind", bind), ("spawn", spawn)] {
        assert_eq!(panic.as_deref(), Some(NO_TOKIO_RUNTIME), "tokio's {what}");
    }
}

/// A timer and a TCP connection of async-std's and of smol's (both async-io underneath).
async fn async_io_timers_and_sockets() {
    let start = std::time::Instant::now();
    async_std::task::sleep(Duration::from_millis(20)).await;
    smol::Timer::after(Duration::from_millis(20)).await;
    assert!(start.elapsed() >= Duration::from_millis(40));

    let listener = async_std::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap();
    let address = listener.local_addr().unwrap();
    let (accepted, connected) = futures::join!(
        listener.accept(),
        async_std::net::TcpStream::connect(address)
    );
    accepted.unwrap();
    connected.unwrap();

    let listener = smol::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let (accepted, connected) =
        futures::join!(listener.accept(), smol::net::TcpStream::connect(address));
    accepted.unwrap();
    connected.unwrap();
}

#[test]
fn async_std_and_smol_timers_and_sockets_work_under_any_executor() {
    futures::executor::block_on(async_io_timers_and_sockets());
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(async_io_timers_and_sockets());
}

#[test]
fn an_entered_multi_threaded_tokio_runtime_serves_tokio_timers_under_smol() {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let _guard = runtime.enter();
    let start = std::time::Instant::now();
    smol::block_on(async {
        tokio::time::sleep(Duration::from_millis(20)).await;
        tokio::spawn(async { 42 }).await.unwrap()
    });
    assert!(start.elapsed() >= Duration::from_millis(20));
}

/// The chapter's second case of `spawn`: on several threads, a worker picks the task up while
/// its spawner goes on, without the spawner ever reaching an `.await`. The spawner here only
/// blocks its own thread; it gives the task up to 10 seconds on a busy machine.
#[test]
fn on_several_threads_a_spawned_task_runs_while_its_spawner_never_awaits() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};

    fn wait_without_awaiting(ran: &AtomicBool) -> bool {
        let give_up = std::time::Instant::now() + Duration::from_secs(10);
        while !ran.load(Ordering::SeqCst) && std::time::Instant::now() < give_up {
            std::thread::sleep(Duration::from_millis(1));
        }
        ran.load(Ordering::SeqCst)
    }

    for runtime in Runtime::ALL {
        let ran = Arc::new(AtomicBool::new(false));
        let flag = ran.clone();
        let set = async move { flag.store(true, Ordering::SeqCst) };
        let seen = match runtime {
            Runtime::Tokio => tokio::runtime::Runtime::new().unwrap().block_on(async {
                let task = tokio::spawn(set);
                let seen = wait_without_awaiting(&ran);
                task.await.unwrap();
                seen
            }),
            Runtime::AsyncStd => async_std::task::block_on(async {
                let task = async_std::task::spawn(set);
                let seen = wait_without_awaiting(&ran);
                task.await;
                seen
            }),
            Runtime::Smol => smol::block_on(async {
                let task = smol::spawn(set);
                let seen = wait_without_awaiting(&ran);
                task.await;
                seen
            }),
        };
        assert!(
            seen,
            "{runtime}: the task did not run while its spawner held its thread"
        );
    }
}

/// The compiler warns about a forgotten `.await` only when the future is a statement of its
/// own; bound to `_`, it says nothing. Each program is compiled by rustc, as the book's
/// compiler-says blocks are.
#[test]
fn a_forgotten_await_warns_as_a_statement_and_is_silent_after_let_underscore() {
    fn rustc_warnings(main_body: &str) -> String {
        let dir = std::env::temp_dir().join(format!(
            "loopbot-quickstart-await-{}-{}",
            std::process::id(),
            main_body.len()
        ));
        std::fs::create_dir_all(&dir).unwrap();
        let source = format!("async fn brew() -> u32 {{ 7 }}\n\nfn main() {{\n{main_body}\n}}\n");
        std::fs::write(dir.join("main.rs"), source).unwrap();
        let output = std::process::Command::new("rustc")
            .args([
                "--edition",
                "2024",
                "--color",
                "never",
                "main.rs",
                "-o",
                "main",
            ])
            .current_dir(&dir)
            .output()
            .expect("rustc runs");
        std::fs::remove_dir_all(&dir).unwrap();
        assert!(output.status.success(), "{output:?}");
        String::from_utf8(output.stderr).unwrap()
    }
    let statement = rustc_warnings("    brew();");
    assert!(
        statement.contains("warning: unused implementer of `Future` that must be used"),
        "{statement}"
    );
    let wildcard = rustc_warnings("    let _ = brew();");
    assert!(wildcard.is_empty(), "{wildcard}");
}
