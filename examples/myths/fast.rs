//! Myth 1, "async makes code fast": computations joined on one thread take the sum of their
//! times, waits joined the same way overlap.

// ANCHOR: spin
use std::time::{Duration, Instant};

/// Keeps the processor busy until `duration` has passed: work, not waiting.
///
/// It watches the clock rather than counting iterations, so it lasts as long on a fast
/// machine as on a slow one.
pub fn spin_for(duration: Duration) {
    let deadline = Instant::now() + duration;
    while Instant::now() < deadline {
        std::hint::spin_loop();
    }
}
// ANCHOR_END: spin

// ANCHOR: fast_tokio
/// Three one-minute computations joined on one thread, then three one-minute sleeps joined
/// the same way. Returns how long each three took.
pub fn compute_then_wait_tokio(minute: Duration) -> (Duration, Duration) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    rt.block_on(async {
        let start = Instant::now();
        let compute = || async move { spin_for(minute) };
        tokio::join!(compute(), compute(), compute());
        let computing = start.elapsed();

        let start = Instant::now();
        let wait = || tokio::time::sleep(minute);
        tokio::join!(wait(), wait(), wait());
        (computing, start.elapsed())
    })
}
// ANCHOR_END: fast_tokio

// ANCHOR: fast_async_std
/// Three one-minute computations joined on one thread, then three one-minute sleeps joined
/// the same way. Returns how long each three took.
pub fn compute_then_wait_async_std(minute: Duration) -> (Duration, Duration) {
    async_std::task::block_on(async {
        let start = Instant::now();
        let compute = || async move { spin_for(minute) };
        futures::join!(compute(), compute(), compute());
        let computing = start.elapsed();

        let start = Instant::now();
        let wait = || async_std::task::sleep(minute);
        futures::join!(wait(), wait(), wait());
        (computing, start.elapsed())
    })
}
// ANCHOR_END: fast_async_std

// ANCHOR: fast_smol
/// Three one-minute computations joined on one thread, then three one-minute sleeps joined
/// the same way. Returns how long each three took.
pub fn compute_then_wait_smol(minute: Duration) -> (Duration, Duration) {
    smol::block_on(async {
        let start = Instant::now();
        let compute = || async move { spin_for(minute) };
        futures::join!(compute(), compute(), compute());
        let computing = start.elapsed();

        let start = Instant::now();
        let wait = || smol::Timer::after(minute);
        futures::join!(wait(), wait(), wait());
        (computing, start.elapsed())
    })
}
// ANCHOR_END: fast_smol
