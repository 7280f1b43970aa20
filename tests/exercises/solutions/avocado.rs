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

/// The blocking call goes to tokio's blocking pool, a thread of its own; this task waits for
/// it at an `.await`, and the thread of the loop stays free for the pasta.
pub async fn avocado(minute: Duration) -> &'static str {
    tokio::task::spawn_blocking(move || ripen(minute))
        .await
        .expect("ripening does not panic")
}
