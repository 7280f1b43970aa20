//! Stacks and frames, measured: a CPU-bound task holding a ticker back (or not, when it yields),
//! how deep recursion goes on a small and a larger thread stack, and how big futures are.
//!
//! ```text
//! cargo run --example stacks -- --runtime all
//! cargo run --example stacks -- --runtime smol --minute-ms 20
//! cargo run --example stacks -- --json
//! ```
//!
//! The book's chapter "Stacks and Frames" tells the story; `tests/stacks.rs` checks its claims.

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, StoryArgs};
use loopbot::myself::{self, JobArgs};
use serde::Serialize;

/// How long the ticker waits between ticks, in story minutes, and how many times it ticks.
pub const TICK_MINUTES: f64 = 1.0;
pub const TICKS: usize = 6;
/// How long the cruncher computes, in story minutes.
pub const CRUNCH_MINUTES: f64 = 4.0;

/// The two thread stacks the example compares, in bytes.
pub const SMALL_STACK: usize = 64 * 1024;
pub const LARGE_STACK: usize = 1024 * 1024;

#[derive(Parser)]
#[command(
    about = "Measure a CPU-bound task beside a ticker, recursion depth on thread stacks, and future sizes"
)]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// The one job a fresh copy of this example can do: `overflow`, recursing without end on a
    /// small stack, so that the parent can watch the process die.
    #[command(flatten)]
    job: JobArgs,
}

// ---------------------------------------------------------------------------------------------
// CPU-bound and IO-bound: a ticker beside a cruncher.

/// What the ticker saw while a cruncher computed beside it on the same thread.
#[derive(Clone, Debug, Serialize)]
pub struct TickerRun {
    pub runtime: String,
    /// Whether the cruncher called `yield_now` between slices of its work.
    pub cruncher_yields: bool,
    /// When each tick happened, in story minutes since the start.
    pub ticks: Vec<f64>,
    /// When the cruncher started and stopped computing, in story minutes.
    pub crunch_start: f64,
    pub crunch_end: f64,
    /// The longest wait between two ticks, in story minutes: 1 when nobody holds the thread.
    pub longest_gap: f64,
    /// How many ticks happened while the cruncher was computing.
    pub ticks_during_crunch: usize,
}

/// The runtime's own `yield_now`: "I could go on, but let someone else run first."
pub async fn runtime_yield_now(runtime: Runtime) {
    match runtime {
        Runtime::Tokio => tokio::task::yield_now().await,
        Runtime::AsyncStd => async_std::task::yield_now().await,
        Runtime::Smol => smol::future::yield_now().await,
    }
}

/// Keeps the CPU busy until `deadline`: pure computation, whatever the machine's speed.
fn compute_until(deadline: Instant) -> u64 {
    let mut sum = 0u64;
    while Instant::now() < deadline {
        for i in 0..100u64 {
            sum = black_box(sum.wrapping_mul(31).wrapping_add(i));
        }
    }
    sum
}

/// Computes for `duration`. If `yields`, it stops every 100 µs to let the executor run others.
async fn crunch(runtime: Runtime, duration: Duration, yields: bool) -> u64 {
    let deadline = Instant::now() + duration;
    if !yields {
        // One long stretch of work with no `.await`: nobody else on this thread runs.
        return compute_until(deadline);
    }
    let slice = Duration::from_micros(100);
    let mut sum = 0;
    while Instant::now() < deadline {
        sum ^= compute_until(deadline.min(Instant::now() + slice));
        runtime_yield_now(runtime).await;
    }
    sum
}

