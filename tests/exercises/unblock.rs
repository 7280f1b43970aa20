// Lunch, on smol: the same avocado, the same problem, smol's own answer.
//
// `ripen` blocks the thread for 5 minutes and cannot be changed. Make `avocado` stop blocking
// the pasta, so that lunch on one thread takes as long as the pasta alone. Check it with:
//
//     cargo test --test exercises unblock

use std::time::Duration;

/// Ripening the avocado: a blocking call that takes 5 minutes.
pub fn ripen(minute: Duration) -> &'static str {
    std::thread::sleep(5 * minute);
    "ripe avocado"
}

/// The pasta cooks for 10 minutes on a timer.
pub async fn pasta(minute: Duration) {
    smol::Timer::after(10 * minute).await;
}

/// Change only this function.
pub async fn avocado(minute: Duration) -> &'static str {
    ripen(minute)
}
