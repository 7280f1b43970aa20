//! Every claim the chapter "The Truth about Threads" makes, checked: which ways of sharing the
//! kitchen lose cutlery and which never do, on threads and on tokio, async-std and smol, and
//! what a thread costs next to a task.
//!
//! The robots are the example itself (`examples/threads_cutlery/`), included here as a module,
//! so the tests run exactly the code a reader runs with `cargo run --example threads_cutlery`.

mod common;
#[allow(dead_code)]
#[path = "../examples/threads_cutlery/main.rs"]
mod threads_cutlery;

use std::time::Duration;

use loopbot::Runtime;
use threads_cutlery::{Cutlery, Mode, Service, serve};

/// The story's staff: ten robots.
const BOTS: u32 = 10;
/// The story's long test: ten thousand tables per robot.
const TABLES: u32 = 10_000;
/// How many services a race gets to show itself before the test gives up.
const TRIES: usize = 5;

/// A walk of zero: the robot turns around (an `.await` that yields) without a timer, so ten
/// thousand tables take a fraction of a second on every runtime.
const TURN_AROUND: Duration = Duration::ZERO;

fn assert_all_home(service: &Service) {
    assert_eq!(
        service.after, service.before,
        "{} on {:?}: {service:?}",
        service.mode, service.runtime
    );
    assert_eq!(service.before, Cutlery::KITCHEN);
    assert_eq!(service.missing, Cutlery::default());
}

/// Serves up to `TRIES` times and returns the services, stopping at the first that loses (or
/// gains) a piece.
fn until_a_piece_goes_missing(
    mode: Mode,
    runtime: Runtime,
    tables: u32,
    walk: Duration,
) -> Vec<Service> {
    let mut services = Vec::new();
    for _ in 0..TRIES {
        let service = serve(mode, runtime, BOTS, tables, walk);
        let lost = !service.all_home();
        services.push(service);
        if lost {
            break;
        }
    }
    services
}

#[test]
fn the_kitchen_holds_100_of_each_and_a_table_takes_4_of_each() {
    let pieces = |knives, forks| Cutlery { knives, forks };
    assert_eq!(Cutlery::KITCHEN, pieces(100, 100));
    assert_eq!(Cutlery::TABLE, pieces(4, 4));
    assert_eq!(Cutlery::TAKE, pieces(-4, -4));
}

/// On the command line a walk lasts one story second, give or take half of it. Under the lock
/// the walks to the shelf happen one after another: 10 robots x 2 tables x 2 transfers = 40
/// walks of 5 to 15 ms with a 600 ms minute, so 0.2 to 0.6 s, plus a little.
#[test]
fn on_the_command_line_a_walk_lasts_about_one_story_second() {
    // Built first, so that only the service is timed, not cargo.
    let example = common::example("threads_cutlery");
    let start = std::time::Instant::now();
    let output = std::process::Command::new(example)
        .args([
            "--mode",
            "loopbot-lock",
            "--runtime",
            "smol",
            "--tables",
            "2",
            "--minute-ms",
            "600",
            "--json",
        ])
        .output()
        .expect("the example starts");
    let elapsed = start.elapsed();
    assert!(output.status.success(), "{output:?}");
    assert!(
        elapsed >= Duration::from_millis(200) && elapsed < Duration::from_millis(1500),
        "40 locked walks took {elapsed:?}"
    );
}

#[test]
fn a_mutex_an_atomic_or_a_channel_never_loses_a_piece() {
    for mode in [Mode::Mutex, Mode::Atomic, Mode::Channel] {
        let service = serve(mode, Runtime::Tokio, BOTS, TABLES, TURN_AROUND);
        assert_eq!(service.runtime, None, "{mode:?} runs on threads");
        assert_eq!((service.bots, service.tables), (BOTS, TABLES));
        assert_all_home(&service);
    }
}

