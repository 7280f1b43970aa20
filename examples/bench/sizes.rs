//! How big a future is: a few typical ones, made and never polled.

// ANCHOR: sizes
/// Keeps a 1 KiB order across an `.await`, so the order is part of the future.
async fn plate(order: [u8; 1024]) -> usize {
    std::future::ready(()).await;
    order.iter().map(|&byte| usize::from(byte)).sum()
}

/// The same order behind a `Box`: the future keeps only the pointer.
async fn plate_boxed(order: Box<[u8; 1024]>) -> usize {
    std::future::ready(()).await;
    order.iter().map(|&byte| usize::from(byte)).sum()
}

/// The size of each future, in bytes. Calling an `async fn` runs none of its body: it only
/// builds the future, which `size_of_val` measures.
fn plate_sizes() -> (usize, usize) {
    (
        size_of_val(&plate([0; 1024])),
        size_of_val(&plate_boxed(Box::new([0; 1024]))),
    )
}
// ANCHOR_END: sizes

use std::time::Duration;

use loopbot::Runtime;

use crate::rows::FutureSize;

/// The sizes the report lists, in its order.
pub fn future_sizes() -> Vec<FutureSize> {
    let millisecond = Duration::from_millis(1);
    // tokio's sleep registers with the runtime it is made in, so it is made inside one.
    let tokio_sleep =
        Runtime::Tokio.block_on(async move { size_of_val(&tokio::time::sleep(millisecond)) });
    let (plate, plate_boxed) = plate_sizes();
    let mut sizes = vec![
        ("async {}", size_of_val(&async {})),
        ("tokio::time::sleep(..)", tokio_sleep),
        (
            "async_std::task::sleep(..)",
            size_of_val(&async_std::task::sleep(millisecond)),
        ),
        (
            "smol::Timer::after(..)",
            size_of_val(&smol::Timer::after(millisecond)),
        ),
    ];
    sizes.extend(crate::sleepers::sleeper_sizes());
    sizes.extend([
        (
            "join of two smol timers",
            size_of_val(&futures::future::join(
                smol::Timer::after(millisecond),
                smol::Timer::after(millisecond),
            )),
        ),
        ("async fn plate([u8; 1024])", plate),
        ("async fn plate(Box<[u8; 1024]>)", plate_boxed),
    ]);
    sizes
        .into_iter()
        .map(|(future, bytes)| FutureSize {
            future: future.to_string(),
            bytes: bytes as u64,
        })
        .collect()
}
