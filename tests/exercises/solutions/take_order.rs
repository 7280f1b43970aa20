use std::future::Future;
use std::time::Duration;

/// The order, if it came within `patience`; the order is cooked either way. The work is a task
/// of its own; the timeout is on a borrow of its handle, so running out of patience drops only
/// the borrow, and the task (detached when its handle goes) finishes on its own.
pub async fn take_order<F>(order: F, patience: Duration) -> Option<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let mut cooking = tokio::spawn(order);
    match tokio::time::timeout(patience, &mut cooking).await {
        Ok(done) => Some(done.expect("the order does not panic")),
        Err(_) => None,
    }
}