#[test]
fn racy_threads_lose_pieces_and_a_different_number_each_time() {
    let mut outcomes = Vec::new();
    for _ in 0..TRIES {
        outcomes.push(serve(Mode::Racy, Runtime::Tokio, BOTS, TABLES, TURN_AROUND).after);
    }
    assert!(
        outcomes.iter().any(|after| *after != Cutlery::KITCHEN),
        "{TRIES} racy services of {BOTS} robots x {TABLES} tables lost nothing: {outcomes:?}"
    );
    let first = outcomes[0];
    assert!(
        outcomes.iter().any(|after| *after != first),
        "{TRIES} racy services all ended the same: {outcomes:?}"
    );
}

#[test]
fn loopbot_tasks_without_an_await_in_the_transfer_lose_nothing_on_every_runtime() {
    for runtime in Runtime::ALL {
        let service = serve(Mode::Loopbot, runtime, BOTS, TABLES, TURN_AROUND);
        assert_eq!(service.runtime, Some(runtime.name()));
        assert_all_home(&service);
    }
}

#[test]
fn an_await_between_read_and_write_loses_pieces_even_on_one_thread() {
    for runtime in Runtime::ALL {
        // 1,000 tables each: the race shows within the first few, and a failure stays quick.
        let services = until_a_piece_goes_missing(Mode::LoopbotAwait, runtime, 1_000, TURN_AROUND);
        assert!(
            !services.last().unwrap().all_home(),
            "{runtime}: {TRIES} services lost nothing: {services:?}"
        );
    }
}

#[test]
fn an_await_between_read_and_write_loses_pieces_with_timed_walks_too() {
    // Real walks (timers of 0.5 to 1.5 ms) instead of turning around: the same race.
    for runtime in Runtime::ALL {
        let walk = Duration::from_millis(1);
        let services = until_a_piece_goes_missing(Mode::LoopbotAwait, runtime, 50, walk);
        assert!(
            !services.last().unwrap().all_home(),
            "{runtime}: {TRIES} services lost nothing: {services:?}"
        );
    }
}

#[test]
fn an_async_mutex_held_across_the_walk_loses_nothing_on_every_runtime() {
    for runtime in Runtime::ALL {
        let service = serve(Mode::LoopbotLock, runtime, BOTS, TABLES, TURN_AROUND);
        assert_all_home(&service);
    }
}

