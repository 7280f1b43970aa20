//! Stacks and frames, measured: a CPU-bound task holding a ticker back (or not, when it yields),
//! a coroutine written three ways, how deep recursion goes on a small and a larger thread stack,
//! how big futures are, three tasks taking turns on one thread, and two tasks meeting on two.
//!
//! ```text
//! cargo run --example stacks -- --runtime all
//! cargo run --example stacks -- --runtime smol --minute-ms 20
//! cargo run --example stacks -- --json
//! ```
//!
//! Each experiment lives in a module of its own, written in each runtime's own API where it
//! needs a runtime; the book's chapters "Stacks and Frames" and "Event Loops and Tasks" include
//! them by anchor:
//!
//! - `cpu_bound.rs`: a ticker beside a cruncher on one thread;
//! - `coroutine.rs`: one computation as a subroutine, a hand-written coroutine and an `async fn`;
//! - `call_stack.rs`: recursion on thread stacks, and a real overflow in a child process;
//! - `future_size.rs`: what a future holds, and recursion through a box;
//! - `rounds.rs`: three tasks sharing an `Rc` on one thread, with and without yielding;
//! - `parallel.rs`: two tasks that can only meet if they run at the same moment;
//! - this file: the command line, the one place that picks a runtime's version of each
//!   experiment, and the report. `tests/stacks.rs` includes it and checks every claim.

pub mod call_stack;
pub mod coroutine;
pub mod cpu_bound;
pub mod future_size;
pub mod parallel;
pub mod rounds;

use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, StoryArgs};
use loopbot::myself::JobArgs;
use serde::Serialize;
use serde_json::json;

pub use call_stack::{
    LARGE_STACK, Overflow, SMALL_STACK, StackDepth, measure_stack, overflow_in_a_child,
};
pub use coroutine::{ThreeSteps, ThreeWays, three_ways};
pub use cpu_bound::{CRUNCH_MINUTES, TICKS};
pub use future_size::{FutureSizes, future_sizes};

/// How long the ticker waits between ticks, in story minutes.
pub const TICK_MINUTES: f64 = 1.0;

#[derive(Parser)]
#[command(
    about = "Measure a CPU-bound task beside a ticker, coroutines, thread stacks, future sizes, and tasks on one thread and on two"
)]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// The one job a fresh copy of this example can do: `overflow`, recursing without end on a
    /// small stack, so that the parent can watch the process die.
    #[command(flatten)]
    job: JobArgs,
}

/// What the ticker saw while a cruncher computed beside it on the same thread, in story minutes.
#[derive(Clone, Debug, Serialize)]
pub struct TickerRun {
    pub runtime: String,
    /// Whether the cruncher called `yield_now` between slices of its work.
    pub cruncher_yields: bool,
    /// When each tick happened, in story minutes since the start.
    pub ticks: Vec<f64>,
    /// When the cruncher started and stopped computing.
    pub crunch_start: f64,
    pub crunch_end: f64,
    /// The longest wait between two ticks: 1 when nobody holds the thread.
    pub longest_gap: f64,
    /// How many ticks happened while the cruncher was computing.
    pub ticks_during_crunch: usize,
}

/// Runs `runtime`'s ticker beside its cruncher, and reads the timings in story minutes.
pub fn tick_beside_a_cruncher(runtime: Runtime, minute: Duration, yields: bool) -> TickerRun {
    let start = Instant::now();
    let timings = match runtime {
        Runtime::Tokio => cpu_bound::tick_beside_a_cruncher_tokio(minute, yields),
        Runtime::AsyncStd => cpu_bound::tick_beside_a_cruncher_async_std(minute, yields),
        Runtime::Smol => cpu_bound::tick_beside_a_cruncher_smol(minute, yields),
    };
    let minutes = |at: Instant| (at - start).as_secs_f64() / minute.as_secs_f64();
    let ticks: Vec<f64> = timings.ticks.iter().map(|&at| minutes(at)).collect();
    let (crunch_start, crunch_end) = (minutes(timings.crunch.start), minutes(timings.crunch.end));
    TickerRun {
        runtime: runtime.name().to_string(),
        cruncher_yields: yields,
        longest_gap: ticks
            .windows(2)
            .map(|pair| pair[1] - pair[0])
            .fold(0.0, f64::max),
        ticks_during_crunch: ticks
            .iter()
            .filter(|&&t| t > crunch_start && t < crunch_end)
            .count(),
        ticks,
        crunch_start,
        crunch_end,
    }
}

/// Runs `runtime`'s three tasks A, B and C on one thread; returns their log, `A1 B1 ...`.
pub fn three_tasks(runtime: Runtime, yields: bool) -> String {
    let log = match runtime {
        Runtime::Tokio => rounds::three_tasks_tokio(yields),
        Runtime::AsyncStd => rounds::three_tasks_async_std(yields),
        Runtime::Smol => rounds::three_tasks_smol(yields),
    };
    log.join(" ")
}

/// Runs `runtime`'s two meeting tasks on two threads, then on one: whether each met the other.
pub fn meetings(runtime: Runtime) -> [(bool, bool); 2] {
    match runtime {
        Runtime::Tokio => parallel::meet_tokio(),
        Runtime::AsyncStd => parallel::meet_async_std(),
        Runtime::Smol => parallel::meet_smol(),
    }
}

/// Everything one run of the example measured, in the order the chapters tell it.
struct Report {
    tickers: Vec<TickerRun>,
    three_ways: ThreeWays,
    stacks: [StackDepth; 2],
    overflow: Overflow,
    sizes: FutureSizes,
    /// For each runtime: its name, the log with yields, the log without.
    rounds: Vec<(Runtime, String, String)>,
    meetings: Vec<(Runtime, [(bool, bool); 2])>,
}

