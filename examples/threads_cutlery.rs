//! Robots and cutlery: ten robots prepare and clear tables, taking knives and forks from one
//! shared kitchen and giving them back. Does every piece come home?
//!
//! ```text
//! cargo run --example threads_cutlery -- --mode racy --tables 10000
//! cargo run --example threads_cutlery -- --mode mutex --tables 10000
//! cargo run --example threads_cutlery -- --mode loopbot-await --runtime all --tables 20
//! cargo run --example threads_cutlery -- --mode loopbot-lock --runtime smol --minute-ms 10 --json
//! ```
//!
//! The thread modes (`racy`, `mutex`, `atomic`, `channel`) run one OS thread per robot. The
//! LoopBot modes (`loopbot`, `loopbot-await`, `loopbot-lock`) run every robot as a task on one
//! thread of the chosen runtime. The book's chapter "The Truth about Threads" tells the story;
//! `tests/threads.rs` checks every claim it makes.

use std::cell::Cell;
use std::ops::Add;
use std::rc::Rc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicI64, Ordering};
use std::sync::mpsc;
use std::thread;
use std::time::Duration;

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, StoryArgs};
use serde::Serialize;

/// The most robots the kitchen can hire, and the most tables a robot can serve in one run.
pub const MAX_BOTS: u32 = 1_000;
pub const MAX_TABLES: u32 = 1_000_000;

#[derive(Parser)]
#[command(about = "Robots take cutlery from one kitchen and bring it back: does it all come home?")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// How many robots work at once.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u32).range(1..=MAX_BOTS as i64))]
    bots: u32,
    /// How many tables each robot prepares and clears.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u32).range(1..=MAX_TABLES as i64))]
    tables: u32,
    /// How the robots share the kitchen.
    #[arg(long, value_enum, default_value_t = Mode::Racy)]
    mode: Mode,
}

/// How the robots share the kitchen's inventory.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Mode {
    /// Threads; each count is read, then written, in two steps (an atomic load, then a store).
    Racy,
    /// Threads; one `std::sync::Mutex` held for the whole transfer.
    Mutex,
    /// Threads; each count changes in one step (`fetch_add`).
    Atomic,
    /// Threads; the kitchen is a thread of its own that owns the inventory, and robots send it
    /// their changes over a channel.
    Channel,
    /// Tasks on one thread, sharing an `Rc<Cell<_>>`; no `.await` between read and write.
    Loopbot,
    /// Tasks on one thread; the robot walks (an `.await`) between reading and writing.
    LoopbotAwait,
    /// Tasks on one thread; an async Mutex held across the walk.
    LoopbotLock,
}

impl Mode {
    /// The name on the command line: `racy`, `loopbot-await`, ...
    pub fn name(self) -> &'static str {
        match self {
            Mode::Racy => "racy",
            Mode::Mutex => "mutex",
            Mode::Atomic => "atomic",
            Mode::Channel => "channel",
            Mode::Loopbot => "loopbot",
            Mode::LoopbotAwait => "loopbot-await",
            Mode::LoopbotLock => "loopbot-lock",
        }
    }

    /// Whether the robots are tasks on one thread of a runtime rather than OS threads.
    pub fn on_a_runtime(self) -> bool {
        matches!(self, Mode::Loopbot | Mode::LoopbotAwait | Mode::LoopbotLock)
    }
}

/// Knives and forks. Signed, because a racy kitchen can count pieces it never had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Cutlery {
    pub knives: i64,
    pub forks: i64,
}

impl Cutlery {
    /// What the kitchen holds before service, as in the story.
    pub const KITCHEN: Cutlery = Cutlery {
        knives: 100,
        forks: 100,
    };
    /// What a robot takes to prepare one table, and brings back when it clears it.
    pub const TABLE: Cutlery = Cutlery {
        knives: 4,
        forks: 4,
    };
    /// The change to the kitchen when a robot prepares a table.
    pub const TAKE: Cutlery = Cutlery {
        knives: -4,
        forks: -4,
    };
}

impl Add for Cutlery {
    type Output = Cutlery;

    fn add(self, other: Cutlery) -> Cutlery {
        Cutlery {
            knives: self.knives + other.knives,
            forks: self.forks + other.forks,
        }
    }
}

/// One service: who worked, and the kitchen's inventory before and after.
#[derive(Clone, Debug, Serialize)]
pub struct Service {
    pub mode: &'static str,
    /// The runtime for the LoopBot modes; `None` for the thread modes.
    pub runtime: Option<&'static str>,
    pub bots: u32,
    pub tables: u32,
    pub before: Cutlery,
    pub after: Cutlery,
    /// `before - after`: positive when pieces went missing, negative when pieces appeared.
    pub missing: Cutlery,
}