#[test]
fn json_output_is_one_object_per_service() {
    let objects = common::json_lines(
        "threads_cutlery",
        &[
            "--mode",
            "loopbot-lock",
            "--runtime",
            "all",
            "--tables",
            "20",
            "--minute-ms",
            "1",
            "--json",
        ],
    );
    assert_eq!(objects.len(), 3, "{objects:?}");
    for (object, runtime) in objects.iter().zip(Runtime::ALL) {
        assert_eq!(object["mode"], "loopbot-lock");
        assert_eq!(object["runtime"], runtime.name());
        assert_eq!(object["bots"], 10);
        assert_eq!(object["tables"], 20);
        let kitchen = serde_json::json!({"knives": 100, "forks": 100});
        assert_eq!(object["before"], kitchen);
        assert_eq!(object["after"], kitchen);
        assert_eq!(
            object["missing"],
            serde_json::json!({"knives": 0, "forks": 0})
        );
    }

    // A thread mode runs once, whatever --runtime says, and names no runtime.
    let output = common::run_example(
        "threads_cutlery",
        &[
            "--mode",
            "racy",
            "--runtime",
            "all",
            "--tables",
            "10000",
            "--json",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 1, "{objects:?}");
    let object: serde_json::Value = serde_json::from_str(lines[0]).unwrap();
    assert_eq!(object["runtime"], serde_json::Value::Null);
    let missing = object["missing"]["knives"].as_i64().unwrap();
    assert_eq!(
        missing,
        100 - object["after"]["knives"].as_i64().unwrap(),
        "{objects:?}"
    );
}

#[test]
fn readable_output_shows_the_inventory_before_and_after() {
    let output = common::run_example(
        "threads_cutlery",
        &["--mode", "atomic", "--tables", "10000"],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(
        lines,
        [
            "Robots and cutlery, atomic mode: 10 ThreadBots, 10000 tables each",
            "Kitchen inventory before service: 100 knives, 100 forks",
            "Kitchen inventory after service:  100 knives, 100 forks",
            "Every piece came home.",
        ],
        "{stdout}"
    );
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: [(&[&str], &str); 5] = [
        (
            &["--mode", "teleport"],
            "invalid value 'teleport' for '--mode",
        ),
        (&["--bots", "0"], "invalid value '0' for '--bots"),
        (&["--bots", "many"], "invalid value 'many' for '--bots"),
        (&["--tables", "0"], "invalid value '0' for '--tables"),
        (
            &["--tables", "1000001"],
            "invalid value '1000001' for '--tables",
        ),
    ];
    for (args, expected) in cases {
        common::assert_usage_error("threads_cutlery", args, expected);
    }
}

/// The measurement behind the chapter's cost figures, at 1,000 threads and 1,000 tasks (the
/// chapter's figures are from 10,000 in a release build). Each row comes from a fresh process.
/// Only memory is asserted: times depend on what else the machine is doing (a round trip
/// between two threads ranged from 4 to 80 microseconds in debug builds on the same machine).
#[test]
fn waiting_tasks_cost_at_least_5x_less_memory_than_waiting_threads() {
    let output = common::run_example(
        "threads_cost",
        &[
            "--count",
            "1000",
            "--round-trips",
            "1000",
            "--runtime",
            "all",
            "--json",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let rows: Vec<serde_json::Value> = stdout
        .lines()
        .map(|line| serde_json::from_str(line).expect("every line is one JSON object"))
        .collect();
    assert_eq!(rows.len(), 4, "{stdout}");
    let threads = &rows[0];
    assert_eq!(threads["what"], "threads");
    let figure = |row: &serde_json::Value, name: &str| row[name].as_f64().unwrap();
    // A thread's stack alone touches at least a page (4 KiB) of memory.
    assert!(figure(threads, "bytes_each") >= 4096.0, "{stdout}");
    for (row, runtime) in rows[1..].iter().zip(Runtime::ALL) {
        assert_eq!(row["what"], runtime.name());
        assert_eq!(row["count"], 1000);
        let memory = figure(threads, "memory_bytes") / figure(row, "memory_bytes").max(1.0);
        assert!(
            memory >= 5.0,
            "{runtime}: tasks only {memory:.1}x less memory: {stdout}"
        );
    }
}

/// The chapter says a thread blocked in `recv` or on a lock is off the run queue and costs no
/// CPU while it waits, and that only a thread that polls burns CPU with nothing to do. Each
/// thread reads its own CPU clock (`CLOCK_THREAD_CPUTIME_ID`), which a busy machine can only
/// slow down: the blocked threads' figures cannot grow with load, and the poller's 50 ms is a
/// tenth of what it gets on an idle core.
#[test]
fn a_thread_blocked_in_recv_or_on_a_lock_costs_no_cpu_and_a_polling_one_does() {
    use loopbot::meter::thread_cpu_time;
    use std::sync::{Arc, Mutex, mpsc};
    use std::thread;

    const WAIT: Duration = Duration::from_millis(500);

    let (to_receiver, receiver_inbox) = mpsc::channel::<()>();
    let receiver = thread::spawn(move || {
        receiver_inbox.recv().unwrap();
        thread_cpu_time()
    });

    let lock = Arc::new(Mutex::new(()));
    let held = lock.lock().unwrap();
    let waiter = {
        let lock = lock.clone();
        thread::spawn(move || {
            drop(lock.lock().unwrap());
            thread_cpu_time()
        })
    };

    let (to_poller, poller_inbox) = mpsc::channel::<()>();
    let poller = thread::spawn(move || {
        while poller_inbox.try_recv().is_err() {}
        thread_cpu_time()
    });

    thread::sleep(WAIT);
    to_receiver.send(()).unwrap();
    drop(held);
    to_poller.send(()).unwrap();

    let blocked = receiver.join().unwrap() + waiter.join().unwrap();
    let polling = poller.join().unwrap();
    assert!(
        blocked < Duration::from_millis(10),
        "two blocked threads used {blocked:?} of CPU in {WAIT:?}"
    );
    assert!(
        polling >= Duration::from_millis(50),
        "the polling thread used only {polling:?} of CPU in {WAIT:?}"
    );
}
