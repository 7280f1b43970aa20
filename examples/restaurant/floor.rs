//! The shared floor: the restaurant's state behind one lock, the clock and timeline every robot
//! shares, and the two kinds of step every job is made of.

use std::collections::VecDeque;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::time::{Duration, Instant};

use loopbot::Timeline;

use super::evening::{Collisions, DinerTimes, Evening, Souffle, TABLES};

/// Where a table is in its diners' evening.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Phase {
    /// Nobody at the table.
    Empty,
    /// Diners sat down and are ready to order.
    ReadyToOrder,
    /// A WaitBot is taking the order.
    Ordering,
    /// The order is in; the diners wait for food.
    WaitingForFood,
    /// Eating until the given minute.
    Eating(f64),
}

/// One table.
#[derive(Clone, Copy, Debug)]
pub struct Table {
    /// Who sits there.
    pub diner: Option<usize>,
    /// Where the table is in its diners' evening.
    pub phase: Phase,
    /// Whether it waits for a wipe.
    pub dirty: bool,
}

/// The restaurant's shared state. Every robot step locks it, does one thing, and lets go.
pub struct Restaurant {
    /// Diners at the door, waiting to be greeted.
    pub door: VecDeque<usize>,
    /// Greeted diners waiting for a table.
    pub lounge: VecDeque<usize>,
    /// The tables.
    pub tables: Vec<Table>,
    /// Order slips for the kitchen.
    pub order_book: VecDeque<usize>,
    /// How many slips reached the kitchen for each diner.
    pub orders_per_diner: Vec<u32>,
    /// Drink orders for the bar.
    pub drink_orders: VecDeque<usize>,
    /// Dishes in the oven, with the minute each is done.
    pub oven: Vec<(usize, f64)>,
    /// Plates ready to be carried out.
    pub pass: VecDeque<usize>,
    /// Drinks ready to be carried out.
    pub bar: VecDeque<usize>,
    /// Diners waiting to pay.
    pub till: VecDeque<usize>,
    /// Every diner who has arrived, by number.
    pub diners: Vec<DinerTimes>,
    /// How many diners have left.
    pub left: usize,
    /// The collisions so far.
    pub collisions: Collisions,
    /// The soufflé, once it is out.
    pub souffle: Option<Souffle>,
    /// Whether the chatty guest has had their say.
    pub chat_done: bool,
}

impl Restaurant {
    /// The restaurant before the doors open: empty tables, empty queues.
    pub fn new(evening: &Evening) -> Self {
        let empty = Table {
            diner: None,
            phase: Phase::Empty,
            dirty: false,
        };
        Restaurant {
            door: VecDeque::new(),
            lounge: VecDeque::new(),
            tables: vec![empty; TABLES],
            order_book: VecDeque::new(),
            orders_per_diner: vec![0; evening.diners as usize],
            drink_orders: VecDeque::new(),
            oven: Vec::new(),
            pass: VecDeque::new(),
            bar: VecDeque::new(),
            till: VecDeque::new(),
            diners: Vec::new(),
            left: 0,
            collisions: Collisions::default(),
            souffle: None,
            chat_done: evening.chatty_guest == 0.0,
        }
    }
}

/// What every robot shares: the restaurant, the clock, the timeline, and how to wait.
pub struct Floor {
    /// The restaurant, behind one lock.
    pub state: Mutex<Restaurant>,
    /// Who did what, when; its clock is the story's.
    pub timeline: Timeline,
    /// What tonight is.
    pub evening: Evening,
    /// How this staff waits without holding its thread: its runtime's timer.
    pub sleep: fn(Duration) -> Nap,
    /// How this staff runs a blocking call on another thread, if it does (`--chat-off-loop`).
    pub off_loop: Option<fn(Duration) -> Nap>,
}

// ANCHOR: wait-and-work
/// A future from any runtime, boxed, so that one floor can hold whichever a staff uses.
pub type Nap = Pin<Box<dyn Future<Output = ()>>>;

impl Floor {
    /// Waiting for someone else (a guest, the oven, the bank): the robot's thread is free.
    pub async fn wait(&self, minutes: f64) {
        (self.sleep)(self.real(minutes)).await;
    }

    /// Robot work: it keeps the robot's processor busy and holds its thread, with no
    /// `.await` anywhere inside.
    pub fn work(&self, minutes: f64) {
        let done = Instant::now() + self.real(minutes);
        while Instant::now() < done {
            std::hint::spin_loop();
        }
    }
}
// ANCHOR_END: wait-and-work

impl Floor {
    /// The real time `minutes` of story take.
    pub fn real(&self, minutes: f64) -> Duration {
        self.timeline.clock().minutes(minutes)
    }

    /// Locks the restaurant for one step.
    pub fn lock(&self) -> MutexGuard<'_, Restaurant> {
        self.state
            .lock()
            .expect("no robot panics while holding the restaurant")
    }

    /// The story minute now.
    pub fn now(&self) -> f64 {
        self.timeline.clock().now()
    }

    /// Whether the last diner has left.
    pub fn closed(&self) -> bool {
        self.lock().left == self.evening.diners as usize
    }

    /// Records what `actor` did on the timeline.
    pub fn say(&self, actor: &str, event: &str, line: String) {
        self.timeline.record(actor, event, &line);
    }
}
