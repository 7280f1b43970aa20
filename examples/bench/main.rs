//! How many guests can one LoopBot serve? What a sleeping task costs on tokio, async-std and
//! smol (and a thread, and a Python asyncio task), how fast tasks start, how late timers wake,
//! and what one blocking call does to everything else on the thread.
//!
//! ```text
//! cargo run --release --example bench -- --runtime all
//! cargo run --release --example bench -- --runtime all --allocator mimalloc
//! cargo run --release --example bench -- --runtime smol --max-tasks 10000 --json
//! ```
//!
//! Every figure except the future sizes comes from a fresh process: the example runs itself
//! once per row (with the hidden `--job`), so memory one measurement freed cannot flatter the
//! next. Memory is read from `/proc/self/status` (`VmRSS`, and `VmHWM` for the peak), and the
//! heap from a counting global allocator that wraps the system allocator (or mimalloc, with
//! `--allocator mimalloc`). All tasks run on one thread, as a LoopBot does.
//! `--minute-ms` is accepted, like in every example, but nothing here is a story minute.

#[allow(dead_code)]
#[path = "threads_cost.rs"]
mod thread_cost;

use std::alloc::{GlobalAlloc, Layout, System};
use std::ffi::{CStr, c_char};
use std::future::Future;
use std::hint::black_box;
use std::io::IsTerminal;
use std::pin::Pin;
use std::process::Command;
use std::sync::atomic::{AtomicU8, AtomicU64, AtomicUsize, Ordering};
use std::task::{Context, Waker};
use std::thread;
use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, RuntimeArgs};
use loopbot::myself::{self, JobArgs};
use loopbot::process::ProcessStatus;
use serde_json::{Value, json};

/// How long a sleeper sleeps: far longer than any measurement, so none wakes while measured.
const SLEEP: Duration = Duration::from_secs(3600);
/// The counts of sleepers measured, up to `--max-tasks`.
const LADDER: [u32; 4] = [1, 10_000, 100_000, 1_000_000];
/// The environment variable that tells a child which allocator to use from its first byte.
const ALLOCATOR_VARIABLE: &str = "LOOPBOT_BENCH_ALLOCATOR";

#[derive(Parser)]
#[command(about = "How many sleeping tasks one thread can hold, and what each costs")]
struct Args {
    #[command(flatten)]
    story: RuntimeArgs,
    /// The most sleeping tasks to start (1, 10000, 100000, 1000000, up to this many).
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    max_tasks: u32,
    /// The most sleeping threads to start: every thread maps its own stack, and Linux allows
    /// 65530 mappings per process by default (`vm.max_map_count`), so 100000 cannot start.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    max_threads: u32,
    /// How many empty tasks to spawn and join for the spawn throughput.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    spawn_count: u32,
    /// How many round trips to time between two tasks, and between two threads.
    #[arg(long, default_value_t = 100_000, value_parser = clap::value_parser!(u32).range(1..=10_000_000))]
    round_trips: u32,
    /// How many 1 ms sleeps to time on each runtime.
    #[arg(long, default_value_t = 1_000, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    timer_samples: u32,
    /// The allocator under the counting one.
    #[arg(long, value_enum, default_value_t = Allocator::System)]
    allocator: Allocator,
    #[command(flatten)]
    job: JobArgs,
}

/// Which allocator serves the heap.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum Allocator {
    /// The C library's malloc.
    System,
    /// Microsoft's mimalloc.
    Mimalloc,
}

impl Allocator {
    fn name(self) -> &'static str {
        match self {
            Allocator::System => "system",
            Allocator::Mimalloc => "mimalloc",
        }
    }
}

// ANCHOR: counting
/// Counts every byte and every allocation, and hands the work to the system allocator or to
/// mimalloc. The choice is made once, at the first allocation, from an environment variable
/// read without allocating: memory from one allocator must never be freed by the other.
struct Counting;

static HEAP_BYTES: AtomicUsize = AtomicUsize::new(0);
static ALLOCATIONS: AtomicU64 = AtomicU64::new(0);
/// 0: not chosen yet, 1: system, 2: mimalloc.
static CHOICE: AtomicU8 = AtomicU8::new(0);

unsafe extern "C" {
    fn getenv(name: *const c_char) -> *const c_char;
}

