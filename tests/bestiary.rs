//! Every behaviour the chapter "A Bestiary" claims, on its three pages (`bestiary.md`,
//! `bestiary-wakers.md`, `bestiary-loop.md`), checked on the runtimes it names. Each number the
//! pages bind to a claim (`<!-- claim: bestiary.… -->`) is asked for here with `claim`, and the
//! value it returns is the one the assertion uses.
//!
//! The mini executor is the example itself (`examples/bestiary_mini_executor.rs`), included here as a
//! module, so lunch on the home-made LoopBot is compared with the Lunch chapter's listings on
//! tokio, async-std and smol (run by `cargo run --example lunch`) by the very code a reader runs.

use crate::common;
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

use common::{assert_claim, assert_no_sooner, claim};

/// The lunch the mini executor cooks, in story minutes, as the chapter gives its dishes.
fn pasta() -> f64 {
    claim("bestiary.lunch.pasta", 10.0)
}

fn meatloaf() -> f64 {
    claim("bestiary.lunch.meatloaf", 3.0)
}

fn avocado() -> f64 {
    claim("bestiary.lunch.avocado", 2.0)
}

/// The lunch, all at once: as long as its longest dish, whatever the executor.
fn lunch_total() -> f64 {
    claim("bestiary.lunch.total", 10.0)
}

/// The nearest wrong total: the dishes one after another.
fn one_after_another() -> f64 {
    pasta() + meatloaf() + avocado()
}

/// A story minute for the lunch on the mini executor. The meatloaf is hot at minute 3, and the
/// nearest wrong answer is 5 (had it waited for the avocado): halfway between is a minute
/// above the claim, which must be at least `common::LEAST_SLACK` of real time.
const LUNCH_MINUTE: Duration = Duration::from_millis(60);

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
    // The dishes the page names are the ones the example cooks.
    for (dish, cooked, named) in [
        ("pasta", mini_executor::PASTA_MINUTES, pasta()),
        ("meatloaf", mini_executor::MEATLOAF_MINUTES, meatloaf()),
        ("avocado", mini_executor::AVOCADO_MINUTES, avocado()),
    ] {
        assert_eq!(
            cooked, named,
            "the example cooks the {dish} for {cooked} minutes"
        );
    }
    let timeline = mini_executor::cook_lunch(LUNCH_MINUTE);
    let (order, total) = order_and_total(&timeline);
    assert_eq!(order, owned(&CONCURRENT_ORDER), "mini executor");
    let done_at = |dish: &str| {
        timeline
            .events()
            .iter()
            .find(|e| e.actor == dish && e.event == "done")
            .map(|e| e.t)
            .unwrap_or_else(|| panic!("the {dish} is never done"))
    };
    // Peeled by hand from minute 0, the avocado holds the thread for its minutes; the meatloaf's
    // timer runs meanwhile, so it is hot at its own minute, not after the peeling as well.
    assert_no_sooner("the avocado", done_at("avocado"), avocado(), LUNCH_MINUTE);
    let (hot, after_peeling) = (meatloaf(), meatloaf() + avocado());
    assert_claim(
        "the meatloaf",
        done_at("meatloaf"),
        hot,
        after_peeling,
        LUNCH_MINUTE,
    );
    assert_claim(
        "the pasta",
        done_at("pasta"),
        pasta(),
        one_after_another(),
        LUNCH_MINUTE,
    );
    let (claimed, wrong) = (lunch_total(), one_after_another());
    let longest = pasta().max(meatloaf()).max(avocado());
    assert_eq!(
        claimed, longest,
        "all at once, lunch takes as long as its longest dish"
    );
    assert_claim(
        "lunch on the mini executor",
        total,
        claimed,
        wrong,
        LUNCH_MINUTE,
    );
    // The upper bound the page states is the one assert_claim uses: halfway to the wrong total.
    let under = claim("bestiary.lunch.total.under", 12.5);
    assert_eq!(
        under,
        (claimed + wrong) / 2.0,
        "the bound is halfway between {claimed} and {wrong}"
    );
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
        assert_claim(
            &what,
            real_total,
            claimed,
            wrong,
            Duration::from_millis(100),
        );
    }
}

