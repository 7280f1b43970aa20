use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// Spawns the bell-ringing on smol's global executor, and returns without waiting for it:
/// `detach` lets the task run on once its handle is gone.
pub fn ring_bell(order_up: smol::channel::Receiver<()>, rung: Arc<AtomicBool>) {
    smol::spawn(async move {
        if order_up.recv().await.is_ok() {
            rung.store(true, Ordering::SeqCst);
        }
    })
    .detach();
}