/// Runs a ticker (every story minute, [`TICKS`] times) and a cruncher ([`CRUNCH_MINUTES`] of
/// computation) side by side on one thread of `runtime`, the ticker first.
pub fn tick_beside_a_cruncher(runtime: Runtime, minute: Duration, yields: bool) -> TickerRun {
    let start = Instant::now();
    let minutes = move |at: Instant| (at - start).as_secs_f64() / minute.as_secs_f64();
    let (ticks, (crunch_start, crunch_end)) = runtime.block_on(async move {
        let ticker = async move {
            let mut ticks = Vec::new();
            for tick in 0..TICKS {
                if tick > 0 {
                    runtime.sleep(minute.mul_f64(TICK_MINUTES)).await;
                }
                ticks.push(minutes(Instant::now()));
            }
            ticks
        };
        let cruncher = async move {
            let began = minutes(Instant::now());
            black_box(crunch(runtime, minute.mul_f64(CRUNCH_MINUTES), yields).await);
            (began, minutes(Instant::now()))
        };
        futures::join!(ticker, cruncher)
    });
    let longest_gap = ticks
        .windows(2)
        .map(|pair| pair[1] - pair[0])
        .fold(0.0, f64::max);
    let ticks_during_crunch = ticks
        .iter()
        .filter(|&&t| t > crunch_start && t < crunch_end)
        .count();
    TickerRun {
        runtime: runtime.name().to_string(),
        cruncher_yields: yields,
        ticks,
        crunch_start,
        crunch_end,
        longest_gap,
        ticks_during_crunch,
    }
}

// ---------------------------------------------------------------------------------------------
// The call stack: how many frames fit in a thread's stack.

/// Bytes of locals in each frame of the measured recursion.
const FRAME_LOCALS: usize = 512;

/// How deep a recursion went on a thread with a given stack.
#[derive(Clone, Debug, Serialize)]
pub struct StackDepth {
    /// The stack size asked of `std::thread::Builder::stack_size`.
    pub stack_bytes: usize,
    /// How many nested calls ran before the stack was three quarters used.
    pub depth: u32,
    /// How many bytes of stack each call took, measured from the addresses of its locals.
    pub frame_bytes: usize,
    /// How many calls the whole stack would hold at that size: about where it would overflow.
    pub capacity: usize,
}

// ANCHOR: stack
/// Calls itself, each call with [`FRAME_LOCALS`] bytes of locals, until the stack between
/// `base` and this call's locals reaches `limit` bytes. Returns the depth reached and the
/// address of the deepest call's locals.
fn descend(base: usize, limit: usize, depth: u32) -> (u32, usize) {
    let locals = [depth as u8; FRAME_LOCALS];
    let here = black_box(&locals) as *const _ as usize;
    // The stack grows down on most machines, up on a few: the distance is what counts.
    if base.abs_diff(here) + 2 * FRAME_LOCALS >= limit {
        return (depth, here);
    }
    let deepest = descend(base, limit, depth + 1);
    // Using the locals after the call keeps this frame alive until the call returns.
    black_box(&locals);
    deepest
}

/// Recurses on a fresh thread with a `stack_bytes` stack, stopping safely at three quarters of
/// it: overflowing for real would kill the whole process.
pub fn measure_stack(stack_bytes: usize) -> StackDepth {
    std::thread::Builder::new()
        .name(format!("stack of {stack_bytes} bytes"))
        .stack_size(stack_bytes)
        .spawn(move || {
            let marker = 0u8;
            let base = black_box(&marker) as *const u8 as usize;
            let first = descend_once(base);
            let (depth, deepest) = descend(base, stack_bytes / 4 * 3, 1);
            let frame_bytes = first.abs_diff(deepest) / (depth as usize - 1).max(1);
            StackDepth {
                stack_bytes,
                depth,
                frame_bytes,
                capacity: stack_bytes / frame_bytes.max(1),
            }
        })
        .expect("the thread starts")
        .join()
        .expect("the measuring thread stays within its stack")
}
// ANCHOR_END: stack

/// The address of the first call's locals, for the frame size: one call of depth 1 that stops.
fn descend_once(base: usize) -> usize {
    descend(base, 0, 1).1
}

