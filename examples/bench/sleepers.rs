//! What a sleeping task costs: N tasks that each sleep for an hour, started on one thread of
//! each runtime, in that runtime's own API; the same with threads, and with Python's asyncio.
//!
//! The listings between the anchors are what the chapter shows, one tab per runtime: each
//! compiles in a project whose only dependency is that runtime. The rest turns what they
//! return into a row.

// ANCHOR: sleepers
use std::future::Future;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

/// How long a sleeper sleeps: far longer than the measurement, so none wakes while measured.
const HOUR: Duration = Duration::from_secs(3600);

/// How many tasks have been polled once. A static, so that a sleeper captures nothing and its
/// future is no bigger than the runtime's own sleep.
static STARTED: AtomicUsize = AtomicUsize::new(0);
// ANCHOR_END: sleepers

use std::process::Command;
use std::time::Instant;

use loopbot::Runtime;
use loopbot::process::ProcessStatus;

use crate::allocator::{ALLOCATIONS, HEAP_BYTES};
use crate::rows::{Sleepers, Who};

// ANCHOR: sleepers_tokio
async fn sleeper_tokio() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    tokio::time::sleep(HOUR).await;
}

/// Spawns `count` tasks made by `task` on one thread, and waits until each has been polled
/// once. Returns what `measure` said just before the first spawn and once all had started.
fn start_on_tokio<F, M>(count: usize, task: fn() -> F, mut measure: impl FnMut() -> M) -> (M, M)
where
    F: Future<Output = ()> + 'static,
{
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    tokio::task::LocalSet::new().block_on(&runtime, async {
        let before = measure();
        for _ in 0..count {
            tokio::task::spawn_local(task());
        }
        while STARTED.load(Ordering::Relaxed) < count {
            tokio::task::yield_now().await;
        }
        (before, measure())
    })
}
// ANCHOR_END: sleepers_tokio

// ANCHOR: sleepers_async_std
async fn sleeper_async_std() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    async_std::task::sleep(HOUR).await;
}

/// Spawns `count` tasks made by `task` on one thread, and waits until each has been polled
/// once. Returns what `measure` said just before the first spawn and once all had started.
fn start_on_async_std<F, M>(count: usize, task: fn() -> F, mut measure: impl FnMut() -> M) -> (M, M)
where
    F: Future<Output = ()> + 'static,
{
    async_std::task::block_on(async {
        let before = measure();
        for _ in 0..count {
            async_std::task::spawn_local(task());
        }
        while STARTED.load(Ordering::Relaxed) < count {
            async_std::task::yield_now().await;
        }
        (before, measure())
    })
}
// ANCHOR_END: sleepers_async_std

// ANCHOR: sleepers_smol
async fn sleeper_smol() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    smol::Timer::after(HOUR).await;
}

/// Spawns `count` tasks made by `task` on one thread, and waits until each has been polled
/// once. Returns what `measure` said just before the first spawn and once all had started.
fn start_on_smol<F, M>(count: usize, task: fn() -> F, mut measure: impl FnMut() -> M) -> (M, M)
where
    F: Future<Output = ()> + 'static,
{
    let executor = smol::LocalExecutor::new();
    smol::block_on(executor.run(async {
        let before = measure();
        for _ in 0..count {
            executor.spawn(task()).detach();
        }
        while STARTED.load(Ordering::Relaxed) < count {
            smol::future::yield_now().await;
        }
        (before, measure())
    }))
}
// ANCHOR_END: sleepers_smol

/// The smallest task that waits: it counts itself and never wakes. What it costs is the
/// runtime's own share of every task.
async fn smallest() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    std::future::pending::<()>().await;
}

