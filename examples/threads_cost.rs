//! What a thread costs next to a task: memory and time to start N of them that each wait, and
//! the time of one round trip between two of them.
//!
//! ```text
//! cargo run --release --example threads_cost
//! cargo run --release --example threads_cost -- --count 1000 --runtime smol --json
//! ```
//!
//! Each figure comes from a fresh process (the example runs itself once per row), so memory
//! freed by one measurement cannot flatter the next. Memory is the growth of the process's
//! resident set (`VmRSS` in `/proc/self/status`) while all N wait: for threads that is mostly
//! the pages their stacks touched; the kernel's own cost per thread (its kernel stack, its
//! scheduler entry) is real but not visible there, so the figure for threads is a lower bound.
//! `--minute-ms` is accepted, like in every example, but nothing here is a story minute.

use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use futures::StreamExt;
use loopbot::Runtime;
use loopbot::cli::{self, RuntimeArgs};
use loopbot::myself::{self, JobArgs};
use loopbot::process::ProcessStatus;
use serde::{Deserialize, Serialize};

#[derive(Parser)]
#[command(about = "Measure what N waiting threads cost next to N waiting tasks")]
struct Args {
    #[command(flatten)]
    story: RuntimeArgs,
    /// How many threads, and how many tasks, to start and keep waiting.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=50_000))]
    count: u32,
    /// How many round trips to time between two threads, and between two tasks.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    round_trips: u32,
    #[command(flatten)]
    job: JobArgs,
}

/// One row: what N threads, or N tasks on one runtime, cost.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Cost {
    /// `threads`, or the runtime whose tasks were measured.
    pub what: String,
    pub count: u32,
    /// From the first spawn until all `count` are waiting, in milliseconds.
    pub start_ms: f64,
    /// Growth of the resident set while all `count` wait, in bytes.
    pub memory_bytes: u64,
    /// `memory_bytes / count`.
    pub bytes_each: u64,
    /// One round trip between two threads (or two tasks), in nanoseconds.
    pub round_trip_ns: f64,
}

/// N threads that each wait on their own channel.
pub fn threads(count: u32, round_trips: u32) -> Cost {
    let arrived = Arc::new(AtomicUsize::new(0));
    let mut wake_ups = Vec::with_capacity(count as usize);
    let mut handles = Vec::with_capacity(count as usize);
    let before = ProcessStatus::read().resident;
    let start = Instant::now();
    for _ in 0..count {
        let (wake_up, wait) = mpsc::channel::<()>();
        let arrived = arrived.clone();
        wake_ups.push(wake_up);
        handles.push(thread::spawn(move || {
            arrived.fetch_add(1, Ordering::SeqCst);
            let _ = wait.recv();
        }));
    }
    while arrived.load(Ordering::SeqCst) < count as usize {
        thread::yield_now();
    }
    let start_time = start.elapsed();
    let memory = ProcessStatus::read().resident.saturating_sub(before);
    drop(wake_ups);
    for handle in handles {
        handle.join().unwrap();
    }

    let round_trip = thread_round_trip(round_trips);
    cost("threads", count, start_time, memory, round_trip)
}

/// N tasks on one thread of `runtime` that each wait on their own channel.
pub fn tasks(runtime: Runtime, count: u32, round_trips: u32) -> Cost {
    runtime.block_on(async move {
        let arrived = Rc::new(Cell::new(0u32));
        let mut wake_ups = Vec::with_capacity(count as usize);
        let mut handles = Vec::with_capacity(count as usize);
        // Measured inside the runtime, so its own start-up is not counted against the tasks.
        let before = ProcessStatus::read().resident;
        let start = Instant::now();
        for _ in 0..count {
            let (wake_up, wait) = futures::channel::oneshot::channel::<()>();
            let arrived = arrived.clone();
            wake_ups.push(wake_up);
            handles.push(runtime.spawn_local(async move {
                arrived.set(arrived.get() + 1);
                let _ = wait.await;
            }));
        }
        while arrived.get() < count {
            futures_lite::future::yield_now().await;
        }
        let start_time = start.elapsed();
        let memory = ProcessStatus::read().resident.saturating_sub(before);
        drop(wake_ups);
        for handle in handles {
            handle.await;
        }

        let round_trip = task_round_trip(runtime, round_trips).await;
        cost(runtime.name(), count, start_time, memory, round_trip)
    })
}