impl Report {
    fn measure(runtimes: &[Runtime], minute: Duration) -> Report {
        let tickers = runtimes
            .iter()
            .flat_map(|&runtime| [false, true].map(|y| tick_beside_a_cruncher(runtime, minute, y)))
            .collect();
        let example = std::env::current_exe().expect("the example's own path");
        Report {
            tickers,
            three_ways: three_ways(),
            stacks: [measure_stack(SMALL_STACK), measure_stack(LARGE_STACK)],
            overflow: overflow_in_a_child(&example),
            sizes: future_sizes(),
            rounds: runtimes
                .iter()
                .map(|&r| (r, three_tasks(r, true), three_tasks(r, false)))
                .collect(),
            meetings: runtimes.iter().map(|&r| (r, meetings(r))).collect(),
        }
    }

    /// One JSON object per measurement, each naming its kind in `measurement`.
    fn print_json(&self) {
        let line = |kind: &str, mut object: serde_json::Value| {
            object["measurement"] = json!(kind);
            println!("{object}");
        };
        for run in &self.tickers {
            line(
                "ticker",
                serde_json::to_value(run).expect("a run serializes"),
            );
        }
        let ThreeWays {
            answers,
            by_hand,
            by_the_compiler,
            subroutine,
        } = &self.three_ways;
        line(
            "three_ways",
            json!({
                "answers": answers,
                "by_hand": by_hand,
                "by_the_compiler": by_the_compiler,
                "subroutine": subroutine,
            }),
        );
        for stack in &self.stacks {
            line("stack", stack_json(stack));
        }
        let overflow = &self.overflow;
        line(
            "overflow",
            json!({
                "exited_normally": overflow.exited_normally,
                "last_words": overflow.last_words,
            }),
        );
        line("future_sizes", sizes_json(&self.sizes));
        for (runtime, with, without) in &self.rounds {
            line(
                "rounds",
                json!({
                    "runtime": runtime.name(),
                    "yielding": with,
                    "not_yielding": without,
                }),
            );
        }
        for (runtime, [two, one]) in &self.meetings {
            line(
                "meeting",
                json!({
                    "runtime": runtime.name(),
                    "two_threads": [two.0, two.1],
                    "one_thread": [one.0, one.1],
                }),
            );
        }
    }

    /// The readable account: one section per experiment.
    fn print_readable(&self, minute_ms: u64) {
        println!(
            "A ticker (every story minute, {TICKS} ticks) beside {CRUNCH_MINUTES} minutes of computation on one thread; 1 story minute = {minute_ms} ms"
        );
        for run in &self.tickers {
            print_ticker(run);
        }
        println!();
        println!("One computation three ways (the hand-written coroutine's log):");
        for line in &self.three_ways.by_hand {
            println!("  {line}");
        }
        let [by_hand, by_the_compiler, subroutine] = self.three_ways.answers;
        println!(
            "  answers: coroutine by hand {by_hand}, async fn {by_the_compiler}, subroutine {subroutine}"
        );
        println!();
        self.print_stacks();
        println!();
        print_sizes(&self.sizes);
        println!();
        println!("Three tasks on one thread, sharing an Rc:");
        for (runtime, with, without) in &self.rounds {
            println!(
                "{:<10} yielding: {with}; not yielding: {without}",
                runtime.name()
            );
        }
        println!();
        println!("Two tasks meeting (did each see the other arrive?):");
        for (runtime, [two, one]) in &self.meetings {
            println!(
                "{:<10} on two threads: {two:?}; on one thread: {one:?}",
                runtime.name()
            );
        }
    }

    fn print_stacks(&self) {
        println!("Recursion on a thread's stack, stopping at three quarters of it:");
        for stack in &self.stacks {
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
            if self.overflow.exited_normally {
                "exited"
            } else {
                "was killed"
            },
            self.overflow.last_words
        );
    }
}

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

fn print_sizes(sizes: &FutureSizes) {
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
        ("count_down(3), boxing its call", sizes.count_down),
        ("  the Pin<Box<...>> inside it", sizes.box_of_a_known_future),
        (
            "count_down_boxed(3), a Pin<Box<dyn Future>>",
            sizes.count_down_boxed,
        ),
    ];
    for (what, bytes) in rows {
        println!("{bytes:>6}  {what}");
    }
}

fn stack_json(stack: &StackDepth) -> serde_json::Value {
    json!({
        "stack_bytes": stack.stack_bytes,
        "depth": stack.depth,
        "frame_bytes": stack.frame_bytes,
        "capacity": stack.capacity,
    })
}

fn sizes_json(sizes: &FutureSizes) -> serde_json::Value {
    json!({
        "empty": sizes.empty,
        "empty_closure": sizes.empty_closure,
        "keeps_a_buffer_across_the_await": sizes.keeps_a_buffer_across_the_await,
        "drops_the_buffer_before_the_await": sizes.drops_the_buffer_before_the_await,
        "awaits_the_buffer_keeper": sizes.awaits_the_buffer_keeper,
        "count_down": sizes.count_down,
        "box_of_a_known_future": sizes.box_of_a_known_future,
        "count_down_boxed": sizes.count_down_boxed,
    })
}

fn main() {
    let args: Args = cli::parse_or_exit();
    match args.job.job.as_deref() {
        Some("overflow") => call_stack::overflow_for_real(),
        Some(other) => cli::exit_with_usage_error(&format!("stacks: no job called {other}")),
        None => {}
    }
    let minute = Duration::from_millis(args.story.minute_ms);
    let report = Report::measure(&args.story.runtime.runtimes(), minute);
    if args.story.json {
        report.print_json();
    } else {
        report.print_readable(args.story.minute_ms);
    }
}
