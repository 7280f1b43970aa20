//! Every claim the chapter "Myths" makes, checked on tokio, async-std and smol.
//!
//! The myths are the example itself (`examples/myths/main.rs` and its modules, one per myth),
//! included here as a module, so the tests run exactly the code a reader runs with
//! `cargo run --example myths` and reads in the chapter.

use crate::common;
#[allow(dead_code)]
#[path = "../examples/myths/main.rs"]
mod example;

use std::time::Duration;

use common::claim;
use example::{
    Carry, Offload, carry_dishes, computations_and_waits, longest_tick_gap, parallel_crunch,
    racing_counters,
};
use loopbot::Runtime;

/// A story minute in the tests: long enough that every upper bound sits at least
/// `common::LEAST_SLACK` above its claim (the tightest: a quarter-minute tick vs a 2-minute gap).
const MINUTE: Duration = Duration::from_millis(60);
/// The same minute, for the example's command line.
const MINUTE_MS: &str = "60";

/// Runs this file's tests one at a time. Most of them keep a core busy (spinning, crunching, or
/// the whole example in a child process), and two of them running side by side would take the
/// cores from a third's ticker or timer: load made by the tests themselves, on top of whatever
/// else the machine is doing. Every bound stays as it is; only the overlap goes.
fn one_at_a_time() -> std::sync::MutexGuard<'static, ()> {
    static TURN: std::sync::Mutex<()> = std::sync::Mutex::new(());
    // A failed test poisons the lock; the next test still gets its turn.
    TURN.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Three one-minute computations joined on one thread: at least their sum.
fn computing() -> f64 {
    claim("myths.fast.computing", 3.0)
}

/// Three one-minute waits joined: the longest of them.
fn waiting() -> f64 {
    claim("myths.fast.waiting", 1.0)
}

/// The computation beside the ticker in myth 2, in story minutes.
fn computation() -> f64 {
    claim("myths.threads.computation", 2.0)
}

/// The count two racing futures would reach if no update were lost: 10 each.
fn full_count() -> u32 {
    claim("myths.races.total", 20.0) as u32
}

#[test]
fn myth_1_computations_joined_on_one_thread_take_the_sum_and_waits_overlap() {
    let _turn = one_at_a_time();
    for runtime in Runtime::ALL {
        let (computing_took, waiting_took) = computations_and_waits(runtime, MINUTE);
        // Three 1-minute computations cannot finish before 3 minutes on one thread.
        assert!(
            computing_took >= computing(),
            "{runtime}: computing took {computing_took}, expected at least {}",
            computing()
        );
        // Three 1-minute waits overlap: 1 minute, not the 3 they would take one by one.
        let what = format!("{runtime}: waiting");
        common::assert_claim(&what, waiting_took, waiting(), computing(), MINUTE);
    }
}

#[test]
fn myth_2_a_computation_on_the_executors_thread_stops_the_ticker_for_two_minutes() {
    let _turn = one_at_a_time();
    for runtime in Runtime::ALL {
        let gap = longest_tick_gap(runtime, MINUTE, Offload::Inline);
        // Frozen for the whole computation: at least its 2 minutes, and not much more.
        let what = format!("{runtime}: longest gap beside the work");
        common::assert_no_sooner(&what, gap, computation(), MINUTE);
    }
}

#[test]
fn myth_2_the_same_computation_unblocked_leaves_the_ticker_ticking() {
    let _turn = one_at_a_time();
    for runtime in Runtime::ALL {
        let gap = longest_tick_gap(runtime, MINUTE, Offload::Unblock);
        // The ticker ticks every quarter minute, not once in 2 minutes as beside the work.
        let what = format!("{runtime}: longest gap");
        common::assert_claim(&what, gap, 0.25, computation(), MINUTE);
    }
}