/// Recurses until the stack runs out: run only in a child process, which dies of it.
fn overflow_for_real() -> ! {
    fn fall(depth: u64) -> u64 {
        let locals = [depth as u8; FRAME_LOCALS];
        // Never true, but the compiler cannot know: it would warn about a recursion with no end.
        if black_box(&locals)[0] == 1 && depth == u64::MAX {
            return depth;
        }
        let deeper = fall(depth + 1);
        black_box(&locals);
        deeper
    }
    let handle = std::thread::Builder::new()
        .name("small stack".to_string())
        .stack_size(SMALL_STACK)
        .spawn(|| fall(0))
        .expect("the thread starts");
    let _ = handle.join();
    unreachable!("a recursion without end cannot return")
}

/// How a child process that recursed without end on a [`SMALL_STACK`] stack ended.
#[derive(Clone, Debug, Serialize)]
pub struct Overflow {
    /// Whether the child exited normally (it never does).
    pub exited_normally: bool,
    /// The last line it printed on standard error (Rust's "has overflowed its stack").
    pub last_words: String,
}

/// Runs `example` (this example) again with `--job overflow` and reports how the child died.
pub fn overflow_in_a_child(example: &std::path::Path) -> Overflow {
    let output = myself::job_for(example, "overflow")
        .output()
        .expect("the example runs itself");
    let stderr = String::from_utf8_lossy(&output.stderr);
    Overflow {
        exited_normally: output.status.code().is_some(),
        last_words: stderr
            .lines()
            .find(|line| line.contains("overflowed"))
            .unwrap_or_else(|| stderr.lines().last().unwrap_or(""))
            .trim()
            .to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// A future is its own frame.

// `yield_now` (from futures-lite, which smol re-exports) is the smallest `.await` that really
// pauses: it says "not yet" once, asks to be polled again, and is done the second time.
use futures_lite::future::yield_now;

// ANCHOR: futures
/// Keeps a 1 KiB buffer across its `.await`: the buffer must live in the future.
pub async fn keeps_a_buffer_across_the_await() -> u8 {
    let buffer = [7u8; 1024];
    yield_now().await;
    black_box(&buffer)[0]
}

/// Uses a 1 KiB buffer and drops it before its `.await`: the buffer lives on the thread's stack
/// during a poll and never in the future.
pub async fn drops_the_buffer_before_the_await() -> u8 {
    let first = {
        let buffer = [7u8; 1024];
        black_box(&buffer)[0]
    };
    yield_now().await;
    first
}

/// Awaits the buffer-keeping future: the awaited future is stored inside this one.
pub async fn awaits_the_buffer_keeper() -> u8 {
    keeps_a_buffer_across_the_await().await + 1
}

/// Counts down by calling itself. Its own frame would contain itself, so the recursive call
/// lives in a box on the heap, and the future is only a pointer.
pub fn count_down(n: u32) -> Pin<Box<dyn Future<Output = u32>>> {
    Box::pin(async move {
        if n == 0 {
            return 0;
        }
        yield_now().await;
        1 + count_down(n - 1).await
    })
}
// ANCHOR_END: futures

/// The size of each future, in bytes, measured with `std::mem::size_of_val`.
#[derive(Clone, Debug, Serialize)]
pub struct FutureSizes {
    /// `async {}`: nothing but the state (which `.await` it stopped at, or done).
    pub empty: usize,
    /// An empty closure `|| {}`, for comparison: no state at all.
    pub empty_closure: usize,
    pub keeps_a_buffer_across_the_await: usize,
    pub drops_the_buffer_before_the_await: usize,
    pub awaits_the_buffer_keeper: usize,
    pub boxed_recursion: usize,
}

/// Measures every future of this section, without running any of them.
pub fn future_sizes() -> FutureSizes {
    FutureSizes {
        empty: std::mem::size_of_val(&async {}),
        empty_closure: std::mem::size_of_val(&|| {}),
        keeps_a_buffer_across_the_await: std::mem::size_of_val(&keeps_a_buffer_across_the_await()),
        drops_the_buffer_before_the_await: std::mem::size_of_val(
            &drops_the_buffer_before_the_await(),
        ),
        awaits_the_buffer_keeper: std::mem::size_of_val(&awaits_the_buffer_keeper()),
        boxed_recursion: std::mem::size_of_val(&count_down(3)),
    }
}

// ---------------------------------------------------------------------------------------------

fn print_ticker(run: &TickerRun) {
    let who = if run.cruncher_yields {
        "cruncher yields"
    } else {
        "cruncher never yields"
    };
    let ticks: Vec<String> = run.ticks.iter().map(|t| format!("{t:.1}")).collect();
    println!(
        "{:<10} {who:<22} ticks at {}; longest gap {:.1} min; {} ticks while it computed ({:.1} to {:.1})",
        run.runtime,
        ticks.join(" "),
        run.longest_gap,
        run.ticks_during_crunch,
        run.crunch_start,
        run.crunch_end,
    );
}

fn main() {
    let args: Args = cli::parse_or_exit();
    match args.job.job.as_deref() {
        Some("overflow") => overflow_for_real(),
        Some(other) => cli::exit_with_usage_error(&format!("stacks: no job called {other}")),
        None => {}
    }
    let minute = Duration::from_millis(args.story.minute_ms);
    let mut runs = Vec::new();
    for runtime in args.story.runtime.runtimes() {
        for yields in [false, true] {
            runs.push(tick_beside_a_cruncher(runtime, minute, yields));
        }
    }
    let stacks = [measure_stack(SMALL_STACK), measure_stack(LARGE_STACK)];
    let overflow = overflow_in_a_child(&std::env::current_exe().expect("the example's own path"));
    let sizes = future_sizes();

    if args.story.json {
        let line = |kind: &str, value: serde_json::Value| {
            let mut object = serde_json::json!({ "measurement": kind });
            object
                .as_object_mut()
                .unwrap()
                .extend(value.as_object().unwrap().clone());
            println!("{object}");
        };
        for run in &runs {
            line("ticker", serde_json::to_value(run).unwrap());
        }
        for stack in &stacks {
            line("stack", serde_json::to_value(stack).unwrap());
        }
        line("overflow", serde_json::to_value(&overflow).unwrap());
        line("future_sizes", serde_json::to_value(&sizes).unwrap());
        return;
    }

    println!(
        "A ticker (every story minute, {TICKS} ticks) beside {CRUNCH_MINUTES} minutes of computation on one thread; 1 story minute = {} ms",
        args.story.minute_ms
    );
    for run in &runs {
        print_ticker(run);
    }
    println!();
    println!("Recursion on a thread's stack, stopping at three quarters of it:");
    for stack in &stacks {
        println!(
            "{:>5} KiB stack: {} calls deep; {} bytes per call, so about {} calls would fill it",
            stack.stack_bytes / 1024,
            stack.depth,
            stack.frame_bytes,
            stack.capacity
        );
    }
    println!(
        "Recursing without end on a {} KiB stack, a child process {}: {}",
        SMALL_STACK / 1024,
        if overflow.exited_normally {
            "exited"
        } else {
            "was killed"
        },
        overflow.last_words
    );
    println!();
    println!("Future sizes (std::mem::size_of_val), in bytes:");
    let rows = [
        ("async {}", sizes.empty),
        ("|| {} (a closure, for comparison)", sizes.empty_closure),
        (
            "keeps a 1 KiB buffer across its .await",
            sizes.keeps_a_buffer_across_the_await,
        ),
        (
            "drops the buffer before its .await",
            sizes.drops_the_buffer_before_the_await,
        ),
        ("awaits the buffer keeper", sizes.awaits_the_buffer_keeper),
        ("boxed recursion (count_down)", sizes.boxed_recursion),
    ];
    for (what, bytes) in rows {
        println!("{bytes:>6}  {what}");
    }
}
