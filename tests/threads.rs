//! Every claim the chapter "The Truth about Threads" and its page "The LoopBot and its Cutlery"
//! make, checked: which ways of sharing the kitchen lose cutlery and which never do, on threads
//! and on tokio, async-std and smol, and what a thread costs next to a task. Each number the
//! pages give is bound to the test that proves it by `common::claim`.
//!
//! The robots are the example itself (`examples/threads_cutlery/`), included here as a module,
//! so the tests run exactly the code a reader runs with `cargo run --example threads_cutlery`.

use crate::common;
#[allow(dead_code)]
#[path = "../examples/threads_cutlery/main.rs"]
mod threads_cutlery;

use std::time::Duration;

use common::claim;
use loopbot::Runtime;
use threads_cutlery::{Cutlery, Mode, Service, describe_missing, serve};

/// The story's staff: ten robots.
fn bots() -> u32 {
    claim("threads.bots", 10.0) as u32
}

/// The story's long test: ten thousand tables per robot.
fn tables() -> u32 {
    claim("threads.tables", 10_000.0) as u32
}

/// How many services a race gets to show itself before the test gives up.
fn tries() -> usize {
    claim("threads.tries", 5.0) as usize
}

/// What the kitchen holds before service, and must hold after: this many knives, as many forks.
fn kitchen() -> Cutlery {
    let pieces = claim("threads.kitchen", 100.0) as i64;
    Cutlery {
        knives: pieces,
        forks: pieces,
    }
}

/// A walk of zero: the robot turns around (an `.await` that yields) without a timer, so ten
/// thousand tables take a fraction of a second on every runtime.
const TURN_AROUND: Duration = Duration::ZERO;

fn assert_all_home(service: &Service) {
    let kitchen = kitchen();
    assert_eq!(
        (service.before, service.after),
        (kitchen, kitchen),
        "{} on {:?}: {service:?}",
        service.mode,
        service.runtime
    );
    assert_eq!(service.missing, Cutlery::default());
}

