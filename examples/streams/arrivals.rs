//! `async for`, in Rust: the diners arrive one a minute along a channel, and the host greets
//! each one in a `while let` loop. async-std's and smol's receivers are streams; tokio's is
//! not, and has its own `recv`.

use std::time::{Duration, Instant};

/// Six diners arrive, one a minute.
pub const DINERS: u32 = 6;

/// `real` in story minutes.
fn minutes(real: Duration, minute: Duration) -> f64 {
    real.as_secs_f64() / minute.as_secs_f64()
}

// ANCHOR: tokio
/// The street: sends each diner as they arrive, then closes the channel.
async fn street_tokio(minute: Duration, door: tokio::sync::mpsc::Sender<u32>) {
    for diner in 1..=DINERS {
        tokio::time::sleep(minute).await;
        door.send(diner).await.expect("the host is at the door");
    }
}

/// The host: greets every diner, until the street is empty.
async fn host_tokio(mut arrivals: tokio::sync::mpsc::Receiver<u32>, greeted: &mut Vec<u32>) {
    // A tokio Receiver is not a Stream: `recv` gives the next diner, or None at the end.
    while let Some(diner) = arrivals.recv().await {
        greeted.push(diner);
    }
}
// ANCHOR_END: tokio

/// The evening's arrivals on tokio: who was greeted, in order, and when the last one was.
pub fn on_tokio(minute: Duration) -> (Vec<u32>, f64) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    let start = Instant::now();
    let mut greeted = Vec::new();
    runtime.block_on(async {
        let (door, arrivals) = tokio::sync::mpsc::channel(1);
        tokio::join!(
            street_tokio(minute, door),
            host_tokio(arrivals, &mut greeted)
        );
    });
    (greeted, minutes(start.elapsed(), minute))
}

// ANCHOR: async_std
/// The street: sends each diner as they arrive, then closes the channel.
async fn street_async_std(minute: Duration, door: async_std::channel::Sender<u32>) {
    for diner in 1..=DINERS {
        async_std::task::sleep(minute).await;
        door.send(diner).await.expect("the host is at the door");
    }
}

/// The host: greets every diner, until the street is empty.
async fn host_async_std(mut arrivals: async_std::channel::Receiver<u32>, greeted: &mut Vec<u32>) {
    use futures::StreamExt;
    // The receiver is a Stream: `next` gives the next diner, or None at the end.
    while let Some(diner) = arrivals.next().await {
        greeted.push(diner);
    }
}
// ANCHOR_END: async_std

/// The evening's arrivals on async-std.
pub fn on_async_std(minute: Duration) -> (Vec<u32>, f64) {
    let start = Instant::now();
    let mut greeted = Vec::new();
    async_std::task::block_on(async {
        let (door, arrivals) = async_std::channel::bounded(1);
        futures::join!(
            street_async_std(minute, door),
            host_async_std(arrivals, &mut greeted)
        );
    });
    (greeted, minutes(start.elapsed(), minute))
}

// ANCHOR: smol
/// The street: sends each diner as they arrive, then closes the channel.
async fn street_smol(minute: Duration, door: smol::channel::Sender<u32>) {
    for diner in 1..=DINERS {
        smol::Timer::after(minute).await;
        door.send(diner).await.expect("the host is at the door");
    }
}

/// The host: greets every diner, until the street is empty.
async fn host_smol(arrivals: smol::channel::Receiver<u32>, greeted: &mut Vec<u32>) {
    use smol::stream::StreamExt;
    // The receiver is a Stream: `next` gives the next diner, or None at the end. (This
    // one must be pinned first: `next` wants a stream that stays put.)
    let mut arrivals = std::pin::pin!(arrivals);
    while let Some(diner) = arrivals.next().await {
        greeted.push(diner);
    }
}
// ANCHOR_END: smol

/// The evening's arrivals on smol.
pub fn on_smol(minute: Duration) -> (Vec<u32>, f64) {
    let start = Instant::now();
    let mut greeted = Vec::new();
    smol::block_on(async {
        let (door, arrivals) = smol::channel::bounded(1);
        smol::future::zip(street_smol(minute, door), host_smol(arrivals, &mut greeted)).await;
    });
    (greeted, minutes(start.elapsed(), minute))
}