impl Service {
    fn new(mode: Mode, runtime: Option<Runtime>, bots: u32, tables: u32, after: Cutlery) -> Self {
        let before = Cutlery::KITCHEN;
        Service {
            mode: mode.name(),
            runtime: runtime.map(Runtime::name),
            bots,
            tables,
            before,
            after,
            missing: Cutlery {
                knives: before.knives - after.knives,
                forks: before.forks - after.forks,
            },
        }
    }

    /// Whether every piece came home, no more and no fewer.
    pub fn all_home(&self) -> bool {
        self.after == self.before
    }
}

/// Serves `tables` tables with each of `bots` robots, in `mode`. The LoopBot modes run on
/// `runtime`, and each walk lasts about `walk` (zero: the robot only turns around,
/// an `.await` that gives the thread to the executor and comes straight back).
pub fn serve(mode: Mode, runtime: Runtime, bots: u32, tables: u32, walk: Duration) -> Service {
    let after = match mode {
        Mode::Racy => racy(bots, tables),
        Mode::Mutex => mutex(bots, tables),
        Mode::Atomic => atomic(bots, tables),
        Mode::Channel => channel(bots, tables),
        Mode::Loopbot | Mode::LoopbotAwait | Mode::LoopbotLock => {
            runtime.block_on(loopbot(mode, runtime, bots, tables, walk))
        }
    };
    Service::new(
        mode,
        mode.on_a_runtime().then_some(runtime),
        bots,
        tables,
        after,
    )
}

// ANCHOR: shift
/// A robot's shift: `tables` times, prepare a table (take its cutlery from the kitchen), then
/// clear it (bring the cutlery back). Only `transfer`, the way to change the kitchen, differs.
fn shift(tables: u32, transfer: impl Fn(Cutlery)) {
    for _ in 0..tables {
        transfer(Cutlery::TAKE);
        transfer(Cutlery::TABLE);
    }
}
// ANCHOR_END: shift

/// The kitchen the threads share: two counters, each safe to read and to write.
struct AtomicKitchen {
    knives: AtomicI64,
    forks: AtomicI64,
}

impl AtomicKitchen {
    fn new(cutlery: Cutlery) -> Self {
        AtomicKitchen {
            knives: AtomicI64::new(cutlery.knives),
            forks: AtomicI64::new(cutlery.forks),
        }
    }

    fn into_inner(self) -> Cutlery {
        Cutlery {
            knives: self.knives.into_inner(),
            forks: self.forks.into_inner(),
        }
    }
}

/// Python's `count += change`, in the steps it really is: read, then write.
fn change_in_two_steps(count: &AtomicI64, change: i64) {
    let seen = count.load(Ordering::SeqCst);
    // The OS may switch threads anywhere; this makes it likely here.
    thread::yield_now();
    count.store(seen + change, Ordering::SeqCst);
}

fn racy(bots: u32, tables: u32) -> Cutlery {
    let kitchen = AtomicKitchen::new(Cutlery::KITCHEN);
    let transfer = |change: Cutlery| {
        change_in_two_steps(&kitchen.knives, change.knives);
        change_in_two_steps(&kitchen.forks, change.forks);
    };
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    kitchen.into_inner()
}

// ANCHOR: mutex
fn mutex(bots: u32, tables: u32) -> Cutlery {
    let kitchen = Mutex::new(Cutlery::KITCHEN);
    let transfer = |change: Cutlery| {
        // One lock from the read to the write: nobody comes between.
        let mut inventory = kitchen.lock().unwrap();
        *inventory = *inventory + change;
    };
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    kitchen.into_inner().unwrap()
}
// ANCHOR_END: mutex

// ANCHOR: atomic
fn atomic(bots: u32, tables: u32) -> Cutlery {
    let kitchen = AtomicKitchen::new(Cutlery::KITCHEN);
    let transfer = |change: Cutlery| {
        // Read, add and write as one step that no thread can come between.
        kitchen.knives.fetch_add(change.knives, Ordering::SeqCst);
        kitchen.forks.fetch_add(change.forks, Ordering::SeqCst);
    };
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    kitchen.into_inner()
}
// ANCHOR_END: atomic

// ANCHOR: channel
fn channel(bots: u32, tables: u32) -> Cutlery {
    let (orders, inbox) = mpsc::channel::<Cutlery>();
    // The kitchen is a thread of its own, the only one that sees the inventory.
    let kitchen = thread::spawn(move || {
        let mut inventory = Cutlery::KITCHEN;
        for change in inbox {
            inventory = inventory + change;
        }
        inventory
    });
    let transfer = |change: Cutlery| orders.send(change).unwrap();
    thread::scope(|scope| {
        for _ in 0..bots {
            scope.spawn(|| shift(tables, transfer));
        }
    });
    // With the last sender gone, the kitchen's loop ends and it returns the count.
    drop(orders);
    kitchen.join().unwrap()
}
// ANCHOR_END: channel

