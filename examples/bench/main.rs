//! How many guests can one LoopBot serve? What a sleeping task costs on tokio, async-std and
//! smol (and a thread, and a Python asyncio task), how fast tasks start, how long a round trip
//! between two of them takes, how late timers wake, and what one blocking call does to
//! everything else on the thread.
//!
//! ```text
//! cargo run --release --example bench -- --runtime all
//! cargo run --release --example bench --features mimalloc -- --runtime all
//! cargo run --release --example bench -- --runtime smol --max-tasks 10000 --json
//! ```
//!
//! Every figure except the future sizes comes from a fresh process: the example runs itself
//! once per row (with the hidden `--job`), so memory one measurement freed cannot flatter the
//! next. Memory is read from `/proc/self/status` (`VmRSS`, and `VmHWM` for the peak), and the
//! heap from a counting global allocator over the C library's malloc, or over mimalloc in a
//! build with `--features mimalloc`. All tasks run on one thread, as a LoopBot does.
//!
//! The modules, one job each: `sleepers` (the chapter's listings, in each runtime's own API),
//! `measurements` (spawning, round trips, timers, blocking), `sizes` (future sizes),
//! `allocator` (the counting allocator), `rows` (one typed row per figure) and `report` (the
//! tables the chapter shows).

mod allocator;
mod measurements;
mod report;
mod rows;
mod sizes;
mod sleepers;

// The round trips between two threads and between two tasks, shared with the Threads chapter.
#[allow(dead_code)]
#[path = "../threads_cost.rs"]
mod thread_cost;

use std::fmt;
use std::io::IsTerminal;
use std::str::FromStr;

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, RuntimeArgs};
use loopbot::myself::{self, JobArgs};

use rows::{Floor, Row, Who};

/// The counts of sleepers measured, up to `--max-tasks`.
const LADDER: [u32; 4] = [1, 10_000, 100_000, 1_000_000];

#[derive(Parser)]
#[command(about = "How many sleeping tasks one thread can hold, and what each costs")]
struct Args {
    #[command(flatten)]
    story: RuntimeArgs,
    /// The most sleeping tasks to start (1, 10000, 100000, 1000000, up to this many).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_tasks: u32,
    /// The most sleeping threads to start: every thread maps its own stack, and Linux allows
    /// 65530 mappings per process by default (`vm.max_map_count`), so 100000 cannot start.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    max_threads: u32,
    /// How many empty tasks to spawn and join for the spawn throughput.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    spawn_count: u32,
    /// How many round trips to time between two tasks, and between two threads.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    round_trips: u32,
    /// How many 1 ms sleeps to time on each runtime.
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    timer_samples: u32,
    #[command(flatten)]
    job: JobArgs,
}

/// What a job measures.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Measurement {
    Sleepers,
    Smallest,
    Spawn,
    PingPong,
    Timer,
    Blocking,
}

impl Measurement {
    const ALL: [Measurement; 6] = [
        Measurement::Sleepers,
        Measurement::Smallest,
        Measurement::Spawn,
        Measurement::PingPong,
        Measurement::Timer,
        Measurement::Blocking,
    ];

    fn name(self) -> &'static str {
        match self {
            Measurement::Sleepers => "sleepers",
            Measurement::Smallest => "smallest",
            Measurement::Spawn => "spawn",
            Measurement::PingPong => "ping-pong",
            Measurement::Timer => "timer",
            Measurement::Blocking => "blocking",
        }
    }
}

/// One row to measure in a fresh process; `--job` takes it as `measurement:who:count`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Job {
    measurement: Measurement,
    who: Who,
    count: u32,
}

impl fmt::Display for Job {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}:{}", self.measurement.name(), self.who, self.count)
    }
}

impl FromStr for Job {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let [measurement, who, count] = text.split(':').collect::<Vec<_>>()[..] else {
            return Err("expected measurement:who:count".to_string());
        };
        let measurement = Measurement::ALL
            .into_iter()
            .find(|known| known.name() == measurement)
            .ok_or_else(|| format!("unknown measurement '{measurement}'"))?;
        let who = who.parse()?;
        let count = count
            .parse()
            .map_err(|_| "the count must be a whole number".to_string())?;
        Ok(Job {
            measurement,
            who,
            count,
        })
    }
}