/// The sizes of the three sleepers' futures, as the report lists them.
pub fn sleeper_sizes() -> [(&'static str, usize); 3] {
    [
        ("sleeper task, tokio", size_of_val(&sleeper_tokio())),
        ("sleeper task, async-std", size_of_val(&sleeper_async_std())),
        ("sleeper task, smol", size_of_val(&sleeper_smol())),
    ]
}

/// What the process holds at one moment.
struct Snapshot {
    at: Instant,
    resident: u64,
    heap: usize,
    allocations: u64,
}

impl Snapshot {
    fn now() -> Self {
        Snapshot {
            at: Instant::now(),
            resident: ProcessStatus::read().resident,
            heap: HEAP_BYTES.load(Ordering::Relaxed),
            allocations: ALLOCATIONS.load(Ordering::Relaxed),
        }
    }
}

/// The row for `count` tasks (or threads) from what the process held before and after.
fn row(
    who: Who,
    count: u32,
    future: Option<usize>,
    (before, after): (Snapshot, Snapshot),
) -> Sleepers {
    Sleepers {
        who,
        count,
        allocator: crate::allocator::NAME.to_string(),
        start_ms: (after.at - before.at).as_secs_f64() * 1e3,
        rss_growth_bytes: after.resident.saturating_sub(before.resident),
        peak_rss_bytes: ProcessStatus::read().peak_resident,
        heap_bytes: Some(after.heap.saturating_sub(before.heap) as u64),
        allocations: Some(after.allocations - before.allocations),
        future_bytes: future.map(|bytes| bytes as u64),
    }
}

/// `count` sleepers on one thread of `runtime`.
pub fn sleepers(runtime: Runtime, count: u32) -> Sleepers {
    let n = count as usize;
    let (future, snapshots) = match runtime {
        Runtime::Tokio => (
            size_of_val(&sleeper_tokio()),
            start_on_tokio(n, sleeper_tokio, Snapshot::now),
        ),
        Runtime::AsyncStd => (
            size_of_val(&sleeper_async_std()),
            start_on_async_std(n, sleeper_async_std, Snapshot::now),
        ),
        Runtime::Smol => (
            size_of_val(&sleeper_smol()),
            start_on_smol(n, sleeper_smol, Snapshot::now),
        ),
    };
    row(runtime.into(), count, Some(future), snapshots)
}

/// `count` of the smallest tasks on one thread of `runtime`.
pub fn smallest_tasks(runtime: Runtime, count: u32) -> Sleepers {
    let n = count as usize;
    let snapshots = match runtime {
        Runtime::Tokio => start_on_tokio(n, smallest, Snapshot::now),
        Runtime::AsyncStd => start_on_async_std(n, smallest, Snapshot::now),
        Runtime::Smol => start_on_smol(n, smallest, Snapshot::now),
    };
    row(
        runtime.into(),
        count,
        Some(size_of_val(&smallest())),
        snapshots,
    )
}

/// `count` threads that each sleep. They are never joined: the process ends under them. A
/// thread runs no future: what it keeps is on its stack.
pub fn thread_sleepers(count: u32) -> Sleepers {
    let before = Snapshot::now();
    for _ in 0..count {
        std::thread::spawn(|| {
            STARTED.fetch_add(1, Ordering::Relaxed);
            std::thread::sleep(HOUR);
        });
    }
    while STARTED.load(Ordering::Relaxed) < count as usize {
        std::thread::yield_now();
    }
    row(Who::Threads, count, None, (before, Snapshot::now()))
}

/// The same sleepers under Python's asyncio: `asyncio.sleep` in `count` tasks on one loop. It
/// prints one row of the same shape as the others.
const PYTHON_SLEEPERS: &str = r#"
import asyncio, json, os, sys, time

def status(field):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field + ":"):
                return int(line.split()[1]) * 1024
    return 0

async def main(count):
    before = status("VmRSS")
    start = time.perf_counter()
    tasks = [asyncio.create_task(asyncio.sleep(3600)) for _ in range(count)]
    await asyncio.sleep(0)  # one turn of the loop: every task starts its sleep
    elapsed = time.perf_counter() - start
    print(json.dumps({
        "measurement": "sleepers", "who": "python", "count": count, "allocator": "pymalloc",
        "start_ms": elapsed * 1e3, "rss_growth_bytes": status("VmRSS") - before,
        "peak_rss_bytes": status("VmHWM"), "heap_bytes": None, "allocations": None,
        "future_bytes": None,
    }))
    sys.stdout.flush()
    os._exit(0)  # cancelling a million tasks would take longer than starting them

asyncio.run(main(int(sys.argv[1])))
"#;

/// Whether `python3` runs here at all.
pub fn python_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The command that measures `count` asyncio sleepers in a fresh Python process.
pub fn python_sleepers(count: u32) -> Command {
    let mut command = Command::new("python3");
    command.args(["-c", PYTHON_SLEEPERS, &count.to_string()]);
    command
}
