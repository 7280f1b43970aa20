//! CPU-bound beside IO-bound: a ticker that wants to tick every story minute, and a cruncher
//! that computes for 4 story minutes, on one thread. The cruncher either never yields or calls
//! its runtime's `yield_now` every 100 µs.

// ANCHOR: compute
use std::ops::Range;
use std::time::{Duration, Instant};

/// How many times the ticker ticks, one story minute apart.
pub const TICKS: usize = 6;
/// How many story minutes the cruncher computes.
pub const CRUNCH_MINUTES: u32 = 4;
/// How long the cruncher computes between two chances for others to run.
const SLICE: Duration = Duration::from_micros(100);

/// Keeps the CPU busy until `deadline`: the work needs the processor, not a timer, and takes
/// as long on a fast machine as on a slow one.
fn compute_until(deadline: Instant) {
    while Instant::now() < deadline {
        std::hint::spin_loop();
    }
}

/// What one run saw: when the ticker ticked, and when the cruncher computed.
pub struct Timings {
    pub ticks: Vec<Instant>,
    pub crunch: Range<Instant>,
}
// ANCHOR_END: compute

// ANCHOR: tokio
/// Computes for `duration`; if `yields`, it lets others run after every slice.
async fn crunch_tokio(duration: Duration, yields: bool) -> Range<Instant> {
    let start = Instant::now();
    let deadline = start + duration;
    while Instant::now() < deadline {
        compute_until((Instant::now() + SLICE).min(deadline));
        if yields {
            tokio::task::yield_now().await;
        }
    }
    start..Instant::now()
}

/// Ticks [`TICKS`] times, a `minute` apart, and notes when.
async fn tick_tokio(minute: Duration) -> Vec<Instant> {
    let mut ticks = vec![Instant::now()];
    for _ in 1..TICKS {
        tokio::time::sleep(minute).await;
        ticks.push(Instant::now());
    }
    ticks
}

/// The ticker and the cruncher, joined on one thread, the ticker first.
pub fn tick_beside_a_cruncher_tokio(minute: Duration, yields: bool) -> Timings {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    runtime.block_on(async {
        let cruncher = crunch_tokio(CRUNCH_MINUTES * minute, yields);
        let (ticks, crunch) = tokio::join!(tick_tokio(minute), cruncher);
        Timings { ticks, crunch }
    })
}
// ANCHOR_END: tokio

// ANCHOR: async_std
/// Computes for `duration`; if `yields`, it lets others run after every slice.
async fn crunch_async_std(duration: Duration, yields: bool) -> Range<Instant> {
    let start = Instant::now();
    let deadline = start + duration;
    while Instant::now() < deadline {
        compute_until((Instant::now() + SLICE).min(deadline));
        if yields {
            async_std::task::yield_now().await;
        }
    }
    start..Instant::now()
}

/// Ticks [`TICKS`] times, a `minute` apart, and notes when.
async fn tick_async_std(minute: Duration) -> Vec<Instant> {
    let mut ticks = vec![Instant::now()];
    for _ in 1..TICKS {
        async_std::task::sleep(minute).await;
        ticks.push(Instant::now());
    }
    ticks
}

/// The ticker and the cruncher, joined on one thread, the ticker first.
pub fn tick_beside_a_cruncher_async_std(minute: Duration, yields: bool) -> Timings {
    async_std::task::block_on(async {
        let cruncher = crunch_async_std(CRUNCH_MINUTES * minute, yields);
        // async-std has no join of its own outside its "unstable" feature: the futures crate's.
        let (ticks, crunch) = futures::join!(tick_async_std(minute), cruncher);
        Timings { ticks, crunch }
    })
}
// ANCHOR_END: async_std

// ANCHOR: smol
/// Computes for `duration`; if `yields`, it lets others run after every slice.
async fn crunch_smol(duration: Duration, yields: bool) -> Range<Instant> {
    let start = Instant::now();
    let deadline = start + duration;
    while Instant::now() < deadline {
        compute_until((Instant::now() + SLICE).min(deadline));
        if yields {
            smol::future::yield_now().await;
        }
    }
    start..Instant::now()
}

/// Ticks [`TICKS`] times, a `minute` apart, and notes when.
async fn tick_smol(minute: Duration) -> Vec<Instant> {
    let mut ticks = vec![Instant::now()];
    for _ in 1..TICKS {
        smol::Timer::after(minute).await;
        ticks.push(Instant::now());
    }
    ticks
}

/// The ticker and the cruncher, two tasks on an executor that runs on this thread only.
pub fn tick_beside_a_cruncher_smol(minute: Duration, yields: bool) -> Timings {
    let executor = smol::LocalExecutor::new();
    smol::block_on(executor.run(async {
        let ticker = executor.spawn(tick_smol(minute));
        let cruncher = executor.spawn(crunch_smol(CRUNCH_MINUTES * minute, yields));
        let crunch = cruncher.await;
        Timings {
            ticks: ticker.await,
            crunch,
        }
    }))
}
// ANCHOR_END: smol
