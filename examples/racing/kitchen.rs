//! Timeouts that must not lose work. The WaitBot gives the soufflé 3 minutes before it goes to
//! serve other tables; the soufflé takes 5. Put the timeout on the baking itself, and the
//! baking is dropped at minute 3: the oven goes off and no soufflé ever comes. Hand the baking
//! to a task and put the timeout on the wait for it, and the baking goes on without a waiter:
//! the WaitBot comes back for the soufflé and gets it at minute 5.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

// ANCHOR: oven
/// The soufflé bakes for 5 minutes; the WaitBot waits for it for 3.
const BAKING_MINUTES: u32 = 5;
const PATIENCE_MINUTES: u32 = 3;

/// Held while the soufflé bakes. If the baking is dropped before the soufflé is done, this is
/// dropped with it, and the oven goes off.
struct Oven {
    done: bool,
    switched_off_early: Arc<AtomicBool>,
}

impl Drop for Oven {
    fn drop(&mut self) {
        if !self.done {
            // The soufflé is half-baked.
            self.switched_off_early.store(true, Ordering::SeqCst);
        }
    }
}

/// Where the timeout goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Patience {
    /// On the baking itself: when time is up, the baking is dropped.
    WithTheWork,
    /// On the wait for a task that bakes: when time is up, only the wait is dropped.
    WithTheWait,
}

/// What the WaitBot saw: when it stopped waiting, if it did, and when the soufflé was served,
/// if it was.
#[derive(Default)]
struct Waited {
    gave_up: Option<Duration>,
    served: Option<Duration>,
}
// ANCHOR_END: oven

/// What one evening in the kitchen showed, in story minutes.
#[derive(Clone, Copy, Debug)]
pub struct Kitchen {
    /// When the WaitBot stopped waiting, if it had to.
    pub gave_up_at: Option<f64>,
    /// When the soufflé was served, if ever.
    pub served_at: Option<f64>,
    /// Whether the oven went off before the soufflé was done.
    pub oven_off_early: bool,
}

/// `real` in story minutes.
fn minutes(real: Duration, minute: Duration) -> f64 {
    real.as_secs_f64() / minute.as_secs_f64()
}

impl Waited {
    fn into_kitchen(self, minute: Duration, oven_off_early: &AtomicBool) -> Kitchen {
        Kitchen {
            gave_up_at: self.gave_up.map(|at| minutes(at, minute)),
            served_at: self.served.map(|at| minutes(at, minute)),
            oven_off_early: oven_off_early.load(Ordering::SeqCst),
        }
    }
}

mod on_tokio {
    use super::*;
    use tokio::time::{sleep, timeout};

    // ANCHOR: bake_tokio
    /// Bakes the soufflé.
    async fn bake(minute: Duration, switched_off_early: Arc<AtomicBool>) {
        let mut oven = Oven {
            done: false,
            switched_off_early,
        };
        sleep(BAKING_MINUTES * minute).await; // dropped here, the oven goes off
        oven.done = true;
    }

    /// Waits for the soufflé with a timeout, where `patience` says.
    async fn wait_for_souffle(
        minute: Duration,
        patience: Patience,
        oven: Arc<AtomicBool>,
    ) -> Waited {
        let (start, mut waited) = (Instant::now(), Waited::default());
        let patience_time = PATIENCE_MINUTES * minute;
        match patience {
            Patience::WithTheWork => {
                if timeout(patience_time, bake(minute, oven)).await.is_err() {
                    waited.gave_up = Some(start.elapsed()); // the baking was dropped
                    return waited;
                }
            }
            Patience::WithTheWait => {
                let mut baking = tokio::spawn(bake(minute, oven));
                if timeout(patience_time, &mut baking).await.is_err() {
                    waited.gave_up = Some(start.elapsed());
                    // ...serves the other tables, then comes back for the soufflé.
                    baking.await.expect("baking does not panic");
                }
            }
        }
        waited.served = Some(start.elapsed());
        waited
    }
    // ANCHOR_END: bake_tokio

    /// One evening on a current-thread tokio runtime.
    pub fn run(minute: Duration, patience: Patience) -> Kitchen {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("tokio starts");
        let oven = Arc::new(AtomicBool::new(false));
        let waited = runtime.block_on(wait_for_souffle(minute, patience, oven.clone()));
        waited.into_kitchen(minute, &oven)
    }
}

