//! Every behaviour the chapter "A Bestiary" claims, checked on the runtimes it names.
//!
//! The mini executor is the example itself (`examples/bestiary_mini_executor.rs`), included here as a
//! module, so lunch on the home-made LoopBot is compared with the Lunch chapter's listings on
//! tokio, async-std and smol (run by `cargo run --example lunch`) by the very code a reader runs.

mod common;
#[allow(dead_code)]
#[path = "../examples/bestiary_mini_executor.rs"]
mod mini_executor;

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use loopbot::Runtime;

/// A story minute in the tests: long enough that timer jitter is small beside it.
const MINUTE: Duration = Duration::from_millis(30);
/// How long a test waits for a task that should finish: it costs nothing when the task does,
/// and gives a busy machine all the time it needs.
const PATIENCE: Duration = Duration::from_secs(5);

use common::LUNCH_ORDER as CONCURRENT_ORDER;

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(actor, event)| (actor.to_string(), event.to_string()))
        .collect()
}

/// The order of a lunch's events without its closing total, and the total in story minutes.
fn order_and_total(timeline: &loopbot::Timeline) -> (Vec<(String, String)>, f64) {
    let mut order = timeline.order();
    let (actor, event) = order.pop().expect("a lunch has events");
    assert_eq!((actor.as_str(), event.as_str()), ("lunch", "total"));
    (order, timeline.events().last().unwrap().t)
}

use common::{assert_claim, assert_no_sooner};

/// A flag a task raises, shared with the test that watches it.
fn flag() -> Arc<AtomicBool> {
    Arc::new(AtomicBool::new(false))
}

fn raise(flag: &AtomicBool) {
    flag.store(true, Ordering::SeqCst);
}

fn is_raised(flag: &AtomicBool) -> bool {
    flag.load(Ordering::SeqCst)
}

/// Waits on `runtime`'s timer until `flag` is raised, for at most `limit`: a task that should
/// finish gets all that time, so a slow machine cannot fail the test, only a wrong claim can.
async fn wait_for(runtime: Runtime, flag: &AtomicBool, limit: Duration) {
    let started = Instant::now();
    while !is_raised(flag) && started.elapsed() < limit {
        runtime.sleep(MINUTE / 4).await;
    }
}

/// The same, holding the thread: for tasks that run after `block_on` has returned.
fn wait_for_blocking(flag: &AtomicBool, limit: Duration) {
    let started = Instant::now();
    while !is_raised(flag) && started.elapsed() < limit {
        std::thread::sleep(MINUTE / 4);
    }
}

/// Raises its flag when it is dropped: tells a task that was dropped from one that finished.
struct DropAlarm(Arc<AtomicBool>);

impl Drop for DropAlarm {
    fn drop(&mut self) {
        raise(&self.0);
    }
}

// The event loop you build yourself.

#[test]
fn lunch_on_the_mini_executor_has_the_order_and_total_of_the_three_runtimes() {
    let (order, total) = order_and_total(&mini_executor::cook_lunch(MINUTE));
    assert_eq!(order, owned(&CONCURRENT_ORDER), "mini executor");
    assert_claim("lunch on the mini executor", total, 10.0, 15.0, MINUTE);
    // The Lunch chapter's listings, on the three runtimes, at their own 100 ms a minute.
    let events = common::json_lines("lunch", &["--runtime", "all", "--json"]);
    assert_eq!(events.len(), 3 * 7, "{events:?}");
    for (runtime, events) in Runtime::ALL.iter().zip(events.chunks(7)) {
        let real_order: Vec<(String, String)> = events[..6]
            .iter()
            .map(|e| {
                (
                    e["actor"].as_str().unwrap().into(),
                    e["event"].as_str().unwrap().into(),
                )
            })
            .collect();
        assert_eq!(real_order, order, "{runtime} and the mini executor");
        assert_eq!(events[6]["runtime"], runtime.name());
        let real_total = events[6]["t"].as_f64().unwrap();
        let what = format!("lunch on {runtime}");
        assert_claim(&what, real_total, 10.0, 15.0, Duration::from_millis(100));
    }
}

