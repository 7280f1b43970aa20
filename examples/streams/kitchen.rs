//! `asyncio.as_completed`, in Rust: six tables' dishes, served as each one is done. Every dish
//! at once with `FuturesUnordered`; two at a time, on two burners, with `buffer_unordered`.

use std::time::{Duration, Instant};

use futures::StreamExt;
use futures::stream::{self, FuturesUnordered};

// ANCHOR: orders
/// Each table's dish, and the minutes it cooks: table 1's takes 5, table 2's takes 1, ...
pub const ORDERS: [(u32, u32); 6] = [(1, 5), (2, 1), (3, 3), (4, 2), (5, 6), (6, 4)];
/// The kitchen's burners, for the second way of cooking.
pub const BURNERS: usize = 2;

/// A served dish: its table, when it went on the fire and when it came off.
pub type Served = (u32, Instant, Instant);
// ANCHOR_END: orders

// ANCHOR: tokio
/// Cooks one table's dish; gives back the table, and when the dish went on the fire.
async fn cook_tokio(minute: Duration, (table, minutes): (u32, u32)) -> (u32, Instant) {
    let on_the_fire = Instant::now();
    tokio::time::sleep(minutes * minute).await;
    (table, on_the_fire)
}

/// Every dish on the fire at once; the dishes, in the order they are done.
async fn all_at_once_tokio(minute: Duration) -> Vec<Served> {
    let mut cooking: FuturesUnordered<_> = ORDERS
        .into_iter()
        .map(|order| cook_tokio(minute, order))
        .collect();
    let mut served = Vec::new();
    while let Some((table, on_the_fire)) = cooking.next().await {
        served.push((table, on_the_fire, Instant::now()));
    }
    served
}

/// Two dishes on the fire at a time, taken in the order of the tables.
async fn two_burners_tokio(minute: Duration) -> Vec<Served> {
    let orders = stream::iter(ORDERS).map(|order| cook_tokio(minute, order));
    let done = orders.buffer_unordered(BURNERS);
    done.map(|(table, on_the_fire)| (table, on_the_fire, Instant::now()))
        .collect()
        .await
}
// ANCHOR_END: tokio

// ANCHOR: async_std
/// Cooks one table's dish; gives back the table, and when the dish went on the fire.
async fn cook_async_std(minute: Duration, (table, minutes): (u32, u32)) -> (u32, Instant) {
    let on_the_fire = Instant::now();
    async_std::task::sleep(minutes * minute).await;
    (table, on_the_fire)
}

/// Every dish on the fire at once; the dishes, in the order they are done.
async fn all_at_once_async_std(minute: Duration) -> Vec<Served> {
    let mut cooking: FuturesUnordered<_> = ORDERS
        .into_iter()
        .map(|order| cook_async_std(minute, order))
        .collect();
    let mut served = Vec::new();
    while let Some((table, on_the_fire)) = cooking.next().await {
        served.push((table, on_the_fire, Instant::now()));
    }
    served
}

/// Two dishes on the fire at a time, taken in the order of the tables.
async fn two_burners_async_std(minute: Duration) -> Vec<Served> {
    let orders = stream::iter(ORDERS).map(|order| cook_async_std(minute, order));
    let done = orders.buffer_unordered(BURNERS);
    done.map(|(table, on_the_fire)| (table, on_the_fire, Instant::now()))
        .collect()
        .await
}
// ANCHOR_END: async_std

// ANCHOR: smol
/// Cooks one table's dish; gives back the table, and when the dish went on the fire.
async fn cook_smol(minute: Duration, (table, minutes): (u32, u32)) -> (u32, Instant) {
    let on_the_fire = Instant::now();
    smol::Timer::after(minutes * minute).await;
    (table, on_the_fire)
}

/// Every dish on the fire at once; the dishes, in the order they are done.
async fn all_at_once_smol(minute: Duration) -> Vec<Served> {
    let mut cooking: FuturesUnordered<_> = ORDERS
        .into_iter()
        .map(|order| cook_smol(minute, order))
        .collect();
    let mut served = Vec::new();
    while let Some((table, on_the_fire)) = cooking.next().await {
        served.push((table, on_the_fire, Instant::now()));
    }
    served
}

/// Two dishes on the fire at a time, taken in the order of the tables.
async fn two_burners_smol(minute: Duration) -> Vec<Served> {
    let orders = stream::iter(ORDERS).map(|order| cook_smol(minute, order));
    let done = orders.buffer_unordered(BURNERS);
    done.map(|(table, on_the_fire)| (table, on_the_fire, Instant::now()))
        .collect()
        .await
}
// ANCHOR_END: smol

/// The dishes as served: each table, with the story minutes its dish went on the fire and
/// came off; and the minutes the whole service took.
pub type Service = (Vec<(u32, f64, f64)>, f64);

/// Runs `run`, and puts its dishes and its length in story minutes since its start.
fn timed(minute: Duration, run: impl FnOnce() -> Vec<Served>) -> Service {
    let start = Instant::now();
    let served = run();
    let took = start.elapsed();
    let minutes = |at: Instant| (at - start).as_secs_f64() / minute.as_secs_f64();
    let served = served
        .into_iter()
        .map(|(table, on, off)| (table, minutes(on), minutes(off)));
    (served.collect(), took.as_secs_f64() / minute.as_secs_f64())
}

/// Both ways of cooking on a current-thread tokio runtime: every dish at once, then two
/// burners.
pub fn on_tokio(minute: Duration) -> (Service, Service) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    let at_once = timed(minute, || runtime.block_on(all_at_once_tokio(minute)));
    let burners = timed(minute, || runtime.block_on(two_burners_tokio(minute)));
    (at_once, burners)
}

/// Both ways of cooking inside async-std's `block_on`.
pub fn on_async_std(minute: Duration) -> (Service, Service) {
    let at_once = timed(minute, || {
        async_std::task::block_on(all_at_once_async_std(minute))
    });
    let burners = timed(minute, || {
        async_std::task::block_on(two_burners_async_std(minute))
    });
    (at_once, burners)
}

/// Both ways of cooking inside smol's `block_on`.
pub fn on_smol(minute: Duration) -> (Service, Service) {
    let at_once = timed(minute, || smol::block_on(all_at_once_smol(minute)));
    let burners = timed(minute, || smol::block_on(two_burners_smol(minute)));
    (at_once, burners)
}