mod on_async_std {
    use super::*;
    use async_std::future::timeout;
    use async_std::task::{self, sleep};

    // ANCHOR: bake_async_std
    /// Bakes the soufflé.
    async fn bake(minute: Duration, switched_off_early: Arc<AtomicBool>) {
        let mut oven = Oven {
            done: false,
            switched_off_early,
        };
        sleep(BAKING_MINUTES * minute).await; // dropped here, the oven goes off
        oven.done = true;
    }

    /// Waits for the soufflé with a timeout, where `patience` says.
    async fn wait_for_souffle(
        minute: Duration,
        patience: Patience,
        oven: Arc<AtomicBool>,
    ) -> Waited {
        let (start, mut waited) = (Instant::now(), Waited::default());
        let patience_time = PATIENCE_MINUTES * minute;
        match patience {
            Patience::WithTheWork => {
                if timeout(patience_time, bake(minute, oven)).await.is_err() {
                    waited.gave_up = Some(start.elapsed()); // the baking was dropped
                    return waited;
                }
            }
            Patience::WithTheWait => {
                let mut baking = task::spawn(bake(minute, oven));
                if timeout(patience_time, &mut baking).await.is_err() {
                    waited.gave_up = Some(start.elapsed());
                    // ...serves the other tables, then comes back for the soufflé.
                    baking.await;
                }
            }
        }
        waited.served = Some(start.elapsed());
        waited
    }
    // ANCHOR_END: bake_async_std

    /// One evening inside async-std's `block_on`.
    pub fn run(minute: Duration, patience: Patience) -> Kitchen {
        let oven = Arc::new(AtomicBool::new(false));
        let waited = task::block_on(wait_for_souffle(minute, patience, oven.clone()));
        waited.into_kitchen(minute, &oven)
    }
}

mod on_smol {
    use super::*;
    use smol::Timer;
    use smol::future::or;

    // ANCHOR: bake_smol
    /// Bakes the soufflé.
    async fn bake(minute: Duration, switched_off_early: Arc<AtomicBool>) {
        let mut oven = Oven {
            done: false,
            switched_off_early,
        };
        Timer::after(BAKING_MINUTES * minute).await; // dropped here, the oven goes off
        oven.done = true;
    }

    /// `future`'s output, or `None` if `patience` runs out first (then `future` is dropped).
    async fn within<T>(patience: Duration, future: impl Future<Output = T>) -> Option<T> {
        or(async { Some(future.await) }, async {
            Timer::after(patience).await;
            None
        })
        .await
    }

    /// Waits for the soufflé with a timeout, where `patience` says.
    async fn wait_for_souffle(
        minute: Duration,
        patience: Patience,
        oven: Arc<AtomicBool>,
    ) -> Waited {
        let (start, mut waited) = (Instant::now(), Waited::default());
        let patience_time = PATIENCE_MINUTES * minute;
        match patience {
            Patience::WithTheWork => {
                if within(patience_time, bake(minute, oven)).await.is_none() {
                    waited.gave_up = Some(start.elapsed()); // the baking was dropped
                    return waited;
                }
            }
            Patience::WithTheWait => {
                // A smol Task cancels its work when dropped: keep it, and race `&mut` it.
                let mut baking = smol::spawn(bake(minute, oven));
                if within(patience_time, &mut baking).await.is_none() {
                    waited.gave_up = Some(start.elapsed());
                    // ...serves the other tables, then comes back for the soufflé.
                    baking.await;
                }
            }
        }
        waited.served = Some(start.elapsed());
        waited
    }
    // ANCHOR_END: bake_smol

    /// One evening inside smol's `block_on`.
    pub fn run(minute: Duration, patience: Patience) -> Kitchen {
        let oven = Arc::new(AtomicBool::new(false));
        let waited = smol::block_on(wait_for_souffle(minute, patience, oven.clone()));
        waited.into_kitchen(minute, &oven)
    }
}

pub use on_async_std::run as on_async_std;
pub use on_smol::run as on_smol;
pub use on_tokio::run as on_tokio;
