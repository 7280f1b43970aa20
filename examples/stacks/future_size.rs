//! A future is its own frame: what it keeps across an `.await` is inside it, and so is every
//! future it awaits. Measured with `std::mem::size_of_val`, without running anything; and the
//! recursion that only a box makes possible.

// ANCHOR: futures
use std::hint::black_box;

// `yield_now` (from the futures-lite crate, which smol re-exports) is the smallest `.await`
// that really pauses, on any executor: it says "not yet" once, asks to be polled again, and
// is done the second time.
use futures_lite::future::yield_now;

/// Keeps a 1 KiB buffer across its `.await`: the buffer must live in the future.
pub async fn keeps_a_buffer_across_the_await() -> u8 {
    let buffer = [7u8; 1024];
    yield_now().await;
    black_box(&buffer)[0]
}

/// Uses a 1 KiB buffer and drops it before its `.await`: the buffer lives on the thread's stack
/// during a poll and never in the future.
pub async fn drops_the_buffer_before_the_await() -> u8 {
    let first = {
        let buffer = [7u8; 1024];
        black_box(&buffer)[0]
    };
    yield_now().await;
    first
}

/// Awaits the buffer-keeping future: the awaited future is stored inside this one.
pub async fn awaits_the_buffer_keeper() -> u8 {
    keeps_a_buffer_across_the_await().await + 1
}
// ANCHOR_END: futures

// ANCHOR: recursion
/// Counts down by calling itself. The call's future goes into a box on the heap, so this
/// future holds a pointer to it, not the future itself (Rust 1.77 and later).
pub async fn count_down(n: u32) -> u32 {
    if n == 0 {
        return 0;
    }
    yield_now().await;
    1 + Box::pin(count_down(n - 1)).await
}
// ANCHOR_END: recursion

// ANCHOR: recursion_before_1_77
use std::future::Future;
use std::pin::Pin;

/// The same, written as it had to be before Rust 1.77: a plain function that returns its whole
/// body boxed, behind the trait object `dyn Future`.
pub fn count_down_boxed(n: u32) -> Pin<Box<dyn Future<Output = u32>>> {
    Box::pin(async move {
        if n == 0 {
            return 0;
        }
        yield_now().await;
        1 + count_down_boxed(n - 1).await
    })
}
// ANCHOR_END: recursion_before_1_77

/// The size of each future, in bytes, measured with `std::mem::size_of_val`.
#[derive(Clone, Debug)]
pub struct FutureSizes {
    /// `async {}`: nothing but the state (not started, or done).
    pub empty: usize,
    /// An empty closure `|| {}`, for comparison: no state at all.
    pub empty_closure: usize,
    pub keeps_a_buffer_across_the_await: usize,
    pub drops_the_buffer_before_the_await: usize,
    pub awaits_the_buffer_keeper: usize,
    /// `count_down(3)`: its `n`, its state, and room for what it awaits (a `yield_now`, or the
    /// box that holds the call inside).
    pub count_down: usize,
    /// The box in `count_down`, `Pin<Box<…>>` of a future whose type the compiler knows.
    pub box_of_a_known_future: usize,
    /// `count_down_boxed(3)`: a `Pin<Box<dyn Future>>`, whatever the depth.
    pub count_down_boxed: usize,
}

/// The size of a `Pin<Box<F>>` for the type of `future`, without boxing it.
fn size_of_a_box_of<F>(_future: &F) -> usize {
    std::mem::size_of::<Pin<Box<F>>>()
}

/// Measures every future of this section, without running any of them.
pub fn future_sizes() -> FutureSizes {
    use std::mem::size_of_val;
    FutureSizes {
        empty: size_of_val(&async {}),
        empty_closure: size_of_val(&|| {}),
        keeps_a_buffer_across_the_await: size_of_val(&keeps_a_buffer_across_the_await()),
        drops_the_buffer_before_the_await: size_of_val(&drops_the_buffer_before_the_await()),
        awaits_the_buffer_keeper: size_of_val(&awaits_the_buffer_keeper()),
        count_down: size_of_val(&count_down(3)),
        box_of_a_known_future: size_of_a_box_of(&count_down(3)),
        count_down_boxed: size_of_val(&count_down_boxed(3)),
    }
}