fn mimalloc_chosen() -> bool {
    match CHOICE.load(Ordering::Relaxed) {
        1 => false,
        2 => true,
        _ => {
            // SAFETY: a NUL-terminated name; the result is NULL or a NUL-terminated value, and
            // nothing changes the environment while the process is still single-threaded.
            let value = unsafe { getenv(c"LOOPBOT_BENCH_ALLOCATOR".as_ptr()) };
            let mimalloc = !value.is_null() && unsafe { CStr::from_ptr(value) } == c"mimalloc";
            CHOICE.store(if mimalloc { 2 } else { 1 }, Ordering::Relaxed);
            mimalloc
        }
    }
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        HEAP_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: the caller's promises about `layout` pass straight through.
        unsafe {
            if mimalloc_chosen() {
                mimalloc::MiMalloc.alloc(layout)
            } else {
                System.alloc(layout)
            }
        }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        HEAP_BYTES.fetch_add(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as in `alloc`.
        unsafe {
            if mimalloc_chosen() {
                mimalloc::MiMalloc.alloc_zeroed(layout)
            } else {
                System.alloc_zeroed(layout)
            }
        }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        HEAP_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        // SAFETY: `pointer` came from the same allocator, chosen once for the whole process.
        unsafe {
            if mimalloc_chosen() {
                mimalloc::MiMalloc.dealloc(pointer, layout)
            } else {
                System.dealloc(pointer, layout)
            }
        }
    }

    unsafe fn realloc(&self, pointer: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        HEAP_BYTES.fetch_add(new_size, Ordering::Relaxed);
        HEAP_BYTES.fetch_sub(layout.size(), Ordering::Relaxed);
        ALLOCATIONS.fetch_add(1, Ordering::Relaxed);
        // SAFETY: as in `dealloc`.
        unsafe {
            if mimalloc_chosen() {
                mimalloc::MiMalloc.realloc(pointer, layout, new_size)
            } else {
                System.realloc(pointer, layout, new_size)
            }
        }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;
// ANCHOR_END: counting

/// What the process holds now: resident set, heap bytes, allocations so far.
struct Snapshot {
    resident: u64,
    heap: usize,
    allocations: u64,
}

impl Snapshot {
    fn now() -> Self {
        Snapshot {
            resident: ProcessStatus::read().resident,
            heap: HEAP_BYTES.load(Ordering::Relaxed),
            allocations: ALLOCATIONS.load(Ordering::Relaxed),
        }
    }

    /// One row of the sleepers measurement: what `count` waiting tasks (or threads) added.
    fn row(&self, what: &str, who: &str, count: u32, start: Duration, future: usize) -> Value {
        let now = Snapshot::now();
        json!({
            "measurement": what,
            "who": who,
            "count": count,
            "allocator": if mimalloc_chosen() { "mimalloc" } else { "system" },
            "start_ms": start.as_secs_f64() * 1e3,
            "rss_growth_bytes": now.resident.saturating_sub(self.resident),
            "peak_rss_bytes": ProcessStatus::read().peak_resident,
            "heap_bytes": now.heap.saturating_sub(self.heap),
            "allocations": now.allocations - self.allocations,
            "future_bytes": future,
        })
    }
}

/// How many sleepers have started (been polled once) so far. A static, so that the sleeper
/// future captures nothing and stays as small as the runtime's own sleep.
static STARTED: AtomicUsize = AtomicUsize::new(0);

// ANCHOR: sleepers
/// Spawns `count` tasks made by `task` on one thread of `runtime`, waits until every one has
/// been polled once, and says what they added to the process.
fn start_tasks<F>(what: &str, runtime: Runtime, count: u32, task: impl Fn() -> F) -> Value
where
    F: Future<Output = ()> + 'static,
{
    runtime.block_on(async move {
        let future = std::mem::size_of_val(&task());
        let before = Snapshot::now();
        let start = Instant::now();
        for _ in 0..count {
            runtime.spawn_local(task()).detach();
        }
        while STARTED.load(Ordering::Relaxed) < count as usize {
            smol::future::yield_now().await;
        }
        before.row(what, runtime.name(), count, start.elapsed(), future)
    })
}

async fn tokio_sleeper() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    tokio::time::sleep(SLEEP).await;
}

async fn async_std_sleeper() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    async_std::task::sleep(SLEEP).await;
}