/// When the loop is late (its thread held past several deadlines), the sleepers that are due
/// wake earliest deadline first, not in the order they were set. The thread is held on
/// purpose, so the test decides the order by the deadlines alone: load cannot change it.
#[test]
fn due_sleepers_wake_in_deadline_order_even_when_the_loop_is_late() {
    use std::cell::RefCell;
    use std::rc::Rc;
    // The pasta's timer is set first, the meatloaf's shorter one second; the thread is then
    // held 2 minutes past both, before the loop looks at its timers again.
    let (pasta, meatloaf) = (pasta(), meatloaf());
    let held = MINUTE.mul_f64(pasta + 2.0);
    let served = Arc::new(std::sync::Mutex::new(Vec::new()));
    mini_executor::block_on({
        let served = served.clone();
        async move {
            let dish = |name: &'static str, minutes: f64| {
                let served = served.clone();
                mini_executor::spawn(async move {
                    mini_executor::sleep(MINUTE.mul_f64(minutes)).await;
                    served.lock().unwrap().push(name);
                })
            };
            let (pasta, meatloaf) = (dish("pasta", pasta), dish("meatloaf", meatloaf));
            // One short sleep lets both tasks run and set their timers.
            mini_executor::sleep(Duration::from_millis(1)).await;
            std::thread::sleep(held);
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
                let dish = |name: &'static str, minutes: f64| {
                    let served = served.clone();
                    runtime.spawn_local(async move {
                        runtime.sleep(MINUTE.mul_f64(minutes)).await;
                        served.borrow_mut().push(name);
                    })
                };
                let (pasta, meatloaf) = (dish("pasta", pasta), dish("meatloaf", meatloaf));
                runtime.sleep(Duration::from_millis(1)).await;
                std::thread::sleep(held);
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
    let cleaning = claim("bestiary.mini-executor.cleaner-rings-after", 2.0);
    let started = Instant::now();
    let cpu_started = loopbot::meter::thread_cpu_time();
    let shirt = mini_executor::block_on(async {
        let (sender, receipt) = futures::channel::oneshot::channel();
        std::thread::spawn(move || {
            std::thread::sleep(MINUTE.mul_f64(cleaning));
            sender.send("a clean shirt").unwrap();
        });
        receipt.await.unwrap()
    });
    let (wall, cpu) = (
        started.elapsed(),
        loopbot::meter::thread_cpu_time() - cpu_started,
    );
    assert_eq!(shirt, "a clean shirt");
    let minutes = wall.as_secs_f64() / MINUTE.as_secs_f64();
    assert_no_sooner("the shirt", minutes, cleaning, MINUTE);
    // It slept on its bell. A loop that spun while it waited would use its thread's time; one
    // that sleeps uses almost none, and a busy machine cannot add to it.
    assert!(
        cpu < wall / 2,
        "the loop used {cpu:?} of its thread in {wall:?}: it spun instead of sleeping"
    );
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

/// The chapter promises an executor under 200 lines of code, from the standard library alone:
/// a test counts the lines and checks every `use`.
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
    let under = claim("bestiary.mini-executor.lines-under", 200.0);
    assert!(
        (code.len() as f64) < under,
        "{} lines of code, not under {under}",
        code.len()
    );
    let uses: Vec<&&str> = code
        .iter()
        .filter(|line| line.starts_with("use "))
        .collect();
    assert!(
        !uses.is_empty() && uses.iter().all(|line| line.starts_with("use std::")),
        "every use is of the standard library: {uses:?}"
    );
    // Standard library alone: the executor compiles on its own with rustc and no crates at all.
    let (compiled, errors) = rustc_lib(
        "2024",
        &format!("#![allow(dead_code)]\n{}", &source[start..end]),
    );
    assert!(compiled, "the executor needs more than std:\n{errors}");
}

/// Compiles `code` as a library with rustc alone (no crates), in `edition`: whether it compiled,
/// and what rustc printed.
fn rustc_lib(edition: &str, code: &str) -> (bool, String) {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "loopbot-bestiary-{}-{}",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::SeqCst)
    ));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("code.rs");
    std::fs::write(&file, code).unwrap();
    let output = std::process::Command::new(std::env::var("RUSTC").unwrap_or("rustc".into()))
        .args([
            "--edition",
            edition,
            "--crate-type",
            "lib",
            "--emit",
            "metadata",
        ])
        .arg("--out-dir")
        .arg(&dir)
        .arg(&file)
        .output()
        .expect("rustc runs");
    std::fs::remove_dir_all(&dir).unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// Stable Rust has no `yield`: the 2024 edition reserves `gen` (a name in 2021, an error in 2024),
