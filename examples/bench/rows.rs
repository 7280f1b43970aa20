//! What the benchmark measures, one typed row per figure: a job sends one row as JSON, the
//! report reads them back, and `tests/bench.rs` includes this file to read `--json` output.

use std::fmt;
use std::str::FromStr;

use loopbot::Runtime;
use serde::{Deserialize, Serialize};

/// Who was measured: threads, one of the three runtimes, Python's asyncio, or no runtime at
/// all (futures boxed in a vector).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Who {
    Threads,
    Tokio,
    AsyncStd,
    Smol,
    Python,
    Vector,
}

impl Who {
    /// Every name, in the order of the enum.
    pub const ALL: [Who; 6] = [
        Who::Threads,
        Who::Tokio,
        Who::AsyncStd,
        Who::Smol,
        Who::Python,
        Who::Vector,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Who::Threads => "threads",
            Who::Tokio => "tokio",
            Who::AsyncStd => "async-std",
            Who::Smol => "smol",
            Who::Python => "python",
            Who::Vector => "vector",
        }
    }

    /// The runtime, for the three that are one.
    pub fn runtime(self) -> Option<Runtime> {
        match self {
            Who::Tokio => Some(Runtime::Tokio),
            Who::AsyncStd => Some(Runtime::AsyncStd),
            Who::Smol => Some(Runtime::Smol),
            Who::Threads | Who::Python | Who::Vector => None,
        }
    }
}

impl From<Runtime> for Who {
    fn from(runtime: Runtime) -> Self {
        match runtime {
            Runtime::Tokio => Who::Tokio,
            Runtime::AsyncStd => Who::AsyncStd,
            Runtime::Smol => Who::Smol,
        }
    }
}

impl fmt::Display for Who {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Who {
    type Err = String;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Who::ALL
            .into_iter()
            .find(|who| who.name() == name)
            .ok_or_else(|| format!("unknown '{name}' (expected threads, a runtime, or vector)"))
    }
}

/// One figure of the benchmark. In JSON, `measurement` names the variant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "measurement", rename_all = "kebab-case")]
pub enum Row {
    /// `count` sleeping tasks (or threads) and what they added to the process.
    Sleepers(Sleepers),
    /// The same with the smallest task that waits, whose heap is the runtime's own share.
    Smallest(Sleepers),
    Spawn(Spawn),
    PingPong(PingPong),
    Timer(Timer),
    Blocking(Blocking),
    FutureSize(FutureSize),
    Floor(Floor),
}

/// What `count` waiting tasks, threads or asyncio tasks added to the process.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sleepers {
    pub who: Who,
    pub count: u32,
    /// The allocator underneath: `system`, `mimalloc`, or `pymalloc` for Python.
    pub allocator: String,
    /// From the first spawn until every one had started, in milliseconds.
    pub start_ms: f64,
    /// How much the resident set (`VmRSS`) grew meanwhile.
    pub rss_growth_bytes: u64,
    /// The most the process ever had resident (`VmHWM`).
    pub peak_rss_bytes: u64,
    /// Heap bytes allocated and not freed meanwhile; none for Python.
    pub heap_bytes: Option<u64>,
    /// Allocations made meanwhile; none for Python.
    pub allocations: Option<u64>,
    /// The size of one task's future (`size_of_val`); none for threads and Python.
    pub future_bytes: Option<u64>,
}

impl Sleepers {
    pub fn rss_per_task(&self) -> f64 {
        self.rss_growth_bytes as f64 / f64::from(self.count)
    }

    pub fn heap_per_task(&self) -> Option<f64> {
        Some(self.heap_bytes? as f64 / f64::from(self.count))
    }

    pub fn allocations_per_task(&self) -> Option<f64> {
        Some(self.allocations? as f64 / f64::from(self.count))
    }
}

/// Spawning `count` tiny tasks and awaiting each (or, for `vector`, boxing and polling them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Spawn {
    pub who: Who,
    pub count: u32,
    pub ns_per_task: f64,
}

/// A message sent there and back `count` times, between two threads or two tasks.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PingPong {
    pub who: Who,
    pub count: u32,
    pub ns_per_round_trip: f64,
}

/// How late `count` sleeps of 1 ms woke, in microseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Timer {
    pub who: Who,
    pub count: u32,
    pub median_late_us: f64,
    pub p99_late_us: f64,
}

/// A 1 ms ticker's latest tick while a 100 ms blocking call runs, in milliseconds.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Blocking {
    pub who: Who,
    /// How long the ticker sleeps between ticks.
    pub tick_ms: f64,
    /// How long the blocking call lasts.
    pub call_ms: f64,
    /// The call runs on the loop's own thread.
    pub on_the_loop_late_ms: f64,
    /// The call runs on the runtime's pool of blocking threads.
    pub offloaded_late_ms: f64,
}

/// The size of one future, made and never polled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FutureSize {
    pub future: String,
    pub bytes: u64,
}

/// The least a sleeping task can take on a runtime, beside what it took.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Floor {
    pub who: Who,
    pub count: u32,
    /// The sleeper's future.
    pub future_bytes: u64,
    /// The runtime's own heap per task: the smallest task's heap less that task's future.
    pub bookkeeping_bytes: f64,
    /// `future_bytes + bookkeeping_bytes`.
    pub floor_bytes: f64,
    /// What a sleeping task took.
    pub heap_per_task_bytes: f64,
    /// `heap_per_task_bytes / floor_bytes`.
    pub ratio: f64,
}

impl Floor {
    /// The floor from the smallest tasks and the sleepers of one runtime; none for a row
    /// without a heap or a future (threads, Python).
    pub fn of(smallest: &Sleepers, sleepers: &Sleepers) -> Option<Floor> {
        let bookkeeping = smallest.heap_per_task()? - smallest.future_bytes? as f64;
        let future_bytes = sleepers.future_bytes?;
        let floor_bytes = future_bytes as f64 + bookkeeping;
        let heap_per_task_bytes = sleepers.heap_per_task()?;
        Some(Floor {
            who: sleepers.who,
            count: sleepers.count,
            future_bytes,
            bookkeeping_bytes: bookkeeping,
            floor_bytes,
            heap_per_task_bytes,
            ratio: heap_per_task_bytes / floor_bytes,
        })
    }
}