async fn smol_sleeper() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    smol::Timer::after(SLEEP).await;
}
// ANCHOR_END: sleepers

/// The smallest task that waits: it counts itself and never wakes.
async fn smallest() {
    STARTED.fetch_add(1, Ordering::Relaxed);
    std::future::pending::<()>().await;
}

fn sleepers(runtime: Runtime, count: u32) -> Value {
    match runtime {
        Runtime::Tokio => start_tasks("sleepers", runtime, count, tokio_sleeper),
        Runtime::AsyncStd => start_tasks("sleepers", runtime, count, async_std_sleeper),
        Runtime::Smol => start_tasks("sleepers", runtime, count, smol_sleeper),
    }
}

/// `count` threads that each sleep. They are never joined: the process ends under them.
fn thread_sleepers(count: u32) -> Value {
    let before = Snapshot::now();
    let start = Instant::now();
    for _ in 0..count {
        thread::spawn(|| {
            STARTED.fetch_add(1, Ordering::Relaxed);
            thread::sleep(SLEEP);
        });
    }
    while STARTED.load(Ordering::Relaxed) < count as usize {
        thread::yield_now();
    }
    // A thread runs no future: its state is on its stack.
    before.row("sleepers", "threads", count, start.elapsed(), 0)
}

/// The same sleepers under Python's asyncio: `asyncio.sleep` in `count` tasks on one loop.
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

fn python_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// Spawns `count` tiny tasks, then awaits each: the time per task.
fn spawn_and_join(runtime: Runtime, count: u32) -> Value {
    runtime.block_on(async move {
        let mut handles = Vec::with_capacity(count as usize);
        let start = Instant::now();
        for index in 0..count {
            handles.push(runtime.spawn_local(async move {
                black_box(index);
            }));
        }
        for handle in handles {
            handle.await;
        }
        let each = start.elapsed().as_secs_f64() * 1e9 / f64::from(count);
        json!({"measurement": "spawn", "who": runtime.name(), "count": count, "ns_per_task": each})
    })
}

/// The same tiny futures, boxed into a vector and polled once each: no runtime at all.
fn poll_a_vector(count: u32) -> Value {
    let start = Instant::now();
    let mut futures: Vec<Pin<Box<dyn Future<Output = ()>>>> = (0..count)
        .map(|index| {
            Box::pin(async move {
                black_box(index);
            }) as Pin<Box<dyn Future<Output = ()>>>
        })
        .collect();
    let mut context = Context::from_waker(Waker::noop());
    for future in &mut futures {
        assert!(future.as_mut().poll(&mut context).is_ready());
    }
    drop(futures);
    let each = start.elapsed().as_secs_f64() * 1e9 / f64::from(count);
    json!({"measurement": "spawn", "who": "vector", "count": count, "ns_per_task": each})
}

fn ping_pong(who: &str, round_trips: u32) -> Value {
    let cost = match who.parse::<Runtime>() {
        Ok(runtime) => thread_cost::tasks(runtime, 1, round_trips),
        Err(_) => thread_cost::threads(1, round_trips),
    };
    json!({
        "measurement": "ping-pong",
        "who": who,
        "count": round_trips,
        "ns_per_round_trip": cost.round_trip_ns,
    })
}

