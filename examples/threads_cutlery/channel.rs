//! `--mode channel`: nothing shared; the kitchen is a thread that owns the inventory.

use std::sync::mpsc;
use std::thread;

use super::cutlery::{Cutlery, shift};

// ANCHOR: channel
pub fn channel(bots: u32, tables: u32) -> Cutlery {
    let (orders, inbox) = mpsc::channel::<Cutlery>();
    // The kitchen is a thread of its own, the only one that sees the inventory.
    let kitchen = thread::spawn(move || {
        let mut inventory = Cutlery::KITCHEN;
        for change in inbox {
            inventory = inventory + change;
        }
        inventory
    });
    let transfer = |change: Cutlery| orders.send(change).unwrap();
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    // With the last sender gone, the kitchen's loop ends and it returns the count.
    drop(orders);
    kitchen.join().unwrap()
}
// ANCHOR_END: channel