/// and generator blocks are still unstable.
#[test]
fn the_2024_edition_reserves_gen_and_generator_blocks_are_unstable() {
    let edition = claim("bestiary.gen-reserved-in-edition", 2024.0).to_string();
    let before = "2021";
    let named_gen = "pub fn answer() -> i32 { let gen = 42; gen }";
    let (compiled, errors) = rustc_lib(before, named_gen);
    assert!(
        compiled,
        "in the {before} edition, gen is a name:\n{errors}"
    );
    let (compiled, errors) = rustc_lib(&edition, named_gen);
    assert!(
        !compiled && errors.contains("reserved keyword `gen`"),
        "in the {edition} edition, gen is reserved:\n{errors}"
    );
    let generator = "pub fn steps() { let _ = gen { yield 1; }; }";
    let (compiled, errors) = rustc_lib(&edition, generator);
    assert!(
        !compiled && errors.contains("gen blocks are experimental"),
        "generator blocks are unstable:\n{errors}"
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
    let minute = Duration::from_millis(20);
    assert_claim(
        "the JSON total",
        total,
        lunch_total(),
        one_after_another(),
        minute,
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
    let minute = Duration::from_millis(20);
    assert_claim(
        "the printed total",
        total,
        lunch_total(),
        one_after_another(),
        minute,
    );
}

/// It runs on nothing but itself, and says so with exit code 2 if asked for a runtime.
#[test]
fn the_mini_executor_example_refuses_a_runtime_with_exit_code_2() {
    let output = common::run_example("bestiary_mini_executor", &["--runtime", "tokio"]);
    let code = claim("bestiary.mini-executor.runtime-exit-code", 2.0);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(code as i32), "{stderr}");
    assert!(
        stderr.contains("unexpected argument '--runtime'"),
        "{stderr}"
    );
}

// The versions the table of runtimes names.

/// The table of task handles names async-std 1.13 and smol 2: the versions this package's
/// tests, and so the table's cells, run on.
#[test]
fn the_table_names_the_versions_the_tests_run_on() {
    let lock = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.lock")).unwrap();
    let version = |name: &str| {
        let entry = format!("name = \"{name}\"\nversion = \"");
        let at = lock
            .find(&entry)
            .unwrap_or_else(|| panic!("{name} is not in Cargo.lock"));
        let rest = &lock[at + entry.len()..];
        rest[..rest.find('"').unwrap()].to_string()
    };
    let async_std = claim("bestiary.table.async-std-version", 1.13);
    let smol = claim("bestiary.table.smol-version", 2.0);
    for (name, named) in [("async-std", async_std), ("smol", smol)] {
        let locked = version(name);
        assert!(
            locked.starts_with(&format!("{named}.")),
            "the table names {name} {named}; the tests run on {locked}"
        );
    }
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

/// tokio's cooperative budget: a task whose channel always has a message ready gets 128 of
/// them, then the next `recv().await` says `Pending` and another task on the thread runs.
#[test]
fn tokio_lets_another_task_run_once_a_busy_task_has_spent_its_budget_of_128() {
    let budget = claim("bestiary.tokio.budget", 128.0) as usize;
    let reads_before_the_other_ran = tokio_runtime().block_on(async move {
        // In a spawned task, as the page says: each task gets its budget each time it is polled.
        tokio::spawn(async move {
            let other_ran = flag();
            let seen = other_ran.clone();
            let other = tokio::spawn(async move { raise(&other_ran) });
            let (slip, mut slips) = tokio::sync::mpsc::unbounded_channel();
            for number in 0..2 * budget {
                slip.send(number).unwrap();
            }
            let mut reads = 0;
            while !is_raised(&seen) && reads < 2 * budget {
                slips.recv().await.unwrap(); // ready every time
                reads += 1;
            }
            other.await.unwrap();
            reads
        })
        .await
        .unwrap()
    });
    // The read that found the other task's flag raised was the first after the budget ran out:
    // the budget's reads, then one that said Pending, during which the other task ran.
    assert_eq!(
        reads_before_the_other_ran,
        budget + 1,
        "the other task ran after {} ready reads, not {budget}",
        reads_before_the_other_ran - 1
    );
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
