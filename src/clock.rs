//! The story clock: one story minute lasts a chosen number of real milliseconds.
//!
//! Stories speak in minutes ("the pasta takes 10 minutes"); runs and tests cannot wait that
//! long. A [`StoryClock`] turns story minutes into real durations and back, so the same story
//! runs in 1.5 seconds for a reader (100 ms a minute) and in a third of that in a test.
//!
//! ```
//! use loopbot::StoryClock;
//! use std::time::Duration;
//!
//! let clock = StoryClock::new(Duration::from_millis(20));
//! assert_eq!(clock.minutes(10.0), Duration::from_millis(200));
//! std::thread::sleep(clock.minutes(2.0));
//! let now = clock.now();
//! // At least 2 minutes; a busy machine may wake the thread late, so allow 100 ms more.
//! assert!(now >= 2.0 && now < 7.0, "{now}");
//! ```

use std::time::Duration;

/// Real time, except under tokio's paused test clock, where it follows that clock instead.
/// Outside a paused tokio runtime this is `std::time::Instant` underneath.
use tokio::time::Instant;

/// A clock that reads story minutes since it was started.
#[derive(Clone, Copy, Debug)]
pub struct StoryClock {
    minute: Duration,
    start: Instant,
}

impl StoryClock {
    /// The shortest story minute a command line accepts: 1 ms.
    pub(crate) const MIN_MINUTE_MS: u64 = 1;
    /// The longest story minute a command line accepts: one real hour.
    pub(crate) const MAX_MINUTE_MS: u64 = 3_600_000;

    /// Starts a clock now, with one story minute lasting `minute` of real time.
    ///
    /// # Panics
    /// If `minute` is zero: no story could move forward.
    pub fn new(minute: Duration) -> Self {
        assert!(
            !minute.is_zero(),
            "a story minute must last longer than zero"
        );
        StoryClock {
            minute,
            start: Instant::now(),
        }
    }

    /// The real duration of `story_minutes`.
    pub fn minutes(&self, story_minutes: f64) -> Duration {
        self.minute.mul_f64(story_minutes)
    }

    /// Story minutes since the clock started.
    pub fn now(&self) -> f64 {
        self.to_story_minutes(self.start.elapsed())
    }

    /// Converts a real duration into story minutes.
    pub fn to_story_minutes(&self, real: Duration) -> f64 {
        real.as_secs_f64() / self.minute.as_secs_f64()
    }
}
