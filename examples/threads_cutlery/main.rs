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
//! The thread modes run one OS thread per robot, each in a file of its own: `racy.rs`,
//! `mutex.rs`, `atomic.rs`, `channel.rs`. The LoopBot modes (`loopbot`, `loopbot-await`,
//! `loopbot-lock`) run every robot as a task on one thread of the chosen runtime, in
//! `tasks.rs`. `cutlery.rs` holds the knives and forks and the shift every robot works; this
//! file reads the arguments and prints each service. The book's chapter "The Truth about
//! Threads" and its page "The LoopBot and its Cutlery" tell the story; `tests/threads.rs`
//! checks every claim they make.

mod atomic;
mod channel;
mod cutlery;
mod mutex;
mod racy;
mod tasks;

use std::time::Duration;

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, StoryArgs};
use serde::Serialize;

pub use cutlery::Cutlery;

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
        Mode::Racy => racy::racy(bots, tables),
        Mode::Mutex => mutex::mutex(bots, tables),
        Mode::Atomic => atomic::atomic(bots, tables),
        Mode::Channel => channel::channel(bots, tables),
        Mode::Loopbot | Mode::LoopbotAwait | Mode::LoopbotLock => {
            runtime.block_on(tasks::loopbot(mode, runtime, bots, tables, walk))
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
        print_service(&service);
    }
}

/// The service in words: who worked, the inventory before and after, what went missing.
fn print_service(service: &Service) {
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