/// The `fraction` quantile of sorted `values` (nearest rank).
fn quantile(sorted: &[f64], fraction: f64) -> f64 {
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Sleeps 1 ms `samples` times and says how late each sleep woke, in microseconds.
fn timer_lateness(runtime: Runtime, samples: u32) -> Value {
    let mut late: Vec<f64> = runtime.block_on(async move {
        let mut late = Vec::with_capacity(samples as usize);
        for _ in 0..samples {
            let start = Instant::now();
            runtime.sleep(Duration::from_millis(1)).await;
            let overslept = start.elapsed().saturating_sub(Duration::from_millis(1));
            late.push(overslept.as_secs_f64() * 1e6);
        }
        late
    });
    late.sort_by(f64::total_cmp);
    json!({
        "measurement": "timer",
        "who": runtime.name(),
        "count": samples,
        "median_late_us": quantile(&late, 0.5),
        "p99_late_us": quantile(&late, 0.99),
    })
}

/// A 1 ms ticker runs for 150 ms; 20 ms in, a 100 ms blocking call runs, either right on the
/// loop's thread or on the runtime's blocking pool. Returns the ticker's latest tick, in ms.
fn latest_tick(runtime: Runtime, offload: bool) -> f64 {
    runtime.block_on(async move {
        let ticker = runtime.spawn_local(async move {
            let end = Instant::now() + Duration::from_millis(150);
            let mut latest = Duration::ZERO;
            while Instant::now() < end {
                let start = Instant::now();
                runtime.sleep(Duration::from_millis(1)).await;
                latest = latest.max(start.elapsed().saturating_sub(Duration::from_millis(1)));
            }
            latest
        });
        runtime.sleep(Duration::from_millis(20)).await;
        let blocking_call = || thread::sleep(Duration::from_millis(100));
        if offload {
            runtime.unblock(blocking_call).await;
        } else {
            blocking_call();
        }
        ticker.await.as_secs_f64() * 1e3
    })
}

fn blocking(runtime: Runtime) -> Value {
    json!({
        "measurement": "blocking",
        "who": runtime.name(),
        "count": 1,
        "on_the_loop_late_ms": latest_tick(runtime, false),
        "offloaded_late_ms": latest_tick(runtime, true),
    })
}

// ANCHOR: sizes
async fn plate(order: [u8; 1024]) -> usize {
    smol::future::yield_now().await;
    order.iter().map(|&byte| usize::from(byte)).sum()
}

async fn plate_boxed(order: Box<[u8; 1024]>) -> usize {
    smol::future::yield_now().await;
    order.iter().map(|&byte| usize::from(byte)).sum()
}

/// The size of a few typical futures, made but never polled.
fn future_sizes() -> Vec<Value> {
    let size = |future: &str, bytes: usize| json!({"measurement": "future-size", "who": future, "count": 1, "bytes": bytes});
    let millisecond = Duration::from_millis(1);
    let mut sizes = vec![size("async {}", std::mem::size_of_val(&async {}))];
    sizes.push(Runtime::Tokio.block_on(async move {
        size(
            "tokio::time::sleep(..)",
            std::mem::size_of_val(&tokio::time::sleep(millisecond)),
        )
    }));
    sizes.push(size(
        "async_std::task::sleep(..)",
        std::mem::size_of_val(&async_std::task::sleep(millisecond)),
    ));
    sizes.push(size(
        "smol::Timer::after(..)",
        std::mem::size_of_val(&smol::Timer::after(millisecond)),
    ));
    sizes.push(size(
        "sleeper task, tokio",
        std::mem::size_of_val(&tokio_sleeper()),
    ));
    sizes.push(size(
        "sleeper task, async-std",
        std::mem::size_of_val(&async_std_sleeper()),
    ));
    sizes.push(size(
        "sleeper task, smol",
        std::mem::size_of_val(&smol_sleeper()),
    ));
    sizes.push(size(
        "join of two smol timers",
        std::mem::size_of_val(&futures::future::join(
            smol::Timer::after(millisecond),
            smol::Timer::after(millisecond),
        )),
    ));
    sizes.push(size(
        "async fn plate([u8; 1024])",
        std::mem::size_of_val(&plate([0; 1024])),
    ));
    sizes.push(size(
        "async fn plate(Box<[u8; 1024]>)",
        std::mem::size_of_val(&plate_boxed(Box::new([0; 1024]))),
    ));
    sizes
}
// ANCHOR_END: sizes

/// Measures one row in this process: `measurement:who:count`.
fn measure_here(only: &str) -> Value {
    let usage = |message: &str| -> ! {
        cli::exit_with_usage_error(&format!("bench: --job {only}: {message}"))
    };
    let parts: Vec<&str> = only.split(':').collect();
    let [measurement, who, count] = parts[..] else {
        usage("expected measurement:who:count")
    };
    let Ok(count) = count.parse::<u32>() else {
        usage("the count must be a whole number")
    };
    let runtime = who.parse::<Runtime>().ok();
    match (measurement, runtime) {
        ("sleepers", _) if who == "threads" => thread_sleepers(count),
        ("sleepers", Some(runtime)) => sleepers(runtime, count),
        ("smallest", Some(runtime)) => start_tasks("smallest", runtime, count, smallest),
        ("spawn", _) if who == "vector" => poll_a_vector(count),
        ("spawn", Some(runtime)) => spawn_and_join(runtime, count),
        ("ping-pong", _) if who == "threads" || runtime.is_some() => ping_pong(who, count),
        ("timer", Some(runtime)) => timer_lateness(runtime, count),
        ("blocking", Some(runtime)) => blocking(runtime),
        _ => usage("unknown measurement or runtime"),
    }
}

/// Runs this example again, in a fresh process, to measure one row; python rows run
/// `python3 -c` instead.
fn measure_in_a_fresh_process(only: &str, allocator: Allocator) -> Value {
    let mut command = if only.starts_with("sleepers:python:") {
        let mut command = Command::new("python3");
        command.args([
            "-c",
            PYTHON_SLEEPERS,
            only.rsplit(':').next().unwrap_or("1"),
        ]);
        command
    } else {
        let mut command = myself::myself(only);
        command.args(["--allocator", allocator.name()]);
        command
    };
    command.env(ALLOCATOR_VARIABLE, allocator.name());
    myself::one_json_row("bench", only, &mut command)
}

/// What every row was asked to measure, in the order the table shows them.
fn plan(args: &Args, runtimes: &[Runtime], python: bool) -> Vec<String> {
    let mut counts: Vec<u32> = LADDER
        .into_iter()
        .filter(|&count| count <= args.max_tasks)
        .collect();
    if !counts.contains(&args.max_tasks) {
        counts.push(args.max_tasks);
    }
    let mut plan = Vec::new();
    for &count in &counts {
        if count <= args.max_threads {
            plan.push(format!("sleepers:threads:{count}"));
        }
        for runtime in runtimes {
            plan.push(format!("sleepers:{runtime}:{count}"));
        }
        if python {
            plan.push(format!("sleepers:python:{count}"));
        }
    }
    let smallest = args.max_tasks.min(100_000);
    for runtime in runtimes {
        plan.push(format!("smallest:{runtime}:{smallest}"));
    }
    plan.push(format!("spawn:vector:{}", args.spawn_count));
    for runtime in runtimes {
        plan.push(format!("spawn:{runtime}:{}", args.spawn_count));
    }
    plan.push(format!("ping-pong:threads:{}", args.round_trips));
    for runtime in runtimes {
        plan.push(format!("ping-pong:{runtime}:{}", args.round_trips));
    }
    for runtime in runtimes {
        plan.push(format!("timer:{runtime}:{}", args.timer_samples));
    }
    for runtime in runtimes {
        plan.push(format!("blocking:{runtime}:1"));
    }
    plan
}

fn number(row: &Value, field: &str) -> f64 {
    row[field].as_f64().unwrap_or(f64::NAN)
}

fn find<'a>(rows: &'a [Value], measurement: &str, who: &str) -> Vec<&'a Value> {
    rows.iter()
        .filter(|row| row["measurement"] == measurement && row["who"] == who)
        .collect()
}

