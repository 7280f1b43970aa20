//! The data collection module: how long a robot works, and how long it waits.
//!
//! A [`Meter`] wraps a future and times every `poll` of it. Time inside `poll` is work: the
//! future holds its thread. Time between polls is waiting: the future has said "wake me later"
//! and the thread is free for something else. That works the same on tokio, async-std, smol or
//! a thread that runs one future on its own, so one meter serves every staff in the book.
//!
//! The meter reads the thread's own CPU clock, not the wall clock: it advances only while the
//! thread runs on a core. On a busy machine a poll may wait for a core in the middle of its
//! work; a wall clock would count that wait as work, and the robots would seem to work more the
//! busier the machine. The CPU clock counts only the work, so load can make a robot look more
//! idle, never less.
//!
//! ```
//! use loopbot::meter::Meter;
//! use std::time::{Duration, Instant};
//!
//! let meter = Meter::new();
//! let started = Instant::now();
//! smol::block_on(meter.track(async {
//!     // Work: 20 ms of computing, which holds the thread.
//!     let deadline = Instant::now() + Duration::from_millis(20);
//!     while Instant::now() < deadline {
//!         std::hint::spin_loop();
//!     }
//!     // Waiting: the thread is free (and a blocked thread uses no CPU at all).
//!     smol::Timer::after(Duration::from_millis(200)).await;
//!     std::thread::sleep(Duration::from_millis(20));
//! }));
//! // At most the 20 ms of computing (less if the machine kept the thread off its core).
//! assert!(meter.busy() < Duration::from_millis(20 + 50), "{:?}", meter.busy());
//! let idle = meter.idle_fraction(started.elapsed());
//! assert!(idle >= 0.7, "{idle}");
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::Duration;

/// Busy time, shared by every future it tracks. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Meter {
    busy_nanos: Arc<AtomicU64>,
}

impl Meter {
    /// A meter that has measured nothing yet.
    pub fn new() -> Self {
        Meter::default()
    }

    /// Wraps `future` so that every poll of it is timed into this meter.
    pub fn track<F: Future>(&self, future: F) -> Metered<F> {
        Metered {
            future: Box::pin(future),
            meter: self.clone(),
        }
    }

    /// Time spent inside `poll`, summed over everything this meter tracks.
    pub fn busy(&self) -> Duration {
        Duration::from_nanos(self.busy_nanos.load(Ordering::Relaxed))
    }

    /// The share of `wall` that was not busy: 0.97 means idle 97% of the time.
    pub fn idle_fraction(&self, wall: Duration) -> f64 {
        if wall.is_zero() {
            return 1.0;
        }
        (1.0 - self.busy().as_secs_f64() / wall.as_secs_f64()).max(0.0)
    }
}

/// A future whose polls are timed into a [`Meter`]; made by [`Meter::track`].
pub struct Metered<F> {
    future: Pin<Box<F>>,
    meter: Meter,
}

// ANCHOR: poll
impl<F: Future> Future for Metered<F> {
    type Output = F::Output;

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<F::Output> {
        let started = thread_cpu_time();
        let poll = self.future.as_mut().poll(cx);
        let worked = thread_cpu_time().saturating_sub(started);
        let nanos = u64::try_from(worked.as_nanos()).unwrap_or(u64::MAX);
        self.meter.busy_nanos.fetch_add(nanos, Ordering::Relaxed);
        poll
    }
}
// ANCHOR_END: poll

/// The CPU time the calling thread has used so far: it advances only while the thread runs.
// ANCHOR: cpu_clock
pub fn thread_cpu_time() -> Duration {
    let mut now = libc::timespec {
        tv_sec: 0,
        tv_nsec: 0,
    };
    // SAFETY: clock_gettime writes one timespec through the pointer, which is valid.
    let status = unsafe { libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut now) };
    assert_eq!(status, 0, "this system has a per-thread CPU clock");
    Duration::new(now.tv_sec as u64, now.tv_nsec as u32)
}
// ANCHOR_END: cpu_clock
