//! Watching a LoopBot at work: one evening on one thread, seen three ways at once. `tracing`
//! spans say who did what (`--trace`, on standard error); tokio-metrics' `TaskMonitor` times
//! every poll of every job in wall time; the book's meter times the same polls on the thread's
//! CPU clock. On tokio, the runtime's own busy time is read too.
//!
//! ```text
//! cargo run --example watching -- --runtime all
//! cargo run --example watching -- --trace
//! ```

mod jobs;

use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, StoryArgs};
use loopbot::meter::Meter;
use serde::{Deserialize, Serialize};
use tokio_metrics::TaskMonitor;

use jobs::{EVENING, Job};

#[derive(Parser)]
#[command(about = "One evening on one thread, watched by tracing, tokio-metrics and the meter")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// Print the tracing spans and events of the evening on standard error.
    #[arg(long)]
    trace: bool,
}

/// What one robot's job looked like, three ways.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Robot {
    pub robot: String,
    /// The meter: CPU time inside the job's polls.
    pub meter_ms: f64,
    /// tokio-metrics: how many polls, and their wall time.
    pub polls: u64,
    pub poll_ms: f64,
    /// tokio-metrics: polls longer than the slow-poll threshold, and their wall time.
    pub slow_polls: u64,
    pub slow_poll_ms: f64,
}

/// One evening on one runtime.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Evening {
    pub runtime: String,
    pub minute_ms: u64,
    pub slow_poll_ms: f64,
    pub robots: Vec<Robot>,
    /// tokio's own busy time for its one worker; none on async-std and smol.
    pub worker_busy_ms: Option<f64>,
    /// How long the machine kept the evening's thread ready to run but waiting for a core
    /// (Linux's `run_delay`): the only wall time a poll can spend beyond its CPU time and its
    /// blocking.
    pub waited_for_core_ms: f64,
    pub wall_ms: f64,
}

fn ms(duration: Duration) -> f64 {
    duration.as_secs_f64() * 1000.0
}

/// Each robot's job, wrapped: the meter outside, then the monitor and the span (jobs.rs).
type Watched = (Job, Meter, TaskMonitor);

fn watchers(minute: Duration) -> Vec<Watched> {
    EVENING
        .iter()
        .map(|&job| {
            let mut monitor = TaskMonitor::builder();
            monitor.with_slow_poll_threshold(jobs::slow_poll(minute));
            let monitor = monitor.build();
            (job, Meter::new(), monitor)
        })
        .collect()
}

/// The evening on `runtime`; returns tokio's worker busy time where there is one.
fn run(runtime: Runtime, minute: Duration, watched: &[Watched]) -> Option<Duration> {
    match runtime {
        Runtime::Tokio => {
            let tokio = tokio::runtime::Builder::new_current_thread()
                .enable_time()
                .build()
                .expect("a tokio runtime");
            tokio.block_on(async {
                let shifts: Vec<_> = (watched.iter())
                    .map(|(job, meter, monitor)| {
                        let shift = jobs::shift(*job, minute, tokio::time::sleep);
                        tokio::spawn(meter.track(jobs::watched(job.robot, monitor.clone(), shift)))
                    })
                    .collect();
                for shift in shifts {
                    shift.await.expect("a shift ends");
                }
            });
            Some(tokio.metrics().worker_total_busy_duration(0))
        }
        Runtime::AsyncStd => {
            let sleep = |d| async move { async_std::task::sleep(d).await };
            let shifts = watched.iter().map(|(job, meter, monitor)| {
                meter.track(jobs::watched(
                    job.robot,
                    monitor.clone(),
                    jobs::shift(*job, minute, sleep),
                ))
            });
            async_std::task::block_on(futures::future::join_all(shifts));
            None
        }
        Runtime::Smol => {
            let sleep = |d| async move {
                smol::Timer::after(d).await;
            };
            let shifts = watched.iter().map(|(job, meter, monitor)| {
                meter.track(jobs::watched(
                    job.robot,
                    monitor.clone(),
                    jobs::shift(*job, minute, sleep),
                ))
            });
            smol::block_on(futures::future::join_all(shifts));
            None
        }
    }
}

