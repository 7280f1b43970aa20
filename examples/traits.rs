//! What a box costs: a robot's `work` called through the static trait (an `async fn` in a
//! trait) and through the boxed `dyn` trait, N times each on each runtime, with the
//! allocations and the time per call.
//!
//! ```text
//! cargo run --release --example traits
//! cargo run --release --example traits -- --runtime all --calls 1000000 --json
//! ```
//!
//! The work itself is ready at once, so what is measured is the call: building the future,
//! polling it once, and, through the `dyn`, boxing it and freeing the box. The allocations
//! are counted by this example's own global allocator; the time comes from a `--release`
//! build (a debug build's figures say little).

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::time::Instant;

use clap::Parser;
use loopbot::cli::{self, RuntimeArgs};
use serde::{Deserialize, Serialize};

#[derive(Parser)]
#[command(about = "What a boxed async trait method costs next to a static one, on each runtime")]
struct Args {
    #[command(flatten)]
    story: RuntimeArgs,
    /// How many calls to time, through each trait.
    #[arg(long, default_value_t = 1_000_000, value_parser = clap::value_parser!(u32).range(1..=100_000_000))]
    calls: u32,
}

thread_local! {
    /// Allocations made by this thread so far: the runtimes' own threads (smol's and
    /// async-io's, for one) may allocate meanwhile, and are not what is measured.
    static ALLOCATIONS: Cell<u64> = const { Cell::new(0) };
}

fn allocations() -> u64 {
    ALLOCATIONS.with(Cell::get)
}

/// Counts allocations, and lets the system allocator do the work.
struct Counting;

// SAFETY: every call is handed to `System` unchanged; the counting only adds one to a
// thread-local counter, which allocates nothing.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // `try_with`: a thread being torn down still allocates, after its locals are gone.
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        // SAFETY: the caller's promises about `layout` pass straight through.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        // SAFETY: `pointer` came from `System`, the only allocator this one calls.
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

trait Robot {
    async fn work(&self) -> u32;
}

/// The same job with its future boxed: this one can be a `dyn`.
trait DynRobot {
    fn work(&self) -> Pin<Box<dyn Future<Output = u32> + '_>>;
}

impl<R: Robot> DynRobot for R {
    fn work(&self) -> Pin<Box<dyn Future<Output = u32> + '_>> {
        Box::pin(Robot::work(self))
    }
}

struct ChefBot(u32);

impl Robot for ChefBot {
    async fn work(&self) -> u32 {
        black_box(self.0)
    }
}

/// One runtime's figures.
#[derive(Debug, Serialize, Deserialize)]
pub struct Cost {
    pub runtime: String,
    pub calls: u32,
    pub static_allocations_per_call: f64,
    pub dyn_allocations_per_call: f64,
    pub static_ns_per_call: f64,
    pub dyn_ns_per_call: f64,
}

/// Calls `call` `calls` times inside the runtime; returns allocations and nanoseconds per call.
async fn per_call<F: Future<Output = u32>>(calls: u32, mut call: impl FnMut() -> F) -> (f64, f64) {
    let allocations = allocations();
    let start = Instant::now();
    let mut done = 0u64;
    for _ in 0..calls {
        done += u64::from(call().await);
    }
    let elapsed = start.elapsed();
    black_box(done);
    let allocated = self::allocations() - allocations;
    let calls = f64::from(calls);
    (allocated as f64 / calls, elapsed.as_nanos() as f64 / calls)
}

fn measure(runtime: loopbot::Runtime, calls: u32) -> Cost {
    runtime.block_on(async move {
        let chef = ChefBot(2);
        let staff: Vec<Box<dyn DynRobot>> = vec![Box::new(ChefBot(2))];
        let robot = black_box(&staff[0]);
        let (static_allocations, static_ns) = per_call(calls, || Robot::work(&chef)).await;
        let (dyn_allocations, dyn_ns) = per_call(calls, || robot.work()).await;
        Cost {
            runtime: runtime.name().to_string(),
            calls,
            static_allocations_per_call: static_allocations,
            dyn_allocations_per_call: dyn_allocations,
            static_ns_per_call: static_ns,
            dyn_ns_per_call: dyn_ns,
        }
    })
}

fn main() {
    let args: Args = cli::parse_or_exit();
    if !args.story.json {
        println!(
            "{} calls of a robot's work, ready at once, through each trait",
            args.calls
        );
        println!("runtime    static: allocs, ns    dyn (boxed): allocs, ns");
    }
    for runtime in args.story.runtime.runtimes() {
        let cost = measure(runtime, args.calls);
        if args.story.json {
            println!("{}", serde_json::to_string(&cost).expect("a row is JSON"));
        } else {
            println!(
                "{:<10} {:>9.2} {:>8.1}    {:>14.2} {:>8.1}",
                cost.runtime,
                cost.static_allocations_per_call,
                cost.static_ns_per_call,
                cost.dyn_allocations_per_call,
                cost.dyn_ns_per_call
            );
        }
    }
}
