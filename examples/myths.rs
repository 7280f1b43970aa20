//! Myths: five things that are not true about async, each disproved by a run.
//!
//! `cargo run --example myths -- --runtime all` runs every myth on tokio, async-std and smol.
//! The tests in `tests/myths.rs` include this file and assert what it prints.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::future::Future;
use std::rc::Rc;
use std::thread::ThreadId;
use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{StoryArgs, parse_or_exit};

/// Five myths about async, each checked on the runtime you pick.
#[derive(Parser)]
#[command(name = "myths")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
}

// ANCHOR: spin
/// Keeps the processor busy until `duration` has passed: work, not waiting.
///
/// It watches the clock rather than counting iterations, so it lasts as long on a fast
/// machine as on a slow one.
pub fn spin_for(duration: Duration) {
    let deadline = Instant::now() + duration;
    while Instant::now() < deadline {
        std::hint::spin_loop();
    }
}
// ANCHOR_END: spin

/// Myth 1: three computations and three waits, each one story minute, joined on one thread.
/// Returns how many minutes the computations took together, then the waits.
pub fn computations_and_waits(runtime: Runtime, minute: Duration) -> (f64, f64) {
    runtime.block_on(async move {
        // ANCHOR: fast
        let start = Instant::now();
        let compute = || async move { spin_for(minute) };
        futures::join!(compute(), compute(), compute());
        let computing = start.elapsed();

        let start = Instant::now();
        futures::join!(
            runtime.sleep(minute),
            runtime.sleep(minute),
            runtime.sleep(minute)
        );
        let waiting = start.elapsed();
        // ANCHOR_END: fast
        (minutes(computing, minute), minutes(waiting, minute))
    })
}

/// Where myth 2's two-minute computation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offload {
    /// On the executor's own thread, inside a task: the ticker stops.
    Inline,
    /// On the runtime's blocking pool (`spawn_blocking`, `unblock`): the ticker goes on.
    Unblock,
}

/// Myth 2: a ticker wants to tick every quarter minute while a 2-minute computation runs
/// beside it on one thread. Returns the longest gap between two ticks, in story minutes.
///
/// The ticker goes on until the computation is over and then ticks once more, so the gap it
/// measures always spans the computation, however late a busy machine lets it start.
pub fn longest_tick_gap(runtime: Runtime, minute: Duration, offload: Offload) -> f64 {
    runtime.block_on(async move {
        let ticks = Rc::new(RefCell::new(Vec::new()));
        let computed = Rc::new(Cell::new(false));
        let ticker = {
            let (ticks, computed) = (ticks.clone(), computed.clone());
            async move {
                while !computed.get() {
                    ticks.borrow_mut().push(Instant::now());
                    runtime.sleep(minute / 4).await;
                }
                ticks.borrow_mut().push(Instant::now());
            }
        };
        let computation = async move {
            runtime.sleep(minute / 2).await;
            match offload {
                Offload::Inline => spin_for(2 * minute),
                Offload::Unblock => runtime.unblock(move || spin_for(2 * minute)).await,
            }
            computed.set(true);
        };
        futures::join!(ticker, computation);
        let ticks = ticks.borrow();
        ticks
            .windows(2)
            .map(|pair| minutes(pair[1] - pair[0], minute))
            .fold(0.0, f64::max)
    })
}

