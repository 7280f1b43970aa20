//! The first race: a guest's long story against the soufflé timer. The WaitBot listens until
//! one of them is done; the other is dropped where it stood. A guard inside the story says
//! whether the story reached its end or was dropped before it.

use std::cell::Cell;
use std::time::{Duration, Instant};

// ANCHOR: listening
/// The guest's story: a sentence every 5 minutes, 4 sentences, 20 minutes in all.
const SENTENCES: u32 = 4;
const MINUTES_PER_SENTENCE: u32 = 5;
/// The soufflé must leave the oven at minute 12.
const SOUFFLE_DUE: u32 = 12;

/// Held by the story while it is told. If the story is dropped before its last sentence, this
/// is dropped with it, and its `drop` runs there and then.
struct Listening<'a> {
    finished: bool,
    cut_off: &'a Cell<bool>,
}

impl Drop for Listening<'_> {
    fn drop(&mut self) {
        if !self.finished {
            self.cut_off.set(true); // the guest is cut off mid-story
        }
    }
}
// ANCHOR_END: listening

/// What one race showed.
#[derive(Clone, Copy, Debug)]
pub struct Race {
    /// Who finished first: "the soufflé timer" or "the guest".
    pub winner: &'static str,
    /// When the race ended, in story minutes.
    pub ended_at: f64,
    /// How many sentences the guest got out.
    pub sentences: u32,
    /// Whether the story's guard was dropped before the story's end.
    pub cut_off: bool,
}

/// `real` in story minutes.
fn minutes(real: Duration, minute: Duration) -> f64 {
    real.as_secs_f64() / minute.as_secs_f64()
}

// ANCHOR: race_tokio
/// Tells the story, counting the sentences in `said`.
async fn story_tokio(minute: Duration, said: &Cell<u32>, cut_off: &Cell<bool>) {
    let mut listening = Listening {
        finished: false,
        cut_off,
    };
    for _ in 0..SENTENCES {
        tokio::time::sleep(MINUTES_PER_SENTENCE * minute).await; // dropped here, if at all
        said.set(said.get() + 1);
    }
    listening.finished = true;
}

/// The story against the timer: whichever finishes first wins, and the other is dropped.
async fn race_tokio(minute: Duration, said: &Cell<u32>, cut_off: &Cell<bool>) -> &'static str {
    tokio::select! {
        () = story_tokio(minute, said, cut_off) => "the guest",
        () = tokio::time::sleep(SOUFFLE_DUE * minute) => "the soufflé timer",
    }
}
// ANCHOR_END: race_tokio

/// The tokio race, for a test that runs it on a paused clock.
pub async fn race_on_tokio(
    minute: Duration,
    said: &Cell<u32>,
    cut_off: &Cell<bool>,
) -> &'static str {
    race_tokio(minute, said, cut_off).await
}

/// Runs the race on a current-thread tokio runtime.
pub fn on_tokio(minute: Duration) -> Race {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    let (said, cut_off, start) = (Cell::new(0), Cell::new(false), Instant::now());
    let winner = runtime.block_on(race_tokio(minute, &said, &cut_off));
    Race {
        winner,
        ended_at: minutes(start.elapsed(), minute),
        sentences: said.get(),
        cut_off: cut_off.get(),
    }
}

// ANCHOR: race_async_std
/// Tells the story, counting the sentences in `said`.
async fn story_async_std(minute: Duration, said: &Cell<u32>, cut_off: &Cell<bool>) {
    let mut listening = Listening {
        finished: false,
        cut_off,
    };
    for _ in 0..SENTENCES {
        async_std::task::sleep(MINUTES_PER_SENTENCE * minute).await; // dropped here, if at all
        said.set(said.get() + 1);
    }
    listening.finished = true;
}

/// The story against the timer. `select` hands the loser back; dropping it cancels it.
async fn race_async_std(minute: Duration, said: &Cell<u32>, cut_off: &Cell<bool>) -> &'static str {
    use futures::future::{Either, select};
    // Boxed, so that `select` owns the futures and hands the loser itself back.
    let story = Box::pin(story_async_std(minute, said, cut_off));
    let timer = Box::pin(async_std::task::sleep(SOUFFLE_DUE * minute));
    match select(story, timer).await {
        Either::Left(((), _timer)) => "the guest",
        Either::Right(((), story)) => {
            drop(story); // the story, and its Listening guard, are dropped here
            "the soufflé timer"
        }
    }
}
// ANCHOR_END: race_async_std

/// Runs the race inside async-std's `block_on`, on the calling thread.
pub fn on_async_std(minute: Duration) -> Race {
    let (said, cut_off, start) = (Cell::new(0), Cell::new(false), Instant::now());
    let winner = async_std::task::block_on(race_async_std(minute, &said, &cut_off));
    Race {
        winner,
        ended_at: minutes(start.elapsed(), minute),
        sentences: said.get(),
        cut_off: cut_off.get(),
    }
}

// ANCHOR: race_smol
/// Tells the story, counting the sentences in `said`.
async fn story_smol(minute: Duration, said: &Cell<u32>, cut_off: &Cell<bool>) {
    let mut listening = Listening {
        finished: false,
        cut_off,
    };
    for _ in 0..SENTENCES {
        smol::Timer::after(MINUTES_PER_SENTENCE * minute).await; // dropped here, if at all
        said.set(said.get() + 1);
    }
    listening.finished = true;
}

/// The story against the timer: `or` gives the first one's output and drops both.
async fn race_smol(minute: Duration, said: &Cell<u32>, cut_off: &Cell<bool>) -> &'static str {
    let story = async {
        story_smol(minute, said, cut_off).await;
        "the guest"
    };
    let timer = async {
        smol::Timer::after(SOUFFLE_DUE * minute).await;
        "the soufflé timer"
    };
    smol::future::or(story, timer).await
}
// ANCHOR_END: race_smol

/// Runs the race inside smol's `block_on`, on the calling thread.
pub fn on_smol(minute: Duration) -> Race {
    let (said, cut_off, start) = (Cell::new(0), Cell::new(false), Instant::now());
    let winner = smol::block_on(race_smol(minute, &said, &cut_off));
    Race {
        winner,
        ended_at: minutes(start.elapsed(), minute),
        sentences: said.get(),
        cut_off: cut_off.get(),
    }
}