/// When the loop is late (its thread held past several deadlines), the sleepers that are due
/// wake earliest deadline first, not in the order they were set. The thread is held on
/// purpose, so the test decides the order by the deadlines alone: load cannot change it.
#[test]
fn due_sleepers_wake_in_deadline_order_even_when_the_loop_is_late() {
    use std::cell::RefCell;
    use std::rc::Rc;
    // The 10-minute timer is set first, the 3-minute one second; the thread is then held for
    // 12 minutes, past both, before the loop looks at its timers again.
    let served = Arc::new(std::sync::Mutex::new(Vec::new()));
    mini_executor::block_on({
        let served = served.clone();
        async move {
            let dish = |name: &'static str, minutes: u32| {
                let served = served.clone();
                mini_executor::spawn(async move {
                    mini_executor::sleep(minutes * MINUTE).await;
                    served.lock().unwrap().push(name);
                })
            };
            let (pasta, meatloaf) = (dish("pasta", 10), dish("meatloaf", 3));
            // One short sleep lets both tasks run and set their timers.
            mini_executor::sleep(Duration::from_millis(1)).await;
            std::thread::sleep(12 * MINUTE);
            pasta.await;
            meatloaf.await;
        }
    });
    assert_eq!(
        *served.lock().unwrap(),
        ["meatloaf", "pasta"],
        "mini executor"
    );

    for runtime in Runtime::ALL {
        let served = Rc::new(RefCell::new(Vec::new()));
        runtime.block_on({
            let served = served.clone();
            async move {
                let dish = |name: &'static str, minutes: u32| {
                    let served = served.clone();
                    runtime.spawn_local(async move {
                        runtime.sleep(minutes * MINUTE).await;
                        served.borrow_mut().push(name);
                    })
                };
                let (pasta, meatloaf) = (dish("pasta", 10), dish("meatloaf", 3));
                runtime.sleep(Duration::from_millis(1)).await;
                std::thread::sleep(12 * MINUTE);
                pasta.await;
                meatloaf.await;
            }
        });
        assert_eq!(*served.borrow(), ["meatloaf", "pasta"], "{runtime}");
    }
}

#[test]
fn the_mini_executor_sleeps_until_a_waker_on_another_thread_rings() {
    // The cleaner, another thread, finishes after 2 minutes; no timer is set meanwhile, so
    // only the waker it calls can get the loop going again.
    let started = Instant::now();
    let shirt = mini_executor::block_on(async {
        let (sender, receipt) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            std::thread::sleep(2 * MINUTE);
            sender.send("a clean shirt").unwrap();
        });
        receipt.await.unwrap()
    });
    assert_eq!(shirt, "a clean shirt");
    let minutes = started.elapsed().as_secs_f64() / MINUTE.as_secs_f64();
    assert_no_sooner("the shirt", minutes, 2.0, MINUTE);
}

#[test]
fn the_mini_executor_drops_tasks_still_running_when_block_on_returns() {
    let (finished, dropped) = (flag(), flag());
    let (finished_inside, alarm) = (finished.clone(), DropAlarm(dropped.clone()));
    mini_executor::block_on(async move {
        let _receipt = mini_executor::spawn(async move {
            let _alarm = alarm;
            mini_executor::sleep(10 * MINUTE).await;
            raise(&finished_inside);
        });
        mini_executor::sleep(MINUTE).await;
    });
    assert!(is_raised(&dropped) && !is_raised(&finished));
}

/// Wakes a waker when it is dropped: a task whose future holds one wakes another task at the
/// moment it is dropped.
struct WakeOnDrop(Arc<std::sync::Mutex<Option<std::task::Waker>>>);

impl Drop for WakeOnDrop {
    fn drop(&mut self) {
        if let Some(waker) = self.0.lock().unwrap().take() {
            waker.wake();
        }
    }
}

/// A future that leaves its waker in a slot and waits for ever.
fn wait_in(
    slot: Arc<std::sync::Mutex<Option<std::task::Waker>>>,
) -> impl std::future::Future<Output = ()> {
    std::future::poll_fn(move |cx| {
        *slot.lock().unwrap() = Some(cx.waker().clone());
        std::task::Poll::Pending
    })
}

/// Two unfinished tasks when `block_on` returns: the first, when dropped, wakes the second, and
/// the second waits on a receipt for the first (each holds the other's waker). The loop must
/// neither deadlock (a wake while it holds its own lock) nor keep them alive in a cycle.
#[test]
fn the_mini_executor_drops_unfinished_tasks_that_wake_or_await_each_other() {
    let (first_dropped, second_dropped) = (flag(), flag());
    let (first_alarm, second_alarm) = (
        DropAlarm(first_dropped.clone()),
        DropAlarm(second_dropped.clone()),
    );
    let (done, finished) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        mini_executor::block_on(async move {
            let slot = Arc::new(std::sync::Mutex::new(None));
            let waker_holder = WakeOnDrop(slot.clone());
            let first = mini_executor::spawn(async move {
                let _alarm = first_alarm;
                let _wakes_the_second = waker_holder;
                mini_executor::sleep(100 * MINUTE).await;
            });
            mini_executor::spawn(async move {
                let _alarm = second_alarm;
                futures::join!(wait_in(slot), first);
            });
            mini_executor::sleep(MINUTE).await;
        });
        done.send(()).unwrap();
    });
    finished
        .recv_timeout(PATIENCE)
        .expect("block_on returned: no deadlock while dropping the tasks left");
    assert!(is_raised(&first_dropped) && is_raised(&second_dropped));
}