/// The row with the largest count, for `measurement` and `who`.
fn largest<'a>(rows: &'a [Value], measurement: &str, who: &str) -> Option<&'a Value> {
    find(rows, measurement, who)
        .into_iter()
        .max_by_key(|row| row["count"].as_u64())
}

fn per(row: &Value, field: &str) -> f64 {
    number(row, field) / number(row, "count")
}

/// The floor of a sleeping task on each runtime: the sleeper future's own size plus the
/// runtime's bookkeeping per task, which is the heap per task of the smallest task minus that
/// task's future.
fn floors(rows: &[Value], runtimes: &[Runtime]) -> Vec<Value> {
    let mut floors = Vec::new();
    for runtime in runtimes {
        let (Some(smallest), Some(sleepers)) = (
            largest(rows, "smallest", runtime.name()),
            largest(rows, "sleepers", runtime.name()),
        ) else {
            continue;
        };
        let bookkeeping = per(smallest, "heap_bytes") - number(smallest, "future_bytes");
        let floor = number(sleepers, "future_bytes") + bookkeeping;
        let heap = per(sleepers, "heap_bytes");
        floors.push(json!({
            "measurement": "floor",
            "who": runtime.name(),
            "count": sleepers["count"],
            "future_bytes": sleepers["future_bytes"],
            "bookkeeping_bytes": bookkeeping,
            "floor_bytes": floor,
            "heap_per_task_bytes": heap,
            "ratio": heap / floor,
        }))
    }
    floors
}

