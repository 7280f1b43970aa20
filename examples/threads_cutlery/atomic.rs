//! `--mode atomic`: each count changes in one indivisible step, `fetch_add`.

use std::sync::atomic::{AtomicI64, Ordering};
use std::thread;

use super::cutlery::{Cutlery, shift};

/// The kitchen the threads share: two counters, each safe to read and to write. The racy mode
/// shares it too, and shows that safe steps do not make a safe transfer.
pub struct AtomicKitchen {
    pub knives: AtomicI64,
    pub forks: AtomicI64,
}

impl AtomicKitchen {
    pub fn new(cutlery: Cutlery) -> Self {
        AtomicKitchen {
            knives: AtomicI64::new(cutlery.knives),
            forks: AtomicI64::new(cutlery.forks),
        }
    }

    pub fn into_inner(self) -> Cutlery {
        Cutlery {
            knives: self.knives.into_inner(),
            forks: self.forks.into_inner(),
        }
    }
}

// ANCHOR: atomic
pub fn atomic(bots: u32, tables: u32) -> Cutlery {
    let kitchen = AtomicKitchen::new(Cutlery::KITCHEN);
    let transfer = |change: Cutlery| {
        // Read, add and write as one step that no thread can come between.
        kitchen.knives.fetch_add(change.knives, Ordering::SeqCst);
        kitchen.forks.fetch_add(change.forks, Ordering::SeqCst);
    };
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    kitchen.into_inner()
}
// ANCHOR_END: atomic
