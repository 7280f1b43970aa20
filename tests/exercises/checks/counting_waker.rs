/// Woken by reference twice, through a clone once, and by value once: four wakes. Then a
/// future that wakes its waker on every poll, polled three times: three more.
pub fn check() {
    use std::future::Future;
    use std::sync::atomic::Ordering;
    use std::task::{Context, Poll};
    let (waker, count) = super::under_test::counting_waker();
    waker.wake_by_ref();
    waker.wake_by_ref();
    // On purpose: a clone, woken by value, must count as one of the same waker's wakes.
    #[allow(clippy::waker_clone_wake)]
    waker.clone().wake();
    waker.clone().wake_by_ref();
    assert_eq!(count.load(Ordering::SeqCst), 4, "four wakes, by reference and through clones");
    let mut cx = Context::from_waker(&waker);
    let mut restless = std::pin::pin!(std::future::poll_fn(|cx| {
        cx.waker().wake_by_ref();
        Poll::<()>::Pending
    }));
    for _ in 0..3 {
        assert!(restless.as_mut().poll(&mut cx).is_pending());
    }
    waker.wake();
    assert_eq!(count.load(Ordering::SeqCst), 8, "a future's wakes count too");
}
