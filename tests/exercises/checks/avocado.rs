/// Lunch on one thread: the pasta (10 minutes) and the avocado (5) together must take 10
/// minutes, not 15. The bound is halfway, 12.5 minutes; a minute of 40 ms leaves 100 ms of room.
pub fn check() {
    use std::time::{Duration, Instant};
    let minute = Duration::from_millis(40);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("a runtime");
    let start = Instant::now();
    // The avocado first: a blocking call there holds the pasta back before it even starts.
    let (avocado, pasta) = runtime.block_on(async {
        tokio::join!(
            super::under_test::avocado(minute),
            super::under_test::pasta(minute)
        )
    });
    let minutes = start.elapsed().as_secs_f64() / minute.as_secs_f64();
    assert_eq!((avocado, pasta), ("ripe avocado", "pasta"), "lunch is not what was ordered");
    assert!(minutes >= 10.0, "lunch took {minutes:.1} minutes: less than the pasta needs?");
    assert!(
        minutes < 12.5,
        "lunch took {minutes:.1} minutes: the avocado still holds the thread while the pasta \
         waits (10 minutes together, 15 one after another)"
    );
}
