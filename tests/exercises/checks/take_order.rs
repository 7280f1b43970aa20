/// On tokio's paused clock (only timers here, so its answers are exact): an order that takes 3
/// minutes, a WaitBot with 1 minute of patience. The WaitBot must give up at minute 1, and the
/// kitchen must still have the order cooked by minute 3. Then an order within patience comes
/// back.
pub fn check() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::time::Duration;
    let minute = Duration::from_secs(60);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let cooked = Arc::new(AtomicBool::new(false));
        let kitchen = cooked.clone();
        let order = async move {
            tokio::time::sleep(3 * minute).await;
            kitchen.store(true, Ordering::SeqCst);
            "soufflé"
        };
        let start = tokio::time::Instant::now();
        let taken = super::under_test::take_order(order, minute).await;
        assert_eq!(taken, None, "the order takes 3 minutes; patience is 1");
        assert_eq!(start.elapsed(), minute, "the WaitBot waits exactly its patience");
        tokio::time::sleep(3 * minute).await;
        assert!(
            cooked.load(Ordering::SeqCst),
            "the WaitBot gave up, and the order was lost with it: it was never cooked"
        );
        let quick = async { "soup" };
        assert_eq!(super::under_test::take_order(quick, minute).await, Some("soup"));
    });
}