/// The chapter states the unblocked ticker's bound: halfway from a quarter minute to the
/// frozen ticker's 2, as `common::assert_claim` draws it.
#[test]
fn myth_2_the_bound_the_chapter_states_is_the_one_the_test_uses() {
    let under = claim("myths.threads.unblocked.under", 1.125);
    assert_eq!(under, (0.25 + computation()) / 2.0);
}

/// Speed on free cores is a figure the example prints, not a test: this machine may be busy.
/// What holds even then: the jobs all finish, and spreading them over threads does not make
/// them much slower than running them one after another.
#[test]
fn myth_3_a_multi_threaded_runtime_spreads_the_jobs_and_is_not_slower_than_one_thread() {
    let _turn = one_at_a_time();
    for runtime in Runtime::ALL {
        // Jobs long enough (tenths of a second each) that the second worker has long been
        // given a core, even on a busy machine, before the first could finish both.
        let run = parallel_crunch(runtime, 2, 10_000_000);
        // The tasks spread over the runtime's threads: two jobs, two threads.
        assert_eq!(run.threads_used, 2, "{runtime}: {run:?}");
        assert!(
            run.many_threads < 2 * run.one_thread + Duration::from_millis(50),
            "{runtime}: {run:?}"
        );
    }
}

/// Spins this thread (no `.await`) until `flag` is raised, or 10 seconds have passed.
fn spin_until(flag: &std::sync::atomic::AtomicBool) {
    let give_up = std::time::Instant::now() + Duration::from_secs(10);
    while !flag.load(std::sync::atomic::Ordering::SeqCst) && std::time::Instant::now() < give_up {
        std::hint::spin_loop();
    }
}

fn two_tokio_workers() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(claim("myths.gil.workers", 2.0) as usize)
        .build()
        .expect("tokio starts")
}

/// Myth 3's workers are not LoopBots with tasks of their own: a task woken while the worker it
/// started on is busy resumes on the other worker. The task starts on one worker and spawns a
/// spinner, which that worker runs next (tokio runs a task's latest spawn first on the same
/// worker); a plain thread then wakes the task, and only the other worker is free.
#[test]
fn myth_3_a_task_woken_while_its_worker_is_busy_resumes_on_another_worker() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    let _turn = one_at_a_time();
    let runtime = two_tokio_workers();
    let spinning = Arc::new(AtomicBool::new(false));
    let moved = Arc::new(AtomicBool::new(false));
    let (wake, woken) = tokio::sync::oneshot::channel::<()>();
    let task = {
        let (spinning, moved) = (spinning.clone(), moved.clone());
        runtime.spawn(async move {
            let first = std::thread::current().id();
            let stop = moved.clone();
            tokio::spawn(async move {
                spinning.store(true, Ordering::SeqCst);
                spin_until(&stop); // holds this worker
            });
            woken.await.unwrap();
            let then = std::thread::current().id();
            moved.store(first != then, Ordering::SeqCst);
            (first, then)
        })
    };
    spin_until(&spinning);
    assert!(spinning.load(Ordering::SeqCst), "the spinner never started");
    wake.send(()).unwrap(); // from this thread, which is no worker
    let (first, then) = runtime.block_on(task).unwrap();
    assert_ne!(first, then, "the task stayed on its busy worker");
}

