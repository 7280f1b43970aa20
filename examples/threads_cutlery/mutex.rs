//! `--mode mutex`: one lock held for the whole transfer.

use std::sync::Mutex;
use std::thread;

use super::cutlery::{Cutlery, shift};

// ANCHOR: mutex
pub fn mutex(bots: u32, tables: u32) -> Cutlery {
    let kitchen = Mutex::new(Cutlery::KITCHEN);
    let transfer = |change: Cutlery| {
        // One lock from the read to the write: nobody comes between.
        let mut inventory = kitchen.lock().unwrap();
        *inventory = *inventory + change;
    };
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    kitchen.into_inner().unwrap()
}
// ANCHOR_END: mutex
