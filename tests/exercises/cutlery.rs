// The Truth about Threads: two robots, one count of knives, no lock.
//
// Two robots wash knives, and each adds to the kitchen's count when a knife is clean. `walk` is
// where the other robot may run (the check makes both robots walk at the same moment). As
// written, a robot reads the count, walks to the drawer, and writes what it read plus one, so
// one robot's knife is lost whenever the other wrote in between. Make the count exact without a
// lock: the count is an atomic, so use what it offers. Check it with:
//
//     cargo test --test exercises cutlery

use std::sync::atomic::{AtomicU64, Ordering};

/// One knife washed and put away, with a walk on the way.
pub fn put_away(count: &AtomicU64, walk: &dyn Fn()) {
    let seen = count.load(Ordering::SeqCst);
    walk();
    count.store(seen + 1, Ordering::SeqCst);
}
