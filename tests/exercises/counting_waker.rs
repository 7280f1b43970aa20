// A Bestiary, wakers: a waker that counts how often it is woken.
//
// A `Waker` is how a future says "poll me again". Build one whose wakes are counted: every
// `wake`, `wake_by_ref` and wake of a clone adds one to the counter it returns. As written, it
// returns a waker that does nothing. (Look at `std::task::Wake`.) Check it with:
//
//     cargo test --test exercises counting_waker

use std::sync::Arc;
use std::sync::atomic::AtomicUsize;
use std::task::Waker;

/// A waker, and the count of its wakes so far.
pub fn counting_waker() -> (Waker, Arc<AtomicUsize>) {
    (Waker::noop().clone(), Arc::new(AtomicUsize::new(0)))
}
