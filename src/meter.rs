//! The data collection module: how long a robot works, and how long it waits.
//!
//! A [`Meter`] wraps a future and times every `poll` of it. Time inside `poll` is work: the
//! future holds its thread. Time between polls is waiting: the future has said "wake me later"
//! and the thread is free for something else. That works the same on tokio, async-std, smol or
//! a thread that runs one future on its own, so one meter serves every staff in the book.
//!
//! ```
//! use loopbot::meter::Meter;
//! use std::time::{Duration, Instant};
//!
//! let meter = Meter::new();
//! let started = Instant::now();
//! smol::block_on(meter.track(async {
//!     std::thread::sleep(Duration::from_millis(20)); // work: holds the thread
//!     smol::Timer::after(Duration::from_millis(60)).await; // waiting: the thread is free
//! }));
//! let busy = meter.busy();
//! assert!(busy >= Duration::from_millis(20) && busy < Duration::from_millis(40), "{busy:?}");
//! let idle = meter.idle_fraction(started.elapsed());
//! assert!(idle > 0.5 && idle < 0.8, "{idle}");
//! ```

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::task::{Context, Poll};
use std::time::{Duration, Instant};

/// Busy time and poll count, shared by every future it tracks. Cheap to clone.
#[derive(Clone, Debug, Default)]
pub struct Meter {
    busy_nanos: Arc<AtomicU64>,
    polls: Arc<AtomicU64>,
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

    /// How many times a tracked future was polled.
    pub fn polls(&self) -> u64 {
        self.polls.load(Ordering::Relaxed)
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
        let started = Instant::now();
        let poll = self.future.as_mut().poll(cx);
        let nanos = u64::try_from(started.elapsed().as_nanos()).unwrap_or(u64::MAX);
        self.meter.busy_nanos.fetch_add(nanos, Ordering::Relaxed);
        self.meter.polls.fetch_add(1, Ordering::Relaxed);
        poll
    }
}
// ANCHOR_END: poll
