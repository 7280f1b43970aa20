use std::sync::atomic::{AtomicU64, Ordering};

/// One knife washed and put away: the read and the write are one atomic step, so no walk and
/// no other robot can come between them.
pub fn put_away(count: &AtomicU64, walk: &dyn Fn()) {
    walk();
    count.fetch_add(1, Ordering::SeqCst);
}