/// One round trip between two threads, averaged over `round_trips`: a number sent over a
/// channel and sent back. The thread waiting for it is asleep, so each trip wakes a thread
/// twice, and each wake goes through the kernel.
pub fn thread_round_trip(round_trips: u32) -> Duration {
    let (ping, pinged) = mpsc::channel::<u32>();
    let (pong, ponged) = mpsc::channel::<u32>();
    let partner = thread::spawn(move || {
        for ball in pinged {
            pong.send(ball).unwrap();
        }
    });
    let start = Instant::now();
    for ball in 0..round_trips {
        ping.send(ball).unwrap();
        assert_eq!(ponged.recv().unwrap(), ball);
    }
    let round_trip = start.elapsed() / round_trips;
    drop(ping);
    partner.join().unwrap();
    round_trip
}

/// One round trip between two tasks on this thread of `runtime`, averaged over `round_trips`:
/// the same exchange as [`thread_round_trip`], where a wake puts a task back on the executor's
/// queue. Call it inside `runtime.block_on`.
///
/// Both players are spawned tasks, and the future that `block_on` runs only waits for the
/// result. On smol that matters: each time that future is woken, `block_on` checks the reactor
/// for I/O (about five system calls) unless async-io's helper thread is already waiting on it,
/// and which of the two threads gets there first is decided anew in every process. A player
/// that was `block_on`'s own future made the same exchange take about 360 ns in some processes
/// and about 1,770 ns in others.
pub async fn task_round_trip(runtime: Runtime, round_trips: u32) -> Duration {
    let (ping, mut pinged) = futures::channel::mpsc::unbounded::<u32>();
    let (pong, mut ponged) = futures::channel::mpsc::unbounded::<u32>();
    let partner = runtime.spawn_local(async move {
        while let Some(ball) = pinged.next().await {
            pong.unbounded_send(ball).unwrap();
        }
    });
    let player = runtime.spawn_local(async move {
        let start = Instant::now();
        for ball in 0..round_trips {
            ping.unbounded_send(ball).unwrap();
            assert_eq!(ponged.next().await, Some(ball));
        }
        start.elapsed() / round_trips
    });
    let round_trip = player.await;
    partner.await;
    round_trip
}

fn cost(what: &str, count: u32, start: Duration, memory: u64, round_trip: Duration) -> Cost {
    Cost {
        what: what.to_string(),
        count,
        start_ms: start.as_secs_f64() * 1e3,
        memory_bytes: memory,
        bytes_each: memory / u64::from(count),
        round_trip_ns: round_trip.as_secs_f64() * 1e9,
    }
}

/// Runs this example again, in a fresh process, to measure one row.
fn measure_in_a_fresh_process(what: &str, count: u32, round_trips: u32) -> Cost {
    let mut command = myself::myself(what);
    command.args([
        "--count",
        &count.to_string(),
        "--round-trips",
        &round_trips.to_string(),
    ]);
    myself::one_json_row("threads_cost", what, &mut command)
}

fn main() {
    let args: Args = cli::parse_or_exit();
    if let Some(what) = &args.job.job {
        let row = match what.as_str() {
            "threads" => threads(args.count, args.round_trips),
            name => match name.parse::<Runtime>() {
                Ok(runtime) => tasks(runtime, args.count, args.round_trips),
                Err(error) => cli::exit_with_usage_error(&format!("threads_cost: {error}")),
            },
        };
        myself::send_row(&row);
        return;
    }
    let threads = measure_in_a_fresh_process("threads", args.count, args.round_trips);
    let mut rows = vec![threads.clone()];
    for runtime in args.story.runtime.runtimes() {
        rows.push(measure_in_a_fresh_process(
            runtime.name(),
            args.count,
            args.round_trips,
        ));
    }
    if args.story.json {
        for row in &rows {
            println!("{}", serde_json::to_string(row).expect("a row serializes"));
        }
        return;
    }
    println!(
        "{} waiting threads vs {} waiting tasks on one thread; {} round trips",
        args.count, args.count, args.round_trips
    );
    println!(
        "{:<10} {:>10} {:>12} {:>10} {:>14}",
        "", "start", "memory", "each", "round trip"
    );
    for row in &rows {
        println!(
            "{:<10} {:>7.1} ms {:>9.1} MB {:>7} B {:>11.0} ns",
            row.what,
            row.start_ms,
            row.memory_bytes as f64 / 1e6,
            row.bytes_each,
            row.round_trip_ns
        );
    }
    for row in &rows[1..] {
        println!(
            "{} tasks: {:.0}x less memory, {:.0}x faster to start, {:.0}x faster round trips than threads",
            row.what,
            threads.memory_bytes as f64 / row.memory_bytes.max(1) as f64,
            threads.start_ms / row.start_ms.max(1e-9),
            threads.round_trip_ns / row.round_trip_ns.max(1e-9)
        );
    }
}