/// Myth 3's warning: computation on the workers stalls the tasks queued there. With both
/// workers spinning, a task spawned meanwhile gets its first poll only after they let go.
#[test]
fn myth_3_while_every_tokio_worker_computes_a_new_task_waits_for_one_to_finish() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    use std::time::Instant;
    let _turn = one_at_a_time();
    let runtime = two_tokio_workers();
    let workers = claim("myths.gil.workers", 2.0) as usize;
    let started = Arc::new(AtomicUsize::new(0));
    let release = Arc::new(AtomicBool::new(false));
    let spinners: Vec<_> = (0..workers)
        .map(|_| {
            let (started, release) = (started.clone(), release.clone());
            runtime.spawn(async move {
                started.fetch_add(1, Ordering::SeqCst);
                spin_until(&release);
            })
        })
        .collect();
    let give_up = Instant::now() + Duration::from_secs(10);
    while started.load(Ordering::SeqCst) < workers && Instant::now() < give_up {
        std::thread::sleep(Duration::from_millis(1));
    }
    assert_eq!(started.load(Ordering::SeqCst), workers, "both workers spin");
    let waiting = runtime.spawn(async { Instant::now() });
    std::thread::sleep(Duration::from_millis(200));
    let released = Instant::now();
    release.store(true, Ordering::SeqCst);
    let first_poll = runtime.block_on(waiting).unwrap();
    for spinner in spinners {
        runtime.block_on(spinner).unwrap();
    }
    assert!(
        first_poll >= released,
        "the task ran {:?} before the workers were free",
        released - first_poll
    );
}

#[test]
fn myth_4_an_await_inside_read_modify_write_loses_updates_even_on_one_thread() {
    let _turn = one_at_a_time();
    for runtime in Runtime::ALL {
        let (raced, locked) = racing_counters(runtime);
        assert!(
            raced < full_count(),
            "{runtime}: the race lost nothing ({raced})"
        );
        assert_eq!(
            locked,
            full_count(),
            "{runtime}: the lock must lose nothing"
        );
    }
}

#[test]
fn myth_5_a_timeout_mid_carry_loses_the_dish_and_the_fix_keeps_it() {
    let _turn = one_at_a_time();
    for runtime in Runtime::ALL {
        let lost = carry_dishes(runtime, MINUTE, Carry::TakeThenWalk);
        assert!(lost.waiting.is_empty(), "{runtime}: {lost:?}");
        assert_eq!(
            lost.shelved,
            ["soup", "cake"],
            "{runtime}: the fish is gone"
        );

        let kept = carry_dishes(runtime, MINUTE, Carry::WalkThenTake);
        assert_eq!(kept.shelved, ["soup", "fish"], "{runtime}: {kept:?}");
        assert_eq!(kept.waiting, ["cake"], "{runtime}: nothing is lost");
    }
}

#[test]
fn json_output_has_one_object_per_runtime() {
    let _turn = one_at_a_time();
    let objects = common::json_lines(
        "myths",
        &["--runtime", "all", "--json", "--minute-ms", MINUTE_MS],
    );
    assert_eq!(objects.len(), 3, "{objects:?}");
    for (object, runtime) in objects.iter().zip(Runtime::ALL) {
        assert_eq!(object["runtime"], runtime.name());
        assert!(object["computing_minutes"].as_f64().unwrap() >= computing());
        assert!(object["inline_longest_tick_gap"].as_f64().unwrap() >= computation());
        assert_eq!(object["locked_count"], full_count());
        assert!(object["raced_count"].as_u64().unwrap() < u64::from(full_count()));
        assert_eq!(
            object["timeout_shelved"],
            serde_json::json!(["soup", "cake"])
        );
        // The speed-up is a figure, not a claim: it must be the ratio of the two times shown.
        let ratio =
            object["one_thread_ms"].as_f64().unwrap() / object["many_threads_ms"].as_f64().unwrap();
        assert!((object["speedup"].as_f64().unwrap() - ratio).abs() < 1e-9);
        assert_eq!(object["threads_used"], object["parallel_jobs"], "{object}");
    }
}

#[test]
fn readable_output_has_a_header_and_a_line_per_myth() {
    let _turn = one_at_a_time();
    let output = common::run_example("myths", &["--runtime", "smol", "--minute-ms", MINUTE_MS]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 6, "{stdout}");
    assert!(lines[0].starts_with("Myths on smol"), "{stdout}");
    for (line, number) in lines[1..].iter().zip(1..) {
        assert!(line.starts_with(&format!("{number}. ")), "{stdout}");
    }
}
