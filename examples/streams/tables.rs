//! `asyncio.Semaphore`, in Rust: twelve diners, six tables. A diner waits for a free table,
//! eats for 2 minutes, and gives the table back.

use std::cell::Cell;
use std::time::{Duration, Instant};

// ANCHOR: tables
/// Twelve diners come at once; there are six tables; each meal takes 2 minutes.
pub const DINERS: u32 = 12;
pub const TABLES: usize = 6;
pub const EATING: u32 = 2;

/// Who is seated now, and the most who ever were at once.
#[derive(Default)]
pub struct Room {
    seated: Cell<u32>,
    most: Cell<u32>,
}

impl Room {
    fn sit(&self) {
        self.seated.set(self.seated.get() + 1);
        self.most.set(self.most.get().max(self.seated.get()));
    }

    fn leave(&self) {
        self.seated.set(self.seated.get() - 1);
    }
}
// ANCHOR_END: tables

/// The most diners seated at once, and how many story minutes the evening took.
pub type Evening = (u32, f64);

/// Runs `evening` with a fresh room, and measures it.
fn measured(minute: Duration, evening: impl FnOnce(&Room)) -> Evening {
    let room = Room::default();
    let start = Instant::now();
    evening(&room);
    let took = start.elapsed().as_secs_f64() / minute.as_secs_f64();
    (room.most.get(), took)
}

// ANCHOR: tokio
/// One diner: waits for a table, eats, and gives the table back (when `_table` is dropped).
async fn dine_tokio(minute: Duration, tables: &tokio::sync::Semaphore, room: &Room) {
    let _table = tables.acquire().await.expect("the semaphore stays open");
    room.sit();
    tokio::time::sleep(EATING * minute).await;
    room.leave();
}

/// Every diner at once, six tables.
async fn evening_tokio(minute: Duration, room: &Room) {
    let tables = tokio::sync::Semaphore::new(TABLES);
    futures::future::join_all((0..DINERS).map(|_| dine_tokio(minute, &tables, room))).await;
}
// ANCHOR_END: tokio

/// The evening on a current-thread tokio runtime.
pub fn on_tokio(minute: Duration) -> Evening {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    measured(minute, |room| runtime.block_on(evening_tokio(minute, room)))
}

// ANCHOR: async_std
/// One diner: takes a table from the channel of free ones, eats, and puts it back.
async fn dine_async_std(
    minute: Duration,
    (free, tables): &(
        async_std::channel::Sender<()>,
        async_std::channel::Receiver<()>,
    ),
    room: &Room,
) {
    tables.recv().await.expect("the tables stay open");
    room.sit();
    async_std::task::sleep(EATING * minute).await;
    room.leave();
    free.send(()).await.expect("the tables stay open");
}

/// Every diner at once, six tables: no semaphore in async-std, so a channel holds them.
async fn evening_async_std(minute: Duration, room: &Room) {
    let tables = async_std::channel::bounded(TABLES);
    for _ in 0..TABLES {
        tables
            .0
            .send(())
            .await
            .expect("there is room for every table");
    }
    futures::future::join_all((0..DINERS).map(|_| dine_async_std(minute, &tables, room))).await;
}
// ANCHOR_END: async_std

/// The evening inside async-std's `block_on`.
pub fn on_async_std(minute: Duration) -> Evening {
    measured(minute, |room| {
        async_std::task::block_on(evening_async_std(minute, room))
    })
}

// ANCHOR: smol
/// One diner: waits for a table, eats, and gives the table back (when `_table` is dropped).
async fn dine_smol(minute: Duration, tables: &smol::lock::Semaphore, room: &Room) {
    let _table = tables.acquire().await;
    room.sit();
    smol::Timer::after(EATING * minute).await;
    room.leave();
}

/// Every diner at once, six tables.
async fn evening_smol(minute: Duration, room: &Room) {
    let tables = smol::lock::Semaphore::new(TABLES);
    futures::future::join_all((0..DINERS).map(|_| dine_smol(minute, &tables, room))).await;
}
// ANCHOR_END: smol

/// The evening inside smol's `block_on`.
pub fn on_smol(minute: Duration) -> Evening {
    measured(minute, |room| smol::block_on(evening_smol(minute, room)))
}