fn goal(name: &str, who: &str, value: f64, target: &str, met: bool, note: &str) -> Value {
    json!({
        "measurement": "goal",
        "goal": name,
        "who": who,
        "count": 1,
        "value": value,
        "target": target,
        "met": met,
        "note": note,
    })
}

/// Compares the figures with the issue's goals; nothing is rounded in the goal's favour.
fn goals(rows: &[Value], runtimes: &[Runtime], allocator: Allocator) -> Vec<Value> {
    let mut goals = Vec::new();
    let thread = largest(rows, "sleepers", "threads");
    for runtime in runtimes {
        let who = runtime.name();
        if let Some(floor) = rows
            .iter()
            .find(|row| row["measurement"] == "floor" && row["who"] == who)
        {
            let ratio = number(floor, "ratio");
            goals.push(goal(
                "heap per sleeping task / floor",
                who,
                ratio,
                "<= 1.5",
                ratio <= 1.5,
                "",
            ));
        }
        if let (Some(thread), Some(task)) = (thread, largest(rows, "sleepers", who)) {
            let ratio =
                per(thread, "rss_growth_bytes") / per(task, "rss_growth_bytes").max(1.0 / 1e9);
            goals.push(goal(
                "memory per thread / memory per sleeping task",
                who,
                ratio,
                ">= 20",
                ratio >= 20.0,
                "resident growth per thread (a lower bound) vs per task, each at its largest count",
            ));
        }
        if let Some(spawn) = largest(rows, "spawn", who) {
            let each = number(spawn, "ns_per_task");
            goals.push(goal(
                "spawn + join per task (ns)",
                who,
                each,
                "< 1000",
                each < 1000.0,
                "",
            ));
        }
    }
    if let Some(tokio) = largest(rows, "sleepers", "tokio")
        && tokio["count"] == 1_000_000
    {
        let peak = number(tokio, "peak_rss_bytes") / 1e6;
        let note = match allocator {
            Allocator::System => "with the system allocator",
            Allocator::Mimalloc => "with mimalloc (the goal is set for the system allocator)",
        };
        goals.push(goal(
            "peak RSS with 1M sleepers (MB)",
            "tokio",
            peak,
            "<= 460",
            peak <= 460.0,
            note,
        ));
    }
    goals
}

fn megabytes(bytes: f64) -> String {
    format!("{:.1} MB", bytes / 1e6)
}

