// Event Loops and Tasks, on smol: a task that must outlive its handle.
//
// `ring_bell` spawns a task that rings the kitchen bell as soon as the order is up, and returns
// at once: nobody waits for the bell. On smol, dropping a task's handle cancels the task, so as
// written the bell never rings. Make the task run on without anyone holding its handle. Check
// it with:
//
//     cargo test --test exercises detach

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Spawns the bell-ringing on smol's global executor, and returns without waiting for it.
pub fn ring_bell(order_up: smol::channel::Receiver<()>, rung: Arc<AtomicBool>) {
    let _bell = smol::spawn(async move {
        if order_up.recv().await.is_ok() {
            rung.store(true, Ordering::SeqCst);
        }
    });
}
