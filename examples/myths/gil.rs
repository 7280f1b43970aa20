//! Myth 3, "async removes the GIL's problems": Rust has no GIL, and a multi-threaded runtime
//! spreads CPU-bound tasks over the cores.

// ANCHOR: crunch
/// A fixed amount of arithmetic: unlike `spin_for`, it takes longer on a slower machine and
/// less time when it has a core of its own.
pub fn crunch(rounds: u64) -> u64 {
    let mut hash = 0xcbf2_9ce4_8422_2325_u64;
    for round in 0..rounds {
        hash = (hash ^ std::hint::black_box(round)).wrapping_mul(0x0100_0000_01b3);
    }
    hash
}
// ANCHOR_END: crunch

// ANCHOR: parallel_tokio
/// Spawns `jobs` crunches on a runtime with `jobs` worker threads. Returns the thread each ran on.
pub fn crunch_on_threads_tokio(jobs: usize, rounds: u64) -> Vec<std::thread::ThreadId> {
    let pool = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(jobs)
        .build()
        .expect("a multi-threaded tokio runtime builds");
    pool.block_on(async {
        let handles: Vec<_> = (0..jobs)
            .map(|_| {
                tokio::spawn(async move {
                    std::hint::black_box(crunch(rounds));
                    std::thread::current().id()
                })
            })
            .collect();
        let mut ids = Vec::new();
        for handle in handles {
            ids.push(handle.await.expect("the job finishes"));
        }
        ids
    })
}
// ANCHOR_END: parallel_tokio

// ANCHOR: parallel_async_std
/// Spawns `jobs` crunches on async-std's global executor, which runs a thread per core.
/// Returns the thread each ran on.
pub fn crunch_on_threads_async_std(jobs: usize, rounds: u64) -> Vec<std::thread::ThreadId> {
    async_std::task::block_on(async {
        let handles: Vec<_> = (0..jobs)
            .map(|_| {
                async_std::task::spawn(async move {
                    std::hint::black_box(crunch(rounds));
                    std::thread::current().id()
                })
            })
            .collect();
        let mut ids = Vec::new();
        for handle in handles {
            ids.push(handle.await);
        }
        ids
    })
}
// ANCHOR_END: parallel_async_std

// ANCHOR: parallel_smol
/// Spawns `jobs` crunches on a smol `Executor` that `jobs` threads run. Returns the thread each
/// ran on.
pub fn crunch_on_threads_smol(jobs: usize, rounds: u64) -> Vec<std::thread::ThreadId> {
    let executor = smol::Executor::new();
    let (stop, stopped) = smol::channel::unbounded::<()>();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            scope.spawn(|| smol::block_on(executor.run(stopped.recv())));
        }
        let tasks: Vec<_> = (0..jobs)
            .map(|_| {
                executor.spawn(async move {
                    std::hint::black_box(crunch(rounds));
                    std::thread::current().id()
                })
            })
            .collect();
        let ids = smol::block_on(async {
            let mut ids = Vec::new();
            for task in tasks {
                ids.push(task.await);
            }
            ids
        });
        drop(stop); // the threads' `run` ends when the channel closes
        ids
    })
}
// ANCHOR_END: parallel_smol
