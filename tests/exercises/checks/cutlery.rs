/// Two robots on two threads each put away 100 knives. Their walks meet at a barrier, so both
/// are always mid-knife at once: a read and a write with a walk between them lose a knife
/// every time, and the count must still end at 200.
pub fn check() {
    use std::sync::Barrier;
    use std::sync::atomic::{AtomicU64, Ordering};
    let count = AtomicU64::new(0);
    let together = Barrier::new(2);
    let walk = || {
        together.wait();
    };
    std::thread::scope(|s| {
        for _robot in 0..2 {
            s.spawn(|| {
                for _knife in 0..100 {
                    super::under_test::put_away(&count, &walk);
                }
            });
        }
    });
    let knives = count.load(Ordering::SeqCst);
    assert_eq!(
        knives, 200,
        "the kitchen counted {knives} knives, not 200: a robot wrote over the other's count"
    );
}