fn print_table(rows: &[Value], allocator: Allocator) {
    println!(
        "Sleeping tasks on one thread, each in a fresh process (allocator: {})",
        allocator.name()
    );
    println!(
        "{:<10} {:>9} {:>11} {:>12} {:>11} {:>10} {:>12}",
        "", "count", "start", "peak RSS", "RSS/task", "heap/task", "allocs/task"
    );
    for row in rows.iter().filter(|row| row["measurement"] == "sleepers") {
        let heap = if row["heap_bytes"].is_null() {
            "-".to_string()
        } else {
            format!("{:.0} B", per(row, "heap_bytes"))
        };
        let allocations = if row["allocations"].is_null() {
            "-".to_string()
        } else {
            format!("{:.2}", per(row, "allocations"))
        };
        println!(
            "{:<10} {:>9} {:>8.1} ms {:>12} {:>9.0} B {:>10} {:>12}",
            row["who"].as_str().unwrap_or("?"),
            row["count"].as_u64().unwrap_or(0),
            number(row, "start_ms"),
            megabytes(number(row, "peak_rss_bytes")),
            per(row, "rss_growth_bytes"),
            heap,
            allocations
        );
    }
    println!();
    println!("The floor: the sleeper future plus the runtime's bookkeeping per task");
    println!(
        "{:<10} {:>9} {:>12} {:>9} {:>11} {:>9}",
        "", "future", "bookkeeping", "floor", "heap/task", "ratio"
    );
    for row in rows.iter().filter(|row| row["measurement"] == "floor") {
        println!(
            "{:<10} {:>7} B {:>10.0} B {:>7.0} B {:>9.0} B {:>8.2}x",
            row["who"].as_str().unwrap_or("?"),
            row["future_bytes"].as_u64().unwrap_or(0),
            number(row, "bookkeeping_bytes"),
            number(row, "floor_bytes"),
            number(row, "heap_per_task_bytes"),
            number(row, "ratio")
        );
    }
    println!();
    println!("Spawn and join tiny tasks, per task; a vector of boxed futures polled once each");
    for row in rows.iter().filter(|row| row["measurement"] == "spawn") {
        println!(
            "{:<10} {:>9} tasks {:>9.1} ns",
            row["who"].as_str().unwrap_or("?"),
            row["count"].as_u64().unwrap_or(0),
            number(row, "ns_per_task")
        );
    }
    println!();
    println!("Ping-pong: one message there and back");
    for row in rows.iter().filter(|row| row["measurement"] == "ping-pong") {
        println!(
            "{:<10} {:>9} trips {:>9.0} ns",
            row["who"].as_str().unwrap_or("?"),
            row["count"].as_u64().unwrap_or(0),
            number(row, "ns_per_round_trip")
        );
    }
    println!();
    println!("How late a 1 ms sleep wakes");
    for row in rows.iter().filter(|row| row["measurement"] == "timer") {
        println!(
            "{:<10} {:>9} sleeps  median {:>7.0} us  99th percentile {:>7.0} us",
            row["who"].as_str().unwrap_or("?"),
            row["count"].as_u64().unwrap_or(0),
            number(row, "median_late_us"),
            number(row, "p99_late_us")
        );
    }
    println!();
    println!("A 1 ms ticker's latest tick while a 100 ms blocking call runs");
    for row in rows.iter().filter(|row| row["measurement"] == "blocking") {
        println!(
            "{:<10} on the loop {:>6.1} ms late, on the blocking pool {:>5.1} ms late",
            row["who"].as_str().unwrap_or("?"),
            number(row, "on_the_loop_late_ms"),
            number(row, "offloaded_late_ms")
        );
    }
    println!();
    println!("Future sizes");
    for row in rows
        .iter()
        .filter(|row| row["measurement"] == "future-size")
    {
        println!(
            "{:<34} {:>6} B",
            row["who"].as_str().unwrap_or("?"),
            row["bytes"].as_u64().unwrap_or(0)
        );
    }
    println!();
    println!("Goals");
    for row in rows.iter().filter(|row| row["measurement"] == "goal") {
        let note = row["note"].as_str().unwrap_or("");
        println!(
            "{:<8} {:<10} {:<46} {:>9.2} (goal {}){}",
            if row["met"] == true { "met" } else { "NOT MET" },
            row["who"].as_str().unwrap_or("?"),
            row["goal"].as_str().unwrap_or("?"),
            number(row, "value"),
            row["target"].as_str().unwrap_or("?"),
            if note.is_empty() {
                String::new()
            } else {
                format!("; {note}")
            }
        );
    }
}

fn main() {
    let args: Args = cli::parse_or_exit();
    if let Some(only) = &args.job.job {
        let row = measure_here(only);
        myself::send_row(&row);
        return;
    }
    let runtimes = args.story.runtime.runtimes();
    let python = python_available();
    let plan = plan(&args, &runtimes, python);
    let progress = std::io::stderr().is_terminal();
    let mut rows = Vec::new();
    for (index, only) in plan.iter().enumerate() {
        if progress {
            eprint!("\rbench: [{}/{}] {only:<40}", index + 1, plan.len());
        }
        rows.push(measure_in_a_fresh_process(only, args.allocator));
    }
    if progress {
        eprintln!("\rbench: {} rows measured{:<40}", plan.len(), "");
    }
    rows.extend(future_sizes());
    let floors = floors(&rows, &runtimes);
    rows.extend(floors);
    let goals = goals(&rows, &runtimes, args.allocator);
    rows.extend(goals);
    if args.story.json {
        for row in &rows {
            println!("{}", serde_json::to_string(row).expect("a row serializes"));
        }
    } else {
        print_table(&rows, args.allocator);
    }
}
