//! `--mode racy`: ten threads, and each count read, then written, in two steps.

use std::sync::atomic::{AtomicI64, Ordering};
use std::thread;

use super::atomic::AtomicKitchen;
use super::cutlery::{Cutlery, shift};

/// Python's `count += change`, in the steps it really is: read, then write.
fn change_in_two_steps(count: &AtomicI64, change: i64) {
    let seen = count.load(Ordering::SeqCst);
    // The OS may switch threads anywhere; this makes it likely here.
    thread::yield_now();
    count.store(seen + change, Ordering::SeqCst);
}

pub fn racy(bots: u32, tables: u32) -> Cutlery {
    let kitchen = AtomicKitchen::new(Cutlery::KITCHEN);
    let transfer = |change: Cutlery| {
        change_in_two_steps(&kitchen.knives, change.knives);
        change_in_two_steps(&kitchen.forks, change.forks);
    };
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    kitchen.into_inner()
}
