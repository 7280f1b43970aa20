//! The evening and its diners: the story's timings, who comes and when, and what became of
//! them.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde::Serialize;

use super::floor::Floor;
use loopbot::process::ProcessStatus;

use super::report::raise_to;

// The evening's timings, in story minutes. Robots are fast: their work takes a second or two.
// Humans are slow: robots spend most of the evening waiting for them and for the oven.
/// How often a robot with nothing to do looks around again.
pub const TICK: f64 = 0.1;
/// Walking to a table: robot work, and the moment a ThreadBot's decision goes stale.
pub const WALK: f64 = 0.02;
/// Wiping a table clean.
pub const WIPE: f64 = 0.01;
/// Writing an order into the kitchen's book, plating a dish, pouring a drink.
pub const HANDLE: f64 = 0.005;
/// A guest thinking: window or bar, and what to eat.
pub const GUEST_THINKS: f64 = 0.5;
/// The payment terminal talking to the bank.
pub const PAYMENT: f64 = 0.5;
/// A dish in the oven.
pub const COOK: f64 = 8.0;
/// A diner eating.
pub const EAT: f64 = 10.0;
/// Tables in the restaurant.
pub const TABLES: usize = 6;
/// The soufflé must leave the oven at this story minute...
pub const SOUFFLE_DUE: f64 = 12.0;
/// ...give or take this much, or it flops.
pub const SOUFFLE_TOLERANCE: f64 = 1.0;
/// When the chatty guest takes WaitBot 1 by the hand.
pub const CHAT_STARTS: f64 = 10.0;

/// What to serve and how.
#[derive(Clone, Copy, Debug)]
pub struct Evening {
    /// How many diners come.
    pub diners: u32,
    /// The arrival schedule's seed.
    pub seed: u64,
    /// How long the chatty guest talks, in story minutes (0: no chatty guest).
    pub chatty_guest: f64,
    /// Whether the talk is listened to on another thread.
    pub chat_off_loop: bool,
    /// How long one story minute lasts.
    pub minute: Duration,
}

/// The collisions of an evening, counted as they happen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Collisions {
    /// Order slips that reached the kitchen for a diner who had already ordered.
    pub duplicate_orders: u32,
    /// Tables that got new diners while a WaitBot was on its way to wipe them.
    pub seated_while_cleaning: u32,
}

/// What happened to the soufflé.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Souffle {
    /// The story minute it left the oven.
    pub out_at: f64,
    /// Minutes past its due time.
    pub late: f64,
    /// Whether it was late by more than the tolerance.
    pub flopped: bool,
}

/// One diner's evening, in story minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct DinerTimes {
    /// When the diner arrived.
    pub arrived: f64,
    /// When the diner sat down.
    pub seated: Option<f64>,
    /// When the first plate reached the table.
    pub served: Option<f64>,
    /// When the diner left.
    pub left: Option<f64>,
}

/// The story minute each diner is due at the door: the first at once, the others half a minute
/// to two and a half minutes apart, drawn from `seed`. The same seed, the same evening.
pub fn arrivals(seed: u64, diners: u32) -> Vec<f64> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut due = 0.0;
    (0..diners)
        .map(|_| {
            let this = due;
            due += 0.5 + 2.0 * rng.f64();
            this
        })
        .collect()
}

/// Diners arriving on the seeded schedule. Whenever one arrives, `peak` takes in what the
/// process holds: the staff is at work by then.
pub async fn street(floor: Arc<Floor>, peak: Arc<Mutex<ProcessStatus>>) {
    let schedule = arrivals(floor.evening.seed, floor.evening.diners);
    for (diner, due) in schedule.into_iter().enumerate() {
        let wait = due - floor.now();
        if wait > 0.0 {
            floor.wait(wait).await;
        }
        {
            let mut state = floor.lock();
            state.diners.push(DinerTimes {
                arrived: floor.now(),
                ..DinerTimes::default()
            });
            state.door.push_back(diner);
        }
        floor.say("street", "arrives", format!("Diner {} arrives.", diner + 1));
        // Staff are all at work by now: what the process holds now is what the staff costs.
        raise_to(&mut peak.lock().unwrap(), &ProcessStatus::read());
    }
}