/// The robot walks to or from the kitchen: other tasks on this thread run meanwhile.
///
/// No two walks are alike: a walk lasts from half to one and a half times `walk`, or, when
/// `walk` is zero, the robot turns around one to three times. Robots in lockstep would lose
/// a piece on the way out and find it again on the way back.
async fn walk(runtime: Runtime, walk: Duration) {
    if walk.is_zero() {
        for _ in 0..fastrand::u32(1..=3) {
            // Turning around: hand the thread to the executor once.
            futures_lite::future::yield_now().await;
        }
    } else {
        runtime.sleep(walk.mul_f64(0.5 + fastrand::f64())).await;
    }
}

/// Read and write with no `.await` in between: no other task can run in the middle.
fn change_at_once(kitchen: &Cell<Cutlery>, change: Cutlery) {
    let seen = kitchen.get();
    kitchen.set(seen + change);
}

/// Read, walk, write: other robots run during the walk, and they read the same old count.
async fn change_across_a_walk(
    kitchen: &Cell<Cutlery>,
    change: Cutlery,
    runtime: Runtime,
    time: Duration,
) {
    let seen = kitchen.get();
    walk(runtime, time).await;
    kitchen.set(seen + change);
}

/// Read, walk, write, holding an async lock the whole time: other robots wait for it at their
/// `.lock().await`, and the thread serves whoever is not waiting.
async fn change_under_a_lock(
    kitchen: &tokio::sync::Mutex<Cutlery>,
    change: Cutlery,
    runtime: Runtime,
    time: Duration,
) {
    let mut inventory = kitchen.lock().await;
    let seen = *inventory;
    walk(runtime, time).await;
    *inventory = seen + change;
}

/// The LoopBot modes: every robot a task on this one thread.
async fn loopbot(mode: Mode, runtime: Runtime, bots: u32, tables: u32, time: Duration) -> Cutlery {
    // `Rc` and `Cell`, not `Arc` and `Mutex`: the tasks never leave this thread.
    let kitchen = Rc::new(Cell::new(Cutlery::KITCHEN));
    // tokio's async Mutex needs no tokio runtime to work, so it serves all three.
    let locked_kitchen = Rc::new(tokio::sync::Mutex::new(Cutlery::KITCHEN));
    let robots: Vec<_> = (0..bots)
        .map(|_| {
            let kitchen = kitchen.clone();
            let locked_kitchen = locked_kitchen.clone();
            runtime.spawn_local(async move {
                for _ in 0..tables {
                    for change in [Cutlery::TAKE, Cutlery::TABLE] {
                        match mode {
                            Mode::LoopbotAwait => {
                                change_across_a_walk(&kitchen, change, runtime, time).await
                            }
                            Mode::LoopbotLock => {
                                change_under_a_lock(&locked_kitchen, change, runtime, time).await
                            }
                            _ => change_at_once(&kitchen, change),
                        }
                        // To the table and back: the other robots run meanwhile.
                        walk(runtime, time).await;
                    }
                }
            })
        })
        .collect();
    for robot in robots {
        robot.await;
    }
    match mode {
        Mode::LoopbotLock => *locked_kitchen.lock().await,
        _ => kitchen.get(),
    }
}

/// Says what went missing, or appeared, in words.
pub fn describe_missing(missing: Cutlery) -> String {
    let one = |count: i64, what: &str| match count {
        0 => format!("no {what} missing"),
        n if n > 0 => format!("{n} {what} missing"),
        n => format!("{} {what} too many", -n),
    };
    format!(
        "{}, {}",
        one(missing.knives, "knives"),
        one(missing.forks, "forks")
    )
}

fn main() {
    let args: Args = cli::parse_or_exit();
    // One story second: how long a robot's walk to the kitchen lasts.
    let walk = Duration::from_millis(args.story.minute_ms) / 60;
    let runtimes = if args.mode.on_a_runtime() {
        args.story.runtime.runtimes()
    } else {
        // Threads need no runtime: one run, whatever --runtime says.
        vec![Runtime::Tokio]
    };
    for (index, runtime) in runtimes.into_iter().enumerate() {
        let service = serve(args.mode, runtime, args.bots, args.tables, walk);
        if args.story.json {
            println!(
                "{}",
                serde_json::to_string(&service).expect("a service serializes")
            );
            continue;
        }
        if index > 0 {
            println!();
        }
        let staff = match service.runtime {
            Some(runtime) => format!("{} robots as tasks on one {runtime} thread", service.bots),
            None => format!("{} ThreadBots", service.bots),
        };
        println!(
            "Robots and cutlery, {} mode: {staff}, {} tables each",
            service.mode, service.tables
        );
        let inventory =
            |cutlery: Cutlery| format!("{} knives, {} forks", cutlery.knives, cutlery.forks);
        println!(
            "Kitchen inventory before service: {}",
            inventory(service.before)
        );
        println!(
            "Kitchen inventory after service:  {}",
            inventory(service.after)
        );
        if service.all_home() {
            println!("Every piece came home.");
        } else {
            println!(
                "Not every piece came home: {}.",
                describe_missing(service.missing)
            );
        }
    }
}
