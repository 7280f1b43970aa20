//! Myths: five things that are not true about async, each disproved by a run.
//!
//! `cargo run --example myths -- --runtime all` runs every myth on tokio, async-std and smol.
//! Each myth lives in a module of its own, written in each runtime's own API: `fast.rs`,
//! `threads.rs`, `gil.rs`, `races.rs`, `cancel.rs`. This file reads the arguments, picks the
//! runtime's version of each myth and prints what it measured. The tests in `tests/myths.rs`
//! include this file and assert what it returns and prints.

mod cancel;
mod fast;
mod gil;
mod races;
mod threads;

use std::thread::ThreadId;
use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{StoryArgs, parse_or_exit};

pub use cancel::Carry;
pub use threads::Offload;

/// Five myths about async, each checked on the runtime you pick.
#[derive(Parser)]
#[command(name = "myths")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
}

/// Myth 1: three computations and three waits, each one story minute, joined on one thread.
/// Returns how many minutes the computations took together, then the waits.
pub fn computations_and_waits(runtime: Runtime, minute: Duration) -> (f64, f64) {
    let (computing, waiting) = match runtime {
        Runtime::Tokio => fast::compute_then_wait_tokio(minute),
        Runtime::AsyncStd => fast::compute_then_wait_async_std(minute),
        Runtime::Smol => fast::compute_then_wait_smol(minute),
    };
    (minutes(computing, minute), minutes(waiting, minute))
}

