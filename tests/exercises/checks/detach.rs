/// The order is up only after `ring_bell` has returned, and its handle with it; the bell must
/// ring within a second (it needs a few microseconds).
pub fn check() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::{Duration, Instant};
    let rung = Arc::new(AtomicBool::new(false));
    let (order_up, order) = smol::channel::bounded(1);
    super::under_test::ring_bell(order, rung.clone());
    // Refused if the task, and its end of the channel, are gone already.
    let _ = order_up.send_blocking(());
    let deadline = Instant::now() + Duration::from_secs(1);
    while !rung.load(Ordering::SeqCst) && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert!(
        rung.load(Ordering::SeqCst),
        "the bell never rang: its task was cancelled when its handle was dropped"
    );
}
