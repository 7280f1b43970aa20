/// Lunch on one thread: 10 minutes together, not 15; the bound is halfway, 12.5.
pub fn check() {
    use std::time::{Duration, Instant};
    let minute = Duration::from_millis(40);
    let start = Instant::now();
    // The avocado first: a blocking call there holds the pasta back before it even starts.
    let (avocado, ()) = smol::block_on(async {
        futures::join!(
            super::under_test::avocado(minute),
            super::under_test::pasta(minute)
        )
    });
    let minutes = start.elapsed().as_secs_f64() / minute.as_secs_f64();
    assert_eq!(avocado, "ripe avocado");
    assert!(minutes >= 10.0, "lunch took {minutes:.1} minutes: less than the pasta needs?");
    assert!(
        minutes < 12.5,
        "lunch took {minutes:.1} minutes: the avocado still holds the thread while the pasta \
         waits (10 minutes together, 15 one after another)"
    );
}