/// Measures one row in this process, or says `None` when the job names a pair that has no
/// row (`timer` for threads, say).
fn measure_here(job: Job) -> Option<Row> {
    let Job {
        measurement,
        who,
        count,
    } = job;
    Some(match (measurement, who, who.runtime()) {
        (Measurement::Sleepers, Who::Threads, _) => Row::Sleepers(sleepers::thread_sleepers(count)),
        (Measurement::Sleepers, _, Some(runtime)) => {
            Row::Sleepers(sleepers::sleepers(runtime, count))
        }
        (Measurement::Smallest, _, Some(runtime)) => {
            Row::Smallest(sleepers::smallest_tasks(runtime, count))
        }
        (Measurement::Spawn, Who::Vector, _) => Row::Spawn(measurements::poll_a_vector(count)),
        (Measurement::Spawn, _, Some(runtime)) => {
            Row::Spawn(measurements::spawn_and_join(runtime, count))
        }
        (Measurement::PingPong, Who::Threads, _) | (Measurement::PingPong, _, Some(_)) => {
            Row::PingPong(measurements::ping_pong(who, count))
        }
        (Measurement::Timer, _, Some(runtime)) => {
            Row::Timer(measurements::timer_lateness(runtime, count))
        }
        (Measurement::Blocking, _, Some(runtime)) => Row::Blocking(measurements::blocking(runtime)),
        _ => return None,
    })
}

/// The child's side: parse the job, measure, send the row.
fn run_job(text: &str) {
    let usage = |message: &str| -> ! {
        cli::exit_with_usage_error(&format!("bench: --job {text}: {message}"))
    };
    let job: Job = text
        .parse()
        .unwrap_or_else(|message: String| usage(&message));
    match measure_here(job) {
        Some(row) => myself::send_row(&row),
        None => usage(&format!(
            "nothing to measure for {} with {}",
            job.who,
            job.measurement.name()
        )),
    }
}

/// Runs this example again, in a fresh process, to measure one row; asyncio's sleepers run
/// in `python3` instead.
fn measure_in_a_fresh_process(job: Job) -> Row {
    let mut command = match job {
        Job {
            measurement: Measurement::Sleepers,
            who: Who::Python,
            count,
        } => sleepers::python_sleepers(count),
        _ => myself::myself(&job.to_string()),
    };
    myself::one_json_row("bench", &job.to_string(), &mut command)
}

/// Every row to measure, in the order the report shows them.
fn plan(args: &Args, runtimes: &[Runtime], python: bool) -> Vec<Job> {
    let job = |measurement, who, count| Job {
        measurement,
        who,
        count,
    };
    let mut counts: Vec<u32> = LADDER
        .into_iter()
        .filter(|&count| count <= args.max_tasks)
        .collect();
    if !counts.contains(&args.max_tasks) {
        counts.push(args.max_tasks);
    }
    let runtimes: Vec<Who> = runtimes.iter().map(|&runtime| runtime.into()).collect();
    let mut plan = Vec::new();
    for &count in &counts {
        if count <= args.max_threads {
            plan.push(job(Measurement::Sleepers, Who::Threads, count));
        }
        for &who in &runtimes {
            plan.push(job(Measurement::Sleepers, who, count));
        }
        if python {
            plan.push(job(Measurement::Sleepers, Who::Python, count));
        }
    }
    // Then one row per runtime for each measurement, some after a row without a runtime.
    let smallest = args.max_tasks.min(100_000);
    for (measurement, first, count) in [
        (Measurement::Smallest, None, smallest),
        (Measurement::Spawn, Some(Who::Vector), args.spawn_count),
        (Measurement::PingPong, Some(Who::Threads), args.round_trips),
        (Measurement::Timer, None, args.timer_samples),
        (Measurement::Blocking, None, 1),
    ] {
        for who in first.into_iter().chain(runtimes.iter().copied()) {
            plan.push(job(measurement, who, count));
        }
    }
    plan
}

/// The floor of each runtime, from its smallest tasks and its sleepers at the largest count.
fn floors(rows: &[Row]) -> Vec<Row> {
    let largest = |who: Who, smallest: bool| {
        rows.iter()
            .filter_map(|row| match row {
                Row::Smallest(row) if smallest && row.who == who => Some(row),
                Row::Sleepers(row) if !smallest && row.who == who => Some(row),
                _ => None,
            })
            .max_by_key(|row| row.count)
    };
    Runtime::ALL
        .into_iter()
        .filter_map(|runtime| {
            let who = Who::from(runtime);
            Floor::of(largest(who, true)?, largest(who, false)?)
        })
        .map(Row::Floor)
        .collect()
}

fn main() {
    let args: Args = cli::parse_or_exit();
    if let Some(job) = &args.job.job {
        run_job(job);
        return;
    }
    let runtimes = args.story.runtime.runtimes();
    let plan = plan(&args, &runtimes, sleepers::python_available());
    let progress = std::io::stderr().is_terminal();
    let mut rows = Vec::new();
    for (index, &job) in plan.iter().enumerate() {
        if progress {
            eprint!(
                "\rbench: [{}/{}] {:<40}",
                index + 1,
                plan.len(),
                job.to_string()
            );
        }
        rows.push(measure_in_a_fresh_process(job));
    }
    if progress {
        eprintln!("\rbench: {} rows measured{:<40}", plan.len(), "");
    }
    rows.extend(sizes::future_sizes().into_iter().map(Row::FutureSize));
    rows.extend(floors(&rows));
    if args.story.json {
        for row in &rows {
            myself::send_row(row);
        }
    } else {
        report::print(&rows, allocator::NAME);
    }
}