/// A fixed amount of arithmetic: unlike [`spin_for`], it takes longer on a slower machine and
/// less time when it has a core of its own.
pub fn crunch(rounds: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for round in 0..rounds {
        hash = (hash ^ std::hint::black_box(round)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// What myth 3's run measured: the same jobs on one thread, then on a multi-threaded runtime.
#[derive(Debug)]
pub struct Parallel {
    /// How long the jobs took one after another on one thread.
    pub one_thread: Duration,
    /// How long they took spawned on a multi-threaded runtime.
    pub many_threads: Duration,
    /// How many different threads ran the jobs on the multi-threaded runtime.
    pub threads_used: usize,
}

/// Myth 3: `jobs` equal computations, first on one thread, then spawned on a runtime with
/// `jobs` worker threads.
pub fn parallel_crunch(runtime: Runtime, jobs: usize, rounds: u64) -> Parallel {
    let start = Instant::now();
    for _ in 0..jobs {
        std::hint::black_box(crunch(rounds));
    }
    let one_thread = start.elapsed();

    let start = Instant::now();
    let mut ids: Vec<ThreadId> = match runtime {
        Runtime::Tokio => {
            // ANCHOR: parallel_tokio
            let pool = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(jobs)
                .build()
                .expect("a multi-threaded tokio runtime builds");
            pool.block_on(async {
                let handles: Vec<_> = (0..jobs)
                    .map(|_| {
                        tokio::spawn(async move {
                            std::hint::black_box(crunch(rounds));
                            std::thread::current().id()
                        })
                    })
                    .collect();
                let mut ids = Vec::new();
                for handle in handles {
                    ids.push(handle.await.expect("the job finishes"));
                }
                ids
            })
            // ANCHOR_END: parallel_tokio
        }
        // async-std's global executor runs spawned tasks on a thread per core.
        Runtime::AsyncStd => async_std::task::block_on(async {
            let handles: Vec<_> = (0..jobs)
                .map(|_| {
                    async_std::task::spawn(async move {
                        std::hint::black_box(crunch(rounds));
                        std::thread::current().id()
                    })
                })
                .collect();
            futures::future::join_all(handles).await
        }),
        // smol's executor runs on as many threads as you give it.
        Runtime::Smol => {
            let executor = smol::Executor::new();
            let (stop, stopped) = smol::channel::unbounded::<()>();
            std::thread::scope(|scope| {
                for _ in 0..jobs {
                    scope.spawn(|| smol::block_on(executor.run(stopped.recv())));
                }
                let ids = smol::block_on(async {
                    let tasks: Vec<_> = (0..jobs)
                        .map(|_| {
                            executor.spawn(async move {
                                std::hint::black_box(crunch(rounds));
                                std::thread::current().id()
                            })
                        })
                        .collect();
                    futures::future::join_all(tasks).await
                });
                drop(stop);
                ids
            })
        }
    };
    let many_threads = start.elapsed();
    ids.sort_by_key(|id| format!("{id:?}"));
    ids.dedup();
    Parallel {
        one_thread,
        many_threads,
        threads_used: ids.len(),
    }
}

/// Myth 4: two tasks on one thread each add 1 to a shared counter 10 times, with an `.await`
/// between reading the counter and writing it back. Returns the final count (20 if no
/// update were lost) without a lock, then with an async lock held across the `.await`.
pub fn racing_counters(runtime: Runtime) -> (u32, u32) {
    runtime.block_on(async move {
        // ANCHOR: race
        let counter = Rc::new(Cell::new(0));
        let add_ten = |counter: Rc<Cell<u32>>| async move {
            for _ in 0..10 {
                let read = counter.get();
                runtime.sleep(Duration::from_millis(1)).await; // another task runs here
                counter.set(read + 1);
            }
        };
        futures::join!(add_ten(counter.clone()), add_ten(counter.clone()));
        // ANCHOR_END: race

        // ANCHOR: race_fixed
        let locked = Rc::new(futures::lock::Mutex::new(0));
        let add_ten_locked = |counter: Rc<futures::lock::Mutex<u32>>| async move {
            for _ in 0..10 {
                let mut count = counter.lock().await; // held across the .await below
                let read = *count;
                runtime.sleep(Duration::from_millis(1)).await;
                *count = read + 1;
            }
        };
        futures::join!(
            add_ten_locked(locked.clone()),
            add_ten_locked(locked.clone())
        );
        // ANCHOR_END: race_fixed
        let fixed = *locked.lock().await;
        (counter.get(), fixed)
    })
}

/// How myth 5 moves a dish from the pass to the shelf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carry {
    /// Take the dish off the queue, then walk: a timeout during the walk drops the dish.
    TakeThenWalk,
    /// Look at the dish, walk, then take it and shelve it in one step with no `.await` between.
    WalkThenTake,
}

/// What is left after myth 5's run: the dishes still waiting and the dishes on the shelf.
#[derive(Debug, PartialEq, Eq)]
pub struct Dishes {
    /// Dishes still in the queue.
    pub waiting: Vec<&'static str>,
    /// Dishes safely on the shelf.
    pub shelved: Vec<&'static str>,
}

// ANCHOR: carry
/// Moves one dish from `queue` to `shelf`; the walk in between takes one minute.
async fn move_one(
    runtime: Runtime,
    minute: Duration,
    carry: Carry,
    queue: &RefCell<VecDeque<&'static str>>,
    shelf: &RefCell<Vec<&'static str>>,
) {
    match carry {
        Carry::TakeThenWalk => {
            let Some(dish) = queue.borrow_mut().pop_front() else {
                return;
            };
            runtime.sleep(minute).await; // dropped here, the dish is gone
            shelf.borrow_mut().push(dish);
        }
        Carry::WalkThenTake => {
            if queue.borrow().is_empty() {
                return;
            }
            runtime.sleep(minute).await; // dropped here, the dish is still queued
            let dish = queue
                .borrow_mut()
                .pop_front()
                .expect("only this task takes dishes");
            shelf.borrow_mut().push(dish);
        }
    }
}
// ANCHOR_END: carry

/// Runs `future`, giving up after `limit`: each runtime's own timeout.
pub async fn with_timeout<F: Future>(
    runtime: Runtime,
    limit: Duration,
    future: F,
) -> Option<F::Output> {
    match runtime {
        Runtime::Tokio => tokio::time::timeout(limit, future).await.ok(),
        Runtime::AsyncStd => async_std::future::timeout(limit, future).await.ok(),
        Runtime::Smol => {
            smol::future::or(async { Some(future.await) }, async {
                smol::Timer::after(limit).await;
                None
            })
            .await
        }
    }
}

/// Myth 5: three dishes, three trips; the second trip is given only a tenth of a minute, so
/// its walk is still far from over when the timeout fires, even on a busy machine.
pub fn carry_dishes(runtime: Runtime, minute: Duration, carry: Carry) -> Dishes {
    runtime.block_on(async move {
        let queue = RefCell::new(VecDeque::from(["soup", "fish", "cake"]));
        let shelf = RefCell::new(Vec::new());
        move_one(runtime, minute, carry, &queue, &shelf).await;
        let hurried = with_timeout(
            runtime,
            minute / 10,
            move_one(runtime, minute, carry, &queue, &shelf),
        )
        .await;
        assert!(
            hurried.is_none(),
            "a one-minute walk cannot finish in a tenth of a minute"
        );
        move_one(runtime, minute, carry, &queue, &shelf).await;
        Dishes {
            waiting: queue.into_inner().into(),
            shelved: shelf.into_inner(),
        }
    })
}

fn minutes(real: Duration, minute: Duration) -> f64 {
    real.as_secs_f64() / minute.as_secs_f64()
}

/// The number of jobs myth 3 runs in parallel: up to 4, but no more than the machine's cores.
pub fn parallel_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(2, 4)
}

fn main() {
    let args: Args = parse_or_exit();
    let minute = Duration::from_millis(args.story.minute_ms);
    for runtime in args.story.runtime.runtimes() {
        let (computing, waiting) = computations_and_waits(runtime, minute);
        let inline_gap = longest_tick_gap(runtime, minute, Offload::Inline);
        let unblock_gap = longest_tick_gap(runtime, minute, Offload::Unblock);
        let jobs = parallel_jobs();
        let parallel = parallel_crunch(runtime, jobs, 40_000_000);
        let speedup = parallel.one_thread.as_secs_f64() / parallel.many_threads.as_secs_f64();
        let (raced, locked) = racing_counters(runtime);
        let lost = carry_dishes(runtime, minute, Carry::TakeThenWalk);
        let kept = carry_dishes(runtime, minute, Carry::WalkThenTake);
        if args.story.json {
            let record = serde_json::json!({
                "runtime": runtime.name(),
                "computing_minutes": computing,
                "waiting_minutes": waiting,
                "inline_longest_tick_gap": inline_gap,
                "unblock_longest_tick_gap": unblock_gap,
                "parallel_jobs": jobs,
                "one_thread_ms": parallel.one_thread.as_secs_f64() * 1000.0,
                "many_threads_ms": parallel.many_threads.as_secs_f64() * 1000.0,
                "threads_used": parallel.threads_used,
                "speedup": speedup,
                "raced_count": raced,
                "locked_count": locked,
                "timeout_waiting": lost.waiting,
                "timeout_shelved": lost.shelved,
                "fixed_waiting": kept.waiting,
                "fixed_shelved": kept.shelved,
            });
            println!("{record}");
            continue;
        }
        println!(
            "Myths on {runtime}; 1 story minute = {} ms",
            minute.as_millis()
        );
        println!(
            "1. fast?    computing {computing:.1} min, waiting {waiting:.1} min (three 1-minute jobs each, joined)"
        );
        println!(
            "2. threads? longest tick gap: {inline_gap:.1} min beside the work, {unblock_gap:.2} min unblocked"
        );
        println!(
            "3. GIL?     {jobs} jobs: {:.0} ms on 1 thread, {:.0} ms on {} threads ({speedup:.1}x)",
            parallel.one_thread.as_secs_f64() * 1000.0,
            parallel.many_threads.as_secs_f64() * 1000.0,
            parallel.threads_used,
        );
        println!("4. races?   2 tasks adding 10 each: {raced} without a lock, {locked} with one");
        println!(
            "5. easy?    timeout mid-carry: shelf [{}]; fixed: [{}], queue [{}]",
            lost.shelved.join(", "),
            kept.shelved.join(", "),
            kept.waiting.join(", "),
        );
    }
}
