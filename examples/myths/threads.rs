//! Myth 2, "async makes threads redundant": a computation inside a task stops every task on its
//! thread; handed to the runtime's blocking threads, it stops none.
//!
//! A ticker wants to tick every quarter minute while a 2-minute computation runs beside it on
//! one thread. The ticker goes on until the computation is over and then ticks once more, so
//! the longest gap between its ticks always spans the computation, however late a busy machine
//! lets it start.

use std::time::{Duration, Instant};

use super::fast::spin_for;

// ANCHOR: offload
/// Where the 2-minute computation runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offload {
    /// On the executor's own thread, inside a task: the ticker stops.
    Inline,
    /// On the runtime's pool of blocking threads: the ticker goes on.
    Unblock,
}
// ANCHOR_END: offload

// ANCHOR: ticker_tokio
/// A ticker and, half a minute in, a 2-minute computation, on one thread. Returns the ticks.
pub fn ticks_tokio(minute: Duration, offload: Offload) -> Vec<Instant> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    rt.block_on(async {
        let computed = std::cell::Cell::new(false);
        let mut ticks = Vec::new();
        let ticker = async {
            while !computed.get() {
                ticks.push(Instant::now());
                tokio::time::sleep(minute / 4).await;
            }
            ticks.push(Instant::now());
        };
        let computation = async {
            tokio::time::sleep(minute / 2).await;
            match offload {
                Offload::Inline => spin_for(2 * minute),
                Offload::Unblock => tokio::task::spawn_blocking(move || spin_for(2 * minute))
                    .await
                    .expect("the computation does not panic"),
            }
            computed.set(true);
        };
        tokio::join!(ticker, computation);
        ticks
    })
}
// ANCHOR_END: ticker_tokio

// ANCHOR: ticker_async_std
/// A ticker and, half a minute in, a 2-minute computation, on one thread. Returns the ticks.
pub fn ticks_async_std(minute: Duration, offload: Offload) -> Vec<Instant> {
    async_std::task::block_on(async {
        let computed = std::cell::Cell::new(false);
        let mut ticks = Vec::new();
        let ticker = async {
            while !computed.get() {
                ticks.push(Instant::now());
                async_std::task::sleep(minute / 4).await;
            }
            ticks.push(Instant::now());
        };
        let computation = async {
            async_std::task::sleep(minute / 2).await;
            match offload {
                Offload::Inline => spin_for(2 * minute),
                Offload::Unblock => {
                    async_std::task::spawn_blocking(move || spin_for(2 * minute)).await
                }
            }
            computed.set(true);
        };
        futures::join!(ticker, computation);
        ticks
    })
}
// ANCHOR_END: ticker_async_std

// ANCHOR: ticker_smol
/// A ticker and, half a minute in, a 2-minute computation, on one thread. Returns the ticks.
pub fn ticks_smol(minute: Duration, offload: Offload) -> Vec<Instant> {
    smol::block_on(async {
        let computed = std::cell::Cell::new(false);
        let mut ticks = Vec::new();
        let ticker = async {
            while !computed.get() {
                ticks.push(Instant::now());
                smol::Timer::after(minute / 4).await;
            }
            ticks.push(Instant::now());
        };
        let computation = async {
            smol::Timer::after(minute / 2).await;
            match offload {
                Offload::Inline => spin_for(2 * minute),
                Offload::Unblock => smol::unblock(move || spin_for(2 * minute)).await,
            }
            computed.set(true);
        };
        futures::join!(ticker, computation);
        ticks
    })
}
// ANCHOR_END: ticker_smol
