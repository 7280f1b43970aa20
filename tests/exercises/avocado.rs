// Lunch, on tokio: the avocado blocks the pasta.
//
// `ripen` is a blocking call you cannot change (think of a library without async). Lunch joins
// the pasta and the avocado on one thread, so while `ripen` holds the thread the pasta's timer
// cannot be seen to. Make `avocado` stop blocking the pasta, so that lunch takes as long as the
// pasta alone. Check it with:
//
//     cargo test --test exercises avocado

use std::time::Duration;

/// Ripening the avocado: a blocking call that takes 5 minutes.
pub fn ripen(minute: Duration) -> &'static str {
    std::thread::sleep(5 * minute);
    "ripe avocado"
}

/// The pasta cooks for 10 minutes on a timer.
pub async fn pasta(minute: Duration) -> &'static str {
    tokio::time::sleep(10 * minute).await;
    "pasta"
}

/// Change only this function.
pub async fn avocado(minute: Duration) -> &'static str {
    ripen(minute)
}