/// Serves up to `tries()` times and returns the services, stopping at the first that loses
/// (or gains) a piece.
fn until_a_piece_goes_missing(
    mode: Mode,
    runtime: Runtime,
    tables: u32,
    walk: Duration,
) -> Vec<Service> {
    let mut services = Vec::new();
    for _ in 0..tries() {
        let service = serve(mode, runtime, bots(), tables, walk);
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
    let table = claim("threads.table", 4.0) as i64;
    let pieces = |knives, forks| Cutlery { knives, forks };
    assert_eq!(Cutlery::KITCHEN, kitchen());
    assert_eq!(Cutlery::TABLE, pieces(table, table));
    assert_eq!(Cutlery::TAKE, pieces(-table, -table));
}

/// The page's interleaving, step by step on the example's own types: robots A and B both read
/// the count before either writes, so both write the same count back, and one take is lost.
#[test]
fn two_robots_that_read_before_either_writes_lose_one_take() {
    let start = Cutlery::KITCHEN;
    let (read_by_a, read_by_b) = (start, start);
    let written_by_b = read_by_b + Cutlery::TAKE;
    let written_by_a = read_by_a + Cutlery::TAKE;
    let written = claim("threads.race.written", 96.0) as i64;
    assert_eq!(
        (written_by_b.knives, written_by_a.knives),
        (written, written)
    );
    let taken = claim("threads.race.taken", 8.0) as i64;
    assert_eq!(2 * Cutlery::TABLE.knives, taken);
    let counted = start.knives - written_by_a.knives;
    assert_eq!(counted, claim("threads.table", 4.0) as i64);
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

/// A service of the story's size: the robots and tables the pages name.
fn full_service(mode: Mode, runtime: Runtime) -> Service {
    let (bots, tables) = (bots(), tables());
    let service = serve(mode, runtime, bots, tables, TURN_AROUND);
    assert_eq!((service.bots, service.tables), (bots, tables));
    service
}

#[test]
fn a_mutex_an_atomic_or_a_channel_never_loses_a_piece() {
    for mode in [Mode::Mutex, Mode::Atomic, Mode::Channel] {
        let service = full_service(mode, Runtime::Tokio);
        assert_eq!(service.runtime, None, "{mode:?} runs on threads");
        assert_all_home(&service);
    }
}

#[test]
fn racy_threads_lose_pieces_and_a_different_number_each_time() {
    let tries = tries();
    let outcomes: Vec<Cutlery> = (0..tries)
        .map(|_| full_service(Mode::Racy, Runtime::Tokio).after)
        .collect();
    assert_eq!(outcomes.len(), tries);
    assert!(
        outcomes.iter().any(|after| *after != kitchen()),
        "{tries} racy services of {} robots x {} tables lost nothing: {outcomes:?}",
        bots(),
        tables()
    );
    let first = outcomes[0];
    assert!(
        outcomes.iter().any(|after| *after != first),
        "{tries} racy services all ended the same: {outcomes:?}"
    );
}

#[test]
fn loopbot_tasks_without_an_await_in_the_transfer_lose_nothing_on_every_runtime() {
    for runtime in Runtime::ALL {
        let service = full_service(Mode::Loopbot, runtime);
        assert_eq!(service.runtime, Some(runtime.name()));
        assert_all_home(&service);
    }
}

/// Asserts that one of `services`, the last, lost (or gained) a piece.
fn assert_a_piece_went_missing(runtime: Runtime, services: &[Service]) {
    assert!(
        services.len() <= tries() && !services.last().unwrap().all_home(),
        "{runtime}: {} services lost nothing: {services:?}",
        services.len()
    );
}

#[test]
fn an_await_between_read_and_write_loses_pieces_even_on_one_thread() {
    // 1,000 tables each: the race shows within the first few, and a failure stays quick.
    let tables = claim("threads.await-tables", 1_000.0) as u32;
    for runtime in Runtime::ALL {
        let services = until_a_piece_goes_missing(Mode::LoopbotAwait, runtime, tables, TURN_AROUND);
        assert_eq!(services[0].tables, tables);
        assert_a_piece_went_missing(runtime, &services);
    }
}

#[test]
fn an_await_between_read_and_write_loses_pieces_with_timed_walks_too() {
    // Real walks (timers of 0.5 to 1.5 ms) instead of turning around: the same race.
    let tables = claim("threads.timed-walk-tables", 50.0) as u32;
    for runtime in Runtime::ALL {
        let walk = Duration::from_millis(1);
        let services = until_a_piece_goes_missing(Mode::LoopbotAwait, runtime, tables, walk);
        assert_eq!(services[0].tables, tables);
        assert_a_piece_went_missing(runtime, &services);
    }
}

#[test]
fn an_async_mutex_held_across_the_walk_loses_nothing_on_every_runtime() {
    for runtime in Runtime::ALL {
        let service = full_service(Mode::LoopbotLock, runtime);
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
/// chapter's recorded run is 10,000 in a release build). Each row comes from a fresh process.
/// Only memory is asserted: times depend on what else the machine is doing (a round trip
/// between two threads ranged from 4 to 80 microseconds in debug builds on the same machine).
/// The margin is wide: the recorded run found about 21 to 38 times less memory.
#[test]
fn waiting_tasks_cost_at_least_5x_less_memory_than_waiting_threads() {
    let count = claim("threads.cost.checked-count", 1_000.0) as u32;
    let count_text = count.to_string();
    let output = common::run_example(
        "threads_cost",
        &[
            "--count",
            &count_text,
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
    assert_eq!(threads["count"], count);
    let figure = |row: &serde_json::Value, name: &str| row[name].as_f64().unwrap();
    // A thread's stack alone touches at least a page (4 KiB) of memory.
    assert!(figure(threads, "bytes_each") >= 4096.0, "{stdout}");
    let at_least = claim("threads.cost.less-memory", 5.0);
    for (row, runtime) in rows[1..].iter().zip(Runtime::ALL) {
        assert_eq!(row["what"], runtime.name());
        assert_eq!(row["count"], count);
        let memory = figure(threads, "memory_bytes") / figure(row, "memory_bytes").max(1.0);
        assert!(
            memory >= at_least,
            "{runtime}: tasks only {memory:.1}x less memory, not {at_least}x: {stdout}"
        );
    }
}

/// A line's shape: every number replaced by `#` (a ratio, `21x`, by `#x`), the words and units
/// kept, so a recorded run and a fresh one compare whatever they measured.
fn shape(line: &str) -> Vec<&str> {
    line.split_whitespace()
        .map(|token| {
            let number = token.trim_end_matches(',');
            let times = number.strip_suffix('x');
            if number.parse::<f64>().is_ok() {
                "#"
            } else if times.is_some_and(|number| number.parse::<f64>().is_ok()) {
                "#x"
            } else {
                token
            }
        })
        .collect()
}

/// The lines of the block on `page` that follows the line `command`, up to the block's end.
fn block_after(page: &str, command: &str) -> Vec<String> {
    let path = format!("{}/src/{page}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the page exists");
    let start = text
        .find(command)
        .unwrap_or_else(|| panic!("{page} shows no run of `{command}`"))
        + command.len();
    let end = start + text[start..].find("```").expect("the block ends");
    text[start..end]
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_string)
        .collect()
}

/// The recorded run on the page is one the example printed: its first line gives the size the
/// example runs at by default, its column heads are word for word the example's, and every
/// other line has the shape of what the example prints now, naming the same rows in the same
/// order. A small run stands in for the release one; only the numbers differ.
#[test]
fn the_recorded_cost_run_has_the_shape_the_example_prints() {
    let shown = block_after(
        "threads.md",
        "$ cargo run --release --example threads_cost -- --runtime all\n",
    );
    // The page's prose and the block's first line give the size of a run without --count.
    let count = claim("threads.cost.count", 10_000.0) as u32;
    let help = common::run_example("threads_cost", &["--help"]);
    let help = String::from_utf8(help.stdout).unwrap();
    let default = |flag: &str| {
        help.split(flag)
            .nth(1)
            .and_then(|rest| rest.split("[default: ").nth(1))
            .and_then(|rest| rest.split(']').next())
            .unwrap_or_else(|| panic!("no default for {flag} in: {help}"))
            .to_string()
    };
    assert_eq!(default("--count"), count.to_string());
    let round_trips = default("--round-trips");
    assert_eq!(
        shown[0],
        format!(
            "{count} waiting threads vs {count} waiting tasks on one thread; {round_trips} round trips"
        )
    );

    let output = common::run_example(
        "threads_cost",
        &["--count", "10", "--round-trips", "10", "--runtime", "all"],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let printed: Vec<&str> = stdout.lines().collect();
    assert_eq!(printed.len(), shown.len(), "{stdout}");
    assert_eq!(shape(printed[0]), shape(&shown[0]));
    assert_eq!(
        printed[1].trim_end(),
        shown[1].trim_end(),
        "the column heads"
    );
    for (printed, shown) in printed[2..].iter().zip(&shown[2..]) {
        assert_eq!(shape(printed), shape(shown), "{stdout}");
    }
    let labels: Vec<&str> = printed[2..6]
        .iter()
        .map(|line| line.split_whitespace().next().unwrap())
        .collect();
    assert_eq!(labels, ["threads", "tokio", "async-std", "smol"]);
}

/// The racy run the page shows is one the example printed: the same first two lines, an
/// inventory after service, and what went missing worked out from it as the example does.
#[test]
fn the_racy_run_on_the_page_is_what_the_example_prints() {
    let command = "$ cargo run --example threads_cutlery -- --mode racy --tables 10000\n";
    let shown = block_after("threads.md", command);
    let output = common::run_example(
        "threads_cutlery",
        &["--mode", "racy", "--tables", &tables().to_string()],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let printed: Vec<&str> = stdout.lines().collect();
    assert_eq!(printed[..2], shown[..2], "{stdout}");
    assert_eq!(shown.len(), 4, "{shown:?}");
    let after = shown[2]
        .strip_prefix("Kitchen inventory after service:  ")
        .and_then(|rest| rest.strip_suffix(" forks"))
        .and_then(|rest| rest.split_once(" knives, "))
        .expect("the page shows the inventory after service");
    let after = Cutlery {
        knives: after.0.parse().unwrap(),
        forks: after.1.parse().unwrap(),
    };
    assert_ne!(after, kitchen(), "the page's racy run lost nothing");
    let missing = Cutlery {
        knives: kitchen().knives - after.knives,
        forks: kitchen().forks - after.forks,
    };
    assert_eq!(
        shown[3],
        format!("Not every piece came home: {}.", describe_missing(missing))
    );
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
    let blocked_under = Duration::from_millis(claim("threads.blocked-cpu-ms", 10.0) as u64);
    let polling_at_least = Duration::from_millis(claim("threads.polling-cpu-ms", 50.0) as u64);
    assert!(
        blocked < blocked_under,
        "two blocked threads used {blocked:?} of CPU in {WAIT:?}, not under {blocked_under:?}"
    );
    assert!(
        polling >= polling_at_least,
        "the polling thread used only {polling:?} of CPU in {WAIT:?}, not {polling_at_least:?}"
    );
}
