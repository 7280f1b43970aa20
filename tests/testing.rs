//! The tests `src/testing.md` shows. They are the page's listings (included by anchor) as well as
//! its proof: each one is a test a reader can paste into `tests/` of a fresh project with only
//! its runtime as a dependency (tokio's paused clock needs its `test-util` feature).

use std::time::Duration;

use crate::common::{self, claim};

// ANCHOR: tokio_test
#[tokio::test]
async fn a_tokio_test_runs_on_one_thread() {
    let runtime = tokio::runtime::Handle::current();
    assert_eq!(
        runtime.runtime_flavor(),
        tokio::runtime::RuntimeFlavor::CurrentThread
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn unless_it_asks_for_workers() {
    let runtime = tokio::runtime::Handle::current();
    assert_eq!(
        runtime.runtime_flavor(),
        tokio::runtime::RuntimeFlavor::MultiThread
    );
    assert_eq!(runtime.metrics().num_workers(), 2);
}
// ANCHOR_END: tokio_test

// ANCHOR: async_std_test
#[test]
fn an_async_std_test_blocks_on_its_future() {
    async_std::task::block_on(async {
        let soup = async_std::task::spawn(async { "soup" });
        assert_eq!(soup.await, "soup");
    });
}
// ANCHOR_END: async_std_test

// ANCHOR: smol_test
#[test]
fn a_smol_test_blocks_on_its_future() {
    smol::block_on(async {
        let soup = smol::spawn(async { "soup" });
        assert_eq!(soup.await, "soup");
    });
}
// ANCHOR_END: smol_test

/// The page's lunch on the paused clock: its minutes, and the real time it may take at most.
fn lunch_minutes() -> (u64, u64, u64) {
    let pasta = claim("testing.pasta", 10.0) as u64;
    let avocado = claim("testing.avocado", 5.0) as u64;
    let real_ms = claim("testing.paused.real-ms", 500.0) as u64;
    (pasta, avocado, real_ms)
}

// ANCHOR: paused
#[tokio::test(start_paused = true)]
async fn a_ten_minute_lunch_takes_no_time_on_a_paused_clock() {
    use std::time::Duration;
    let minute = Duration::from_secs(60);
    let real = std::time::Instant::now();
    let story = tokio::time::Instant::now();
    tokio::join!(
        tokio::time::sleep(10 * minute), // the pasta
        tokio::time::sleep(5 * minute),  // the avocado
    );
    assert_eq!(story.elapsed(), 10 * minute);
    assert!(real.elapsed() < Duration::from_millis(500));
}
// ANCHOR_END: paused

#[test]
fn the_advanced_soup_has_the_pages_numbers() {
    let listing = include_str!("testing.rs");
    let first = claim("testing.advance.first", 4.0) as u32;
    let soup = claim("testing.soup", 5.0) as u32;
    for line in [
        format!("let soup = tokio::time::sleep({soup} * minute);"),
        format!("tokio::time::advance({first} * minute).await;"),
        format!("assert_eq!(start.elapsed(), {first} * minute);"),
        format!("assert_eq!(start.elapsed(), {soup} * minute);"),
    ] {
        assert!(listing.contains(&line), "the listing lacks `{line}`");
    }
}

#[test]
fn the_paused_lunch_has_the_pages_numbers() {
    // The listing above writes its numbers out, as a reader's test would; these are the
    // page's, so a change to one side shows here.
    let listing = include_str!("testing.rs");
    let (pasta, avocado, real_ms) = lunch_minutes();
    for line in [
        format!("tokio::time::sleep({pasta} * minute), // the pasta"),
        format!("tokio::time::sleep({avocado} * minute),  // the avocado"),
        format!("assert_eq!(story.elapsed(), {pasta} * minute);"),
        format!("real.elapsed() < Duration::from_millis({real_ms})"),
    ] {
        assert!(listing.contains(&line), "the listing lacks `{line}`");
    }
}

// ANCHOR: timeout
#[tokio::test(start_paused = true)]
async fn an_hour_long_timeout_fires_at_once() {
    use std::time::Duration;
    let real = std::time::Instant::now();
    let never = std::future::pending::<()>();
    let waited = tokio::time::timeout(Duration::from_secs(3600), never).await;
    assert!(waited.is_err());
    assert!(real.elapsed() < Duration::from_millis(500));
}
// ANCHOR_END: timeout

// ANCHOR: blind_spot
#[tokio::test(start_paused = true)]
async fn the_paused_clock_does_not_see_a_blocked_thread() {
    use std::time::Duration;
    let real = std::time::Instant::now();
    let story = tokio::time::Instant::now();
    std::thread::sleep(Duration::from_millis(100)); // or a long computation
    assert_eq!(story.elapsed(), Duration::ZERO);
    assert!(real.elapsed() >= Duration::from_millis(100));
}
// ANCHOR_END: blind_spot

// ANCHOR: cancel_tokio
struct Plate(std::sync::Arc<std::sync::atomic::AtomicBool>);

impl Drop for Plate {
    fn drop(&mut self) {
        self.0.store(true, std::sync::atomic::Ordering::SeqCst);
    }
}

#[tokio::test(start_paused = true)]
async fn an_aborted_task_says_so_and_drops_what_it_held() {
    use std::time::Duration;
    let cleared = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let plate = Plate(cleared.clone());
    let diner = tokio::spawn(async move {
        let _plate = plate;
        tokio::time::sleep(Duration::from_secs(3600)).await;
    });
    tokio::task::yield_now().await; // the diner sits down
    diner.abort();
    let error = diner.await.unwrap_err();
    assert!(error.is_cancelled());
    assert!(cleared.load(std::sync::atomic::Ordering::SeqCst));
}
// ANCHOR_END: cancel_tokio

mod cancel_async_std {
    // ANCHOR: cancel_async_std
    struct Plate(std::sync::Arc<std::sync::atomic::AtomicBool>);

    impl Drop for Plate {
        fn drop(&mut self) {
            self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn a_cancelled_task_says_so_and_drops_what_it_held() {
        use std::time::Duration;
        async_std::task::block_on(async {
            let cleared = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let plate = Plate(cleared.clone());
            let diner = async_std::task::spawn(async move {
                let _plate = plate;
                async_std::task::sleep(Duration::from_secs(3600)).await;
            });
            async_std::task::sleep(Duration::from_millis(10)).await; // the diner sits down
            assert_eq!(diner.cancel().await, None); // None: it did not finish
            assert!(cleared.load(std::sync::atomic::Ordering::SeqCst));
        });
    }
    // ANCHOR_END: cancel_async_std
}

mod cancel_smol {
    // ANCHOR: cancel_smol
    struct Plate(std::sync::Arc<std::sync::atomic::AtomicBool>);

    impl Drop for Plate {
        fn drop(&mut self) {
            self.0.store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }

    #[test]
    fn a_cancelled_task_says_so_and_drops_what_it_held() {
        use std::time::Duration;
        smol::block_on(async {
            let cleared = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
            let plate = Plate(cleared.clone());
            let diner = smol::spawn(async move {
                let _plate = plate;
                smol::Timer::after(Duration::from_secs(3600)).await;
            });
            smol::Timer::after(Duration::from_millis(10)).await; // the diner sits down
            assert_eq!(diner.cancel().await, None); // None: it did not finish
            assert!(cleared.load(std::sync::atomic::Ordering::SeqCst));
        });
    }
    // ANCHOR_END: cancel_smol
}

/// The page's arithmetic about the restaurant's collision test: the chance that a run of
/// evenings shows no table seated while being wiped, at the rate counted on this machine.
#[test]
fn the_odds_of_a_test_that_waits_for_a_race() {
    let seen = claim("testing.race.seen", 11.0);
    let evenings = claim("testing.race.evenings", 30.0);
    let missing = 1.0 - seen / evenings;
    let old = claim("testing.race.old-evenings", 8.0);
    let new = claim("testing.race.new-evenings", 40.0);
    let old_percent = claim("testing.race.old-percent", 2.6);
    assert!((missing.powf(old) * 100.0 - old_percent).abs() < 0.05);
    // "About one in a hundred million."
    let odds = 1.0 / missing.powf(new);
    assert!((5e7..2e8).contains(&odds), "one in {odds:.0}");
    // The collision test really uses those numbers.
    assert_eq!(claim("restaurant.collisions.evenings", 40.0), new);
    let restaurant = include_str!("restaurant.rs");
    assert!(restaurant.contains("claim(\"restaurant.collisions.evenings\", 40.0)"));
}

/// The page's rule, in the book's own helper: a measured 10 minutes passes, 12.5 does not.
#[test]
fn the_books_timing_rule_in_one_function() {
    let unit = Duration::from_millis(100);
    common::assert_claim("lunch", 10.0, 10.0, 15.0, unit);
    common::assert_claim("lunch", 12.4, 10.0, 15.0, unit);
    for (too_soon_or_late, why) in [(9.9, "sooner than the claim"), (12.5, "halfway to 15")] {
        let failed = std::panic::catch_unwind(|| {
            common::assert_claim("lunch", too_soon_or_late, 10.0, 15.0, unit)
        });
        assert!(failed.is_err(), "{too_soon_or_late}: {why} must fail");
    }
    // A unit too short to leave 50 ms between the claim and the bound is refused.
    let short = std::panic::catch_unwind(|| {
        common::assert_claim("lunch", 10.0, 10.0, 15.0, Duration::from_millis(10))
    });
    assert!(short.is_err());
}

// ANCHOR: advance
#[tokio::test(start_paused = true)]
async fn advance_moves_the_clock_by_hand() {
    use std::time::Duration;
    let minute = Duration::from_secs(60);
    let start = tokio::time::Instant::now();
    let soup = tokio::time::sleep(5 * minute);
    tokio::pin!(soup);
    let ready = Duration::ZERO; // "is it ready?": poll once, never wait
    assert!(tokio::time::timeout(ready, &mut soup).await.is_err());
    tokio::time::advance(4 * minute).await;
    assert_eq!(start.elapsed(), 4 * minute);
    assert!(tokio::time::timeout(ready, &mut soup).await.is_err());
    tokio::time::advance(minute).await;
    assert_eq!(start.elapsed(), 5 * minute);
    assert!(tokio::time::timeout(ready, &mut soup).await.is_ok());
}
// ANCHOR_END: advance
