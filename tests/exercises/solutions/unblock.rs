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

/// `unblock` runs the blocking call on smol's thread pool and gives back a future to await.
pub async fn avocado(minute: Duration) -> &'static str {
    smol::unblock(move || ripen(minute)).await
}