/// Myth 2: a ticker wants to tick every quarter minute while a 2-minute computation runs
/// beside it on one thread. Returns the longest gap between two ticks, in story minutes.
pub fn longest_tick_gap(runtime: Runtime, minute: Duration, offload: Offload) -> f64 {
    let ticks = match runtime {
        Runtime::Tokio => threads::ticks_tokio(minute, offload),
        Runtime::AsyncStd => threads::ticks_async_std(minute, offload),
        Runtime::Smol => threads::ticks_smol(minute, offload),
    };
    ticks
        .windows(2)
        .map(|pair| minutes(pair[1] - pair[0], minute))
        .fold(0.0, f64::max)
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
        std::hint::black_box(gil::crunch(rounds));
    }
    let one_thread = start.elapsed();

    let start = Instant::now();
    let mut ids: Vec<ThreadId> = match runtime {
        Runtime::Tokio => gil::crunch_on_threads_tokio(jobs, rounds),
        Runtime::AsyncStd => gil::crunch_on_threads_async_std(jobs, rounds),
        Runtime::Smol => gil::crunch_on_threads_smol(jobs, rounds),
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

/// The number of jobs myth 3 runs in parallel: up to 4, but no more than the machine's cores.
pub fn parallel_jobs() -> usize {
    std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .clamp(2, 4)
}

/// Myth 4: two futures joined in one task, on one thread, each add 1 to a shared counter 10
/// times, with an `.await` between reading the counter and writing it back. Returns the final count (20 if no
/// update were lost) without a lock, then with an async lock held across the `.await`.
pub fn racing_counters(runtime: Runtime) -> (u32, u32) {
    match runtime {
        Runtime::Tokio => (races::race_tokio(), races::race_locked_tokio()),
        Runtime::AsyncStd => (races::race_async_std(), races::race_locked_async_std()),
        Runtime::Smol => (races::race_smol(), races::race_locked_smol()),
    }
}

/// What is left after myth 5's run: the dishes still waiting and the dishes on the shelf.
#[derive(Debug, PartialEq, Eq)]
pub struct Dishes {
    /// Dishes still in the queue.
    pub waiting: Vec<&'static str>,
    /// Dishes safely on the shelf.
    pub shelved: Vec<&'static str>,
}

/// Myth 5: three dishes, three trips, the second one hurried by a timeout.
pub fn carry_dishes(runtime: Runtime, minute: Duration, carry: Carry) -> Dishes {
    let (waiting, shelved) = match runtime {
        Runtime::Tokio => cancel::three_trips_tokio(minute, carry),
        Runtime::AsyncStd => cancel::three_trips_async_std(minute, carry),
        Runtime::Smol => cancel::three_trips_smol(minute, carry),
    };
    Dishes { waiting, shelved }
}

fn minutes(real: Duration, minute: Duration) -> f64 {
    real.as_secs_f64() / minute.as_secs_f64()
}

/// Everything one runtime's run of the five myths measured.
struct Run {
    runtime: Runtime,
    computing: f64,
    waiting: f64,
    inline_gap: f64,
    unblock_gap: f64,
    jobs: usize,
    parallel: Parallel,
    raced: u32,
    locked: u32,
    lost: Dishes,
    kept: Dishes,
}

impl Run {
    /// Runs the five myths on `runtime`.
    fn new(runtime: Runtime, minute: Duration) -> Run {
        let (computing, waiting) = computations_and_waits(runtime, minute);
        let inline_gap = longest_tick_gap(runtime, minute, Offload::Inline);
        let unblock_gap = longest_tick_gap(runtime, minute, Offload::Unblock);
        let jobs = parallel_jobs();
        let parallel = parallel_crunch(runtime, jobs, 40_000_000);
        let (raced, locked) = racing_counters(runtime);
        Run {
            runtime,
            computing,
            waiting,
            inline_gap,
            unblock_gap,
            jobs,
            parallel,
            raced,
            locked,
            lost: carry_dishes(runtime, minute, Carry::TakeThenWalk),
            kept: carry_dishes(runtime, minute, Carry::WalkThenTake),
        }
    }

    fn speedup(&self) -> f64 {
        self.parallel.one_thread.as_secs_f64() / self.parallel.many_threads.as_secs_f64()
    }

    /// One JSON object, on one line.
    fn print_json(&self) {
        let record = serde_json::json!({
            "runtime": self.runtime.name(),
            "computing_minutes": self.computing,
            "waiting_minutes": self.waiting,
            "inline_longest_tick_gap": self.inline_gap,
            "unblock_longest_tick_gap": self.unblock_gap,
            "parallel_jobs": self.jobs,
            "one_thread_ms": self.parallel.one_thread.as_secs_f64() * 1000.0,
            "many_threads_ms": self.parallel.many_threads.as_secs_f64() * 1000.0,
            "threads_used": self.parallel.threads_used,
            "speedup": self.speedup(),
            "raced_count": self.raced,
            "locked_count": self.locked,
            "timeout_waiting": self.lost.waiting,
            "timeout_shelved": self.lost.shelved,
            "fixed_waiting": self.kept.waiting,
            "fixed_shelved": self.kept.shelved,
        });
        println!("{record}");
    }

    /// A header and one line per myth.
    fn print_readable(&self, minute: Duration) {
        let Run {
            runtime,
            computing,
            waiting,
            inline_gap,
            unblock_gap,
            jobs,
            ..
        } = self;
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
            "3. GIL?     {jobs} jobs: {:.0} ms on 1 thread, {:.0} ms on {} threads ({:.1}x)",
            self.parallel.one_thread.as_secs_f64() * 1000.0,
            self.parallel.many_threads.as_secs_f64() * 1000.0,
            self.parallel.threads_used,
            self.speedup(),
        );
        println!(
            "4. races?   2 joined futures adding 10 each: {} without a lock, {} with one",
            self.raced, self.locked
        );
        println!(
            "5. easy?    timeout mid-carry: shelf [{}]; fixed: [{}], queue [{}]",
            self.lost.shelved.join(", "),
            self.kept.shelved.join(", "),
            self.kept.waiting.join(", "),
        );
    }
}

fn main() {
    let args: Args = parse_or_exit();
    let minute = Duration::from_millis(args.story.minute_ms);
    for runtime in args.story.runtime.runtimes() {
        let run = Run::new(runtime, minute);
        if args.story.json {
            run.print_json();
        } else {
            run.print_readable(minute);
        }
    }
}
