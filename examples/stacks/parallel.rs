//! Where Rust differs: tasks on several threads. Two tasks each arrive at a meeting point and
//! then compute, without an `.await`, until the other has arrived too, for at most a second.
//! Only tasks that run at the same moment, on two threads, can meet.

// ANCHOR: meet
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

/// Arrives, then waits without yielding for the other task, for at most a second. Returns
/// whether it saw the other arrive.
async fn meet(arrived: Arc<AtomicUsize>) -> bool {
    arrived.fetch_add(1, Ordering::SeqCst);
    let give_up = Instant::now() + Duration::from_secs(1);
    while Instant::now() < give_up {
        if arrived.load(Ordering::SeqCst) == 2 {
            return true;
        }
        std::hint::spin_loop();
    }
    false
}
// ANCHOR_END: meet

// ANCHOR: tokio
/// Two tasks spawned on a runtime with two worker threads, then on a one-thread runtime.
/// Returns whether each task met the other, for each runtime.
pub fn meet_tokio() -> [(bool, bool); 2] {
    use tokio::runtime::Builder;
    let two_threads = Builder::new_multi_thread().worker_threads(2).build();
    let one_thread = Builder::new_current_thread().build();
    [two_threads, one_thread].map(|runtime| {
        runtime.expect("tokio starts").block_on(async {
            let arrived = Arc::new(AtomicUsize::new(0));
            let first = tokio::spawn(meet(arrived.clone()));
            let second = tokio::spawn(meet(arrived));
            (first.await.unwrap(), second.await.unwrap())
        })
    })
}
// ANCHOR_END: tokio

// ANCHOR: async_std
/// Two tasks spawned on async-std's executor threads, then on this thread alone.
/// Returns whether each task met the other, both times.
pub fn meet_async_std() -> [(bool, bool); 2] {
    async_std::task::block_on(async {
        // task::spawn: async-std's own threads, one per core unless ASYNC_STD_THREAD_COUNT says.
        let arrived = Arc::new(AtomicUsize::new(0));
        let first = async_std::task::spawn(meet(arrived.clone()));
        let second = async_std::task::spawn(meet(arrived));
        let on_its_threads = (first.await, second.await);
        // task::spawn_local: this thread only.
        let arrived = Arc::new(AtomicUsize::new(0));
        let first = async_std::task::spawn_local(meet(arrived.clone()));
        let second = async_std::task::spawn_local(meet(arrived));
        [on_its_threads, (first.await, second.await)]
    })
}
// ANCHOR_END: async_std

// ANCHOR: smol
/// Two tasks on an executor that two threads run, then on one that only this thread runs.
/// Returns whether each task met the other, both times.
pub fn meet_smol() -> [(bool, bool); 2] {
    let executor = smol::Executor::new();
    let (stop, stopped) = smol::channel::bounded::<()>(1);
    let on_two_threads = std::thread::scope(|scope| {
        for _ in 0..2 {
            // Each thread runs the executor's tasks until `stop` is dropped.
            scope.spawn(|| smol::block_on(executor.run(stopped.recv())));
        }
        let arrived = Arc::new(AtomicUsize::new(0));
        let first = executor.spawn(meet(arrived.clone()));
        let second = executor.spawn(meet(arrived));
        let met = smol::block_on(async { (first.await, second.await) });
        drop(stop);
        met
    });
    let local = smol::LocalExecutor::new();
    let on_one_thread = smol::block_on(local.run(async {
        let arrived = Arc::new(AtomicUsize::new(0));
        let first = local.spawn(meet(arrived.clone()));
        let second = local.spawn(meet(arrived));
        (first.await, second.await)
    }));
    [on_two_threads, on_one_thread]
}
// ANCHOR_END: smol