/// The time this thread has spent ready to run but waiting for a core, from the second field
/// of `/proc/thread-self/schedstat`.
fn waited_for_a_core() -> Duration {
    let schedstat = std::fs::read_to_string("/proc/thread-self/schedstat")
        .expect("Linux reports each thread's scheduling statistics");
    let waited = schedstat
        .split_whitespace()
        .nth(1)
        .expect("a run_delay field");
    Duration::from_nanos(waited.parse().expect("run_delay is a count of nanoseconds"))
}

fn evening(runtime: Runtime, minute: Duration) -> Evening {
    let watched = watchers(minute);
    let (start, waited) = (Instant::now(), waited_for_a_core());
    let worker_busy = run(runtime, minute, &watched);
    let (wall, waited) = (start.elapsed(), waited_for_a_core() - waited);
    let robots = (watched.iter())
        .map(|(job, meter, monitor)| {
            let seen = monitor.cumulative();
            Robot {
                robot: job.robot.to_string(),
                meter_ms: ms(meter.busy()),
                polls: seen.total_poll_count,
                poll_ms: ms(seen.total_poll_duration),
                slow_polls: seen.total_slow_poll_count,
                slow_poll_ms: ms(seen.total_slow_poll_duration),
            }
        })
        .collect();
    Evening {
        runtime: runtime.name().to_string(),
        minute_ms: minute.as_millis() as u64,
        slow_poll_ms: ms(jobs::slow_poll(minute)),
        robots,
        worker_busy_ms: worker_busy.map(ms),
        waited_for_core_ms: ms(waited),
        wall_ms: ms(wall),
    }
}

fn print(evening: &Evening) {
    println!(
        "{}: one evening on one thread, {:.0} ms in all (1 story minute = {} ms)",
        evening.runtime, evening.wall_ms, evening.minute_ms
    );
    println!(
        "  robot      meter (CPU)  polls  poll time  slow polls (> {:.0} ms)",
        evening.slow_poll_ms
    );
    for r in &evening.robots {
        println!(
            "  {:<9} {:>8.1} ms  {:>5}  {:>6.1} ms  {:>3}, {:.1} ms",
            r.robot, r.meter_ms, r.polls, r.poll_ms, r.slow_polls, r.slow_poll_ms
        );
    }
    let meter: f64 = evening.robots.iter().map(|r| r.meter_ms).sum();
    let polls: f64 = evening.robots.iter().map(|r| r.poll_ms).sum();
    let worker = match evening.worker_busy_ms {
        Some(busy) => format!("tokio's worker busy {busy:.1} ms"),
        None => "no runtime metrics".to_string(),
    };
    println!("  whole thread: meter {meter:.1} ms, polls {polls:.1} ms, {worker}");
    println!(
        "  waiting for a core: {:.1} ms (the machine's load)",
        evening.waited_for_core_ms
    );
    if let Some(slowest) = (evening.robots.iter())
        .filter(|r| r.slow_polls > 0)
        .max_by(|a, b| a.slow_poll_ms.total_cmp(&b.slow_poll_ms))
    {
        println!(
            "  the slowest polls: {}'s, {:.1} ms in {} poll(s), of which the meter saw {:.1} ms of CPU",
            slowest.robot, slowest.slow_poll_ms, slowest.slow_polls, slowest.meter_ms
        );
    }
}

fn main() {
    let args: Args = cli::parse_or_exit();
    if args.trace {
        tracing_subscriber::fmt()
            .with_writer(std::io::stderr)
            // When a span closes, it says how long it was entered (busy) and not (idle).
            .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
            .with_timer(tracing_subscriber::fmt::time::uptime())
            .with_target(false)
            .init();
    }
    let minute = Duration::from_millis(args.story.minute_ms);
    for runtime in args.story.runtime.runtimes() {
        let evening = evening(runtime, minute);
        if args.story.json {
            println!(
                "{}",
                serde_json::to_string(&evening).expect("an evening is JSON")
            );
        } else {
            print(&evening);
        }
    }
}
