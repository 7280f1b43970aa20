//! Backpressure: the WaitBot hangs order slips on the kitchen's rail faster than the ChefBot
//! cooks them. A bounded rail makes the WaitBot wait when it is full; an unbounded one never
//! does, and holds every slip the kitchen has not reached yet.

// ANCHOR: slip
/// An order slip: the table, and the order written out, a kilobyte of it.
pub struct Slip {
    pub table: u32,
    pub order: Vec<u8>,
}

/// What an order takes to write down.
pub const SLIP_BYTES: usize = 1024;

/// Writes table `table`'s slip.
fn write_slip(table: u32) -> Slip {
    Slip {
        table,
        order: vec![b'.'; SLIP_BYTES],
    }
}
// ANCHOR_END: slip

/// How many slips the rail held at most, and how many the kitchen cooked.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Rail {
    pub most_on_rail: usize,
    pub cooked: usize,
}

mod on_tokio {
    use super::{Rail, Slip, write_slip};
    use tokio::sync::mpsc;

    // ANCHOR: tokio
    /// The WaitBot, with a bounded rail: `send` waits while the rail is full.
    async fn wait_bot(rail: mpsc::Sender<Slip>, slips: u32) {
        for table in 0..slips {
            rail.send(write_slip(table))
                .await
                .expect("the kitchen is open");
        }
    }

    /// The WaitBot, with an unbounded rail: `send` never waits, and is not even async.
    fn wait_bot_unbounded(rail: mpsc::UnboundedSender<Slip>, slips: u32) {
        for table in 0..slips {
            rail.send(write_slip(table)).expect("the kitchen is open");
        }
    }

    /// The ChefBot cooks a slip each turn; returns the most slips it saw on the rail.
    async fn chef_bot(mut rail: mpsc::Receiver<Slip>) -> Rail {
        let (mut most_on_rail, mut cooked) = (0, 0);
        while let Some(slip) = rail.recv().await {
            most_on_rail = most_on_rail.max(rail.len() + 1); // with the slip just taken
            cook(slip).await;
            cooked += 1;
        }
        Rail {
            most_on_rail,
            cooked,
        }
    }

    /// Cooking takes the ChefBot a turn: it lets the thread go once.
    async fn cook(slip: Slip) {
        std::hint::black_box((slip.table, slip.order));
        tokio::task::yield_now().await;
    }
    // ANCHOR_END: tokio

    /// The unbounded rail's ChefBot: the same, with tokio's other receiver type.
    async fn chef_bot_unbounded(mut rail: mpsc::UnboundedReceiver<Slip>) -> Rail {
        let (mut most_on_rail, mut cooked) = (0, 0);
        while let Some(slip) = rail.recv().await {
            most_on_rail = most_on_rail.max(rail.len() + 1);
            cook(slip).await;
            cooked += 1;
        }
        Rail {
            most_on_rail,
            cooked,
        }
    }

    /// `slips` slips through a rail of `capacity` (unbounded if `None`), on one thread.
    pub fn run(slips: u32, capacity: Option<usize>) -> Rail {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("tokio starts");
        runtime.block_on(async {
            match capacity {
                Some(capacity) => {
                    let (rail, kitchen) = mpsc::channel(capacity);
                    tokio::join!(wait_bot(rail, slips), chef_bot(kitchen)).1
                }
                None => {
                    let (rail, kitchen) = mpsc::unbounded_channel();
                    let waiter = async { wait_bot_unbounded(rail, slips) };
                    tokio::join!(waiter, chef_bot_unbounded(kitchen)).1
                }
            }
        })
    }
}

mod on_async_std {
    use super::{Rail, Slip, write_slip};
    use async_std::channel::{Receiver, Sender, bounded, unbounded};

    // ANCHOR: async_std
    /// The WaitBot: on a bounded rail, `send` waits while the rail is full; on an unbounded
    /// one, it never waits. Both are the same type here.
    async fn wait_bot(rail: Sender<Slip>, slips: u32) {
        for table in 0..slips {
            rail.send(write_slip(table))
                .await
                .expect("the kitchen is open");
        }
    }

    /// The ChefBot cooks a slip each turn; returns the most slips it saw on the rail.
    async fn chef_bot(rail: Receiver<Slip>) -> Rail {
        let (mut most_on_rail, mut cooked) = (0, 0);
        while let Ok(slip) = rail.recv().await {
            most_on_rail = most_on_rail.max(rail.len() + 1); // with the slip just taken
            cook(slip).await;
            cooked += 1;
        }
        Rail {
            most_on_rail,
            cooked,
        }
    }

    /// Cooking takes the ChefBot a turn: it lets the thread go once.
    async fn cook(slip: Slip) {
        std::hint::black_box((slip.table, slip.order));
        async_std::task::yield_now().await;
    }
    // ANCHOR_END: async_std

    /// `slips` slips through a rail of `capacity` (unbounded if `None`), on one thread.
    pub fn run(slips: u32, capacity: Option<usize>) -> Rail {
        let (rail, kitchen) = match capacity {
            Some(capacity) => bounded(capacity),
            None => unbounded(),
        };
        async_std::task::block_on(async {
            futures::join!(wait_bot(rail, slips), chef_bot(kitchen)).1
        })
    }
}

mod on_smol {
    use super::{Rail, Slip, write_slip};
    use smol::channel::{Receiver, Sender, bounded, unbounded};

    // ANCHOR: smol
    /// The WaitBot: on a bounded rail, `send` waits while the rail is full; on an unbounded
    /// one, it never waits. Both are the same type here.
    async fn wait_bot(rail: Sender<Slip>, slips: u32) {
        for table in 0..slips {
            rail.send(write_slip(table))
                .await
                .expect("the kitchen is open");
        }
    }

    /// The ChefBot cooks a slip each turn; returns the most slips it saw on the rail.
    async fn chef_bot(rail: Receiver<Slip>) -> Rail {
        let (mut most_on_rail, mut cooked) = (0, 0);
        while let Ok(slip) = rail.recv().await {
            most_on_rail = most_on_rail.max(rail.len() + 1); // with the slip just taken
            cook(slip).await;
            cooked += 1;
        }
        Rail {
            most_on_rail,
            cooked,
        }
    }

    /// Cooking takes the ChefBot a turn: it lets the thread go once.
    async fn cook(slip: Slip) {
        std::hint::black_box((slip.table, slip.order));
        smol::future::yield_now().await;
    }
    // ANCHOR_END: smol

    /// `slips` slips through a rail of `capacity` (unbounded if `None`), on one thread.
    pub fn run(slips: u32, capacity: Option<usize>) -> Rail {
        let (rail, kitchen) = match capacity {
            Some(capacity) => bounded(capacity),
            None => unbounded(),
        };
        smol::block_on(smol::future::zip(wait_bot(rail, slips), chef_bot(kitchen))).1
    }
}

pub use on_async_std::run as on_async_std;
pub use on_smol::run as on_smol;
pub use on_tokio::run as on_tokio;
