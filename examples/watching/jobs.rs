//! The evening's three jobs, and how each is watched: a `tracing` span around it, and a
//! `tokio_metrics::TaskMonitor` that times its polls. Both wrap any future, so they work on
//! every runtime; only the spawning differs (main.rs).

use std::time::Duration;

use tokio_metrics::TaskMonitor;
use tracing::Instrument;

/// One robot's job tonight.
#[derive(Clone, Copy, Debug)]
pub struct Job {
    pub robot: &'static str,
    /// Rounds of: wait a minute, then work.
    pub rounds: u32,
    /// CPU work per round, in story minutes.
    pub work: f64,
    /// In which round, if any, a chatty guest holds the robot's thread, and for how many
    /// minutes.
    pub chatty_guest: Option<(u32, f64)>,
}

/// The evening: a GreetBot and a ChefBot that work briefly between waits, and a WaitBot whom a
/// chatty guest holds by the hand for two minutes in its second round.
pub const EVENING: [Job; 3] = [
    Job {
        robot: "GreetBot",
        rounds: 4,
        work: 0.02,
        chatty_guest: None,
    },
    Job {
        robot: "ChefBot",
        rounds: 4,
        work: 0.15,
        chatty_guest: None,
    },
    Job {
        robot: "WaitBot",
        rounds: 4,
        work: 0.02,
        chatty_guest: Some((2, 2.0)),
    },
];

/// A poll longer than this is slow: half a story minute, more than any robot's honest work,
/// holds every other job up.
pub fn slow_poll(minute: Duration) -> Duration {
    minute / 2
}

// ANCHOR: watched
/// The robot's job, inside a span named after it and timed by its own monitor.
pub fn watched<F: std::future::Future>(
    robot: &'static str,
    monitor: TaskMonitor,
    job: F,
) -> impl std::future::Future<Output = F::Output> {
    let span = tracing::info_span!("shift", robot);
    // Both crates name their wrapper `instrument`: say whose is meant.
    TaskMonitor::instrument(&monitor, job.instrument(span))
}
// ANCHOR_END: watched

/// Computing for `cpu`, measured on this thread's CPU clock, so that a busy machine cannot
/// shorten the work (it can only stretch it in wall time).
pub fn compute(cpu: Duration) {
    let start = loopbot::meter::thread_cpu_time();
    while loopbot::meter::thread_cpu_time() - start < cpu {
        std::hint::spin_loop();
    }
}

/// One job's rounds; `wait` is the runtime's own sleep.
pub async fn shift<W, F>(job: Job, minute: Duration, wait: W)
where
    W: Fn(Duration) -> F,
    F: std::future::Future<Output = ()>,
{
    for round in 1..=job.rounds {
        wait(minute).await;
        if let Some((chatty_round, minutes)) = job.chatty_guest
            && chatty_round == round
        {
            tracing::warn!(round, minutes, "a chatty guest holds the thread");
            std::thread::sleep(minute.mul_f64(minutes));
        }
        compute(minute.mul_f64(job.work));
        tracing::info!(round, "done");
    }
}