/// The chapter promises an executor under 200 lines of code, from the standard library alone.
#[test]
fn the_mini_executor_is_under_200_lines_of_std_only_code() {
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/bestiary_mini_executor.rs"
    ))
    .unwrap();
    let start = source.find("// ANCHOR: shared").unwrap();
    let end = source.find("// ANCHOR_END: block_on").unwrap();
    let code: Vec<&str> = source[start..end]
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with("//"))
        .collect();
    assert!(code.len() < 200, "{} lines of code", code.len());
    // Standard library alone: the executor compiles on its own with rustc and no crates at all.
    let dir = std::env::temp_dir().join(format!("loopbot-mini-executor-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("executor.rs");
    std::fs::write(
        &file,
        format!("#![allow(dead_code)]\n{}", &source[start..end]),
    )
    .unwrap();
    let output = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .args([
            "--edition",
            "2024",
            "--crate-type",
            "lib",
            "--emit",
            "metadata",
            "--out-dir",
        ])
        .arg(&dir)
        .arg(&file)
        .output()
        .expect("rustc runs");
    std::fs::remove_dir_all(&dir).unwrap();
    assert!(
        output.status.success(),
        "the executor needs more than std:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn the_mini_executor_example_prints_the_lunch_as_json() {
    let objects = common::json_lines("bestiary_mini_executor", &["--json", "--minute-ms", "20"]);
    assert_eq!(objects.len(), 7, "{objects:?}");
    for (object, (actor, event)) in objects.iter().zip(CONCURRENT_ORDER) {
        assert_eq!(object["actor"], actor);
        assert_eq!(object["event"], event);
        assert_eq!(object["runtime"], mini_executor::NAME);
    }
    assert_eq!(objects[6]["event"], "total");
    let total = objects[6]["t"].as_f64().unwrap();
    assert_claim(
        "the JSON total",
        total,
        10.0,
        15.0,
        Duration::from_millis(20),
    );
}

#[test]
fn the_mini_executor_example_prints_a_readable_timeline() {
    let output = common::run_example("bestiary_mini_executor", &["--minute-ms", "20"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    assert!(lines[0].starts_with("Lunch on mini-executor: all at once"));
    let total = common::printed_lunch_total(&stdout);
    assert_claim(
        "the printed total",
        total,
        10.0,
        15.0,
        Duration::from_millis(20),
    );
}

// Tasks on tokio.

fn tokio_runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .unwrap()
}

#[test]
fn tokio_dropping_the_join_handle_detaches_the_task() {
    let finished = flag();
    let (inside, finished_seen) = (finished.clone(), finished.clone());
    tokio_runtime().block_on(async move {
        let handle = tokio::spawn(async move {
            tokio::time::sleep(2 * MINUTE).await;
            raise(&inside);
        });
        drop(handle);
        wait_for(Runtime::Tokio, &finished_seen, PATIENCE).await;
    });
    assert!(is_raised(&finished), "the dropped task ran to the end");
}

#[test]
fn tokio_abort_then_await_gives_a_cancelled_join_error() {
    let finished = flag();
    let inside = finished.clone();
    tokio_runtime().block_on(async move {
        let handle = tokio::spawn(async move {
            tokio::time::sleep(10 * MINUTE).await;
            raise(&inside);
            "a clean shirt"
        });
        tokio::time::sleep(MINUTE).await;
        assert!(!handle.is_finished());
        handle.abort();
        let error = handle.await.unwrap_err();
        assert!(error.is_cancelled());
        tokio::time::sleep(10 * MINUTE).await;
    });
    assert!(!is_raised(&finished), "the aborted task never finished");
}

#[test]
fn tokio_is_finished_then_await_collects_the_result() {
    tokio_runtime().block_on(async {
        let handle = tokio::spawn(async { "a clean shirt" });
        tokio::time::sleep(MINUTE).await;
        assert!(handle.is_finished());
        assert_eq!(handle.await.unwrap(), "a clean shirt");
    });
}

#[test]
fn tokio_drops_tasks_still_running_when_the_runtime_is_dropped() {
    let (finished, dropped) = (flag(), flag());
    let (inside, alarm) = (finished.clone(), DropAlarm(dropped.clone()));
    let runtime = tokio_runtime();
    runtime.block_on(async move {
        tokio::spawn(async move {
            let _alarm = alarm;
            tokio::time::sleep(2 * MINUTE).await;
            raise(&inside);
        });
        tokio::time::sleep(MINUTE).await;
    });
    // block_on has returned; the task waits, unpolled, inside the runtime.
    assert!(!is_raised(&dropped));
    drop(runtime);
    assert!(is_raised(&dropped), "dropping the runtime dropped the task");
    std::thread::sleep(2 * MINUTE);
    assert!(!is_raised(&finished), "the task never finished");
}

// Tasks on async-std.

#[test]
fn async_std_dropping_the_join_handle_detaches_the_task() {
    let finished = flag();
    let (inside, finished_seen) = (finished.clone(), finished.clone());
    async_std::task::block_on(async move {
        let handle = async_std::task::spawn(async move {
            async_std::task::sleep(2 * MINUTE).await;
            raise(&inside);
        });
        drop(handle);
        wait_for(Runtime::AsyncStd, &finished_seen, PATIENCE).await;
    });
    assert!(is_raised(&finished), "the dropped task ran to the end");
}

#[test]
fn async_std_cancel_returns_none_for_a_running_task_and_some_for_a_finished_one() {
    let finished = flag();
    let inside = finished.clone();
    async_std::task::block_on(async move {
        let running = async_std::task::spawn(async move {
            async_std::task::sleep(10 * MINUTE).await;
            raise(&inside);
            "a clean shirt"
        });
        let ran = flag();
        let ran_seen = ran.clone();
        let done = async_std::task::spawn(async move {
            raise(&ran);
            "a clean shirt"
        });
        // Until `done` has run, cancelling it would give None too: wait for it, then a minute.
        wait_for(Runtime::AsyncStd, &ran_seen, PATIENCE).await;
        async_std::task::sleep(MINUTE).await;
        assert_eq!(running.cancel().await, None);
        assert_eq!(done.cancel().await, Some("a clean shirt"));
        async_std::task::sleep(10 * MINUTE).await;
    });
    assert!(!is_raised(&finished), "the cancelled task never finished");
}

#[test]
fn async_std_detached_tasks_outlive_block_on() {
    let finished = flag();
    let inside = finished.clone();
    async_std::task::block_on(async move {
        async_std::task::spawn(async move {
            async_std::task::sleep(5 * MINUTE).await;
            raise(&inside);
        });
    });
    assert!(!is_raised(&finished));
    wait_for_blocking(&finished, PATIENCE);
    assert!(
        is_raised(&finished),
        "the task finished after block_on returned"
    );
}

// Tasks on smol.

#[test]
fn smol_dropping_the_task_cancels_it_and_detach_keeps_it_running() {
    let (dropped_task, detached_task) = (flag(), flag());
    let (dropped_inside, detached_inside) = (dropped_task.clone(), detached_task.clone());
    let detached_seen = detached_task.clone();
    smol::block_on(async move {
        let dropped = smol::spawn(async move {
            smol::Timer::after(2 * MINUTE).await;
            raise(&dropped_inside);
        });
        drop(dropped);
        smol::spawn(async move {
            smol::Timer::after(2 * MINUTE).await;
            raise(&detached_inside);
        })
        .detach();
        wait_for(Runtime::Smol, &detached_seen, PATIENCE).await;
        // The dropped task, had it run on, would have finished with the detached one.
        smol::Timer::after(MINUTE).await;
    });
    assert!(!is_raised(&dropped_task), "dropping the Task cancelled it");
    assert!(
        is_raised(&detached_task),
        "the detached task ran to the end"
    );
}

#[test]
fn smol_cancel_returns_none_for_a_running_task_and_some_for_a_finished_one() {
    let finished = flag();
    let inside = finished.clone();
    smol::block_on(async move {
        let running = smol::spawn(async move {
            smol::Timer::after(10 * MINUTE).await;
            raise(&inside);
            "a clean shirt"
        });
        let ran = flag();
        let ran_seen = ran.clone();
        let done = smol::spawn(async move {
            raise(&ran);
            "a clean shirt"
        });
        wait_for(Runtime::Smol, &ran_seen, PATIENCE).await;
        smol::Timer::after(MINUTE).await;
        assert!(!running.is_finished() && done.is_finished());
        assert_eq!(running.cancel().await, None);
        assert_eq!(done.cancel().await, Some("a clean shirt"));
        smol::Timer::after(10 * MINUTE).await;
    });
    assert!(!is_raised(&finished), "the cancelled task never finished");
}

#[test]
fn smol_detached_tasks_on_the_global_executor_outlive_block_on() {
    let finished = flag();
    let inside = finished.clone();
    smol::block_on(async move {
        smol::spawn(async move {
            smol::Timer::after(5 * MINUTE).await;
            raise(&inside);
        })
        .detach();
    });
    assert!(!is_raised(&finished));
    wait_for_blocking(&finished, PATIENCE);
    assert!(
        is_raised(&finished),
        "the task finished after block_on returned"
    );
}
