// The Chatty Guest, on tokio: a timeout that does not lose the order.
//
// A WaitBot has only so much patience for a chatty guest. `take_order` waits for the order at
// most `patience`, and returns `None` if it ran out. As written, the timeout drops the order
// future when patience runs out, so the kitchen never cooks it. Make the order survive: the
// WaitBot stops waiting, the order still gets cooked. (Time out the wait, not the work.) Check
// it with:
//
//     cargo test --test exercises take_order

use std::future::Future;
use std::time::Duration;

/// The order, if it came within `patience`; the order is cooked either way.
pub async fn take_order<F>(order: F, patience: Duration) -> Option<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    tokio::time::timeout(patience, order).await.ok()
}
