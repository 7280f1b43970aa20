//! The Restaurant of ThreadBots: one busy Friday evening, staffed two ways.
//!
//! ```text
//! cargo run --example restaurant -- --staff threadbots
//! cargo run --example restaurant -- --staff loopbot --runtime all
//! cargo run --example restaurant -- --staff loopbot --chatty-guest 4
//! cargo run --example restaurant -- --staff loopbot --chatty-guest 4 --chat-off-loop
//! ```
//!
//! Diners arrive on a seeded schedule; they are greeted and seated, order food and a drink,
//! eat, pay and leave. The same seven jobs (2 GreetBots, 3 WaitBots, a ChefBot, a WineBot) run
//! either as seven ThreadBots, one OS thread each, or as seven tasks on one LoopBot: a
//! single-threaded executor of tokio, async-std or smol. The book's chapter "The Restaurant of
//! ThreadBots" tells the story; `tests/restaurant.rs` checks every number it gives.
//!
//! - `evening.rs`: the story's timings, the diners and the street they arrive from;
//! - `floor.rs`: the restaurant's shared state, and the two kinds of step: wait and work;
//! - `jobs.rs`: the robots' jobs, the same code whoever runs them;
//! - `staff.rs`: who runs the jobs, in each runtime's own API;
//! - `report.rs`: the figures, the staff bill, text, JSON and SVG;
//! - this file: the command line, and the one place that picks a staff by `--runtime`.

mod evening;
mod floor;
mod jobs;
mod report;
mod staff;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::cli::{self, StoryArgs};
use loopbot::meter::Meter;
use loopbot::{Runtime, StoryClock, Timeline};

pub use evening::{
    CHAT_STARTS, Collisions, Evening, SOUFFLE_DUE, SOUFFLE_TOLERANCE, Souffle, arrivals,
};
use floor::{Floor, Nap, Restaurant};
pub use jobs::ROSTER;
use loopbot::process::ProcessStatus;
use report::{Closing, bill};
pub use report::{
    RobotFigures, Service, StaffBill, bill_line, collisions_line, diners_line, robot_row,
    souffle_line, tokio_busy_row,
};
pub use staff::Staff;

/// The command line. Public, like the report's lines, so that the chapter's tests can read its
/// defaults: the evening the chapter describes.
#[derive(Parser)]
#[command(about = "One busy Friday evening, staffed by seven ThreadBots or by one LoopBot")]
pub struct Args {
    /// `--runtime`, `--minute-ms` and `--json`, as every example has them.
    #[command(flatten)]
    pub story: StoryArgs,
    /// Who works tonight: seven robots on seven threads, or one LoopBot doing all seven jobs.
    #[arg(long, value_enum, default_value_t = Staff::Loopbot)]
    pub staff: Staff,
    /// How many diners come tonight.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=500))]
    pub diners: u32,
    /// The seed for the diners' arrival times: the same seed, the same evening.
    #[arg(long, default_value_t = 1)]
    pub seed: u64,
    /// A guest who holds WaitBot 1 by the hand for this many story minutes, from minute 10.
    #[arg(long, value_name = "MINUTES", default_value_t = 0.0, value_parser = parse_chat_minutes, allow_negative_numbers = true)]
    pub chatty_guest: f64,
    /// Let another thread listen to the chatty guest (tokio's spawn_blocking, async-std's
    /// spawn_blocking, smol's unblock), so the LoopBot's own thread stays free.
    #[arg(long)]
    pub chat_off_loop: bool,
    /// Also draw the evening as an SVG timeline into FILE (needs a single runtime).
    #[arg(long, value_name = "FILE")]
    pub svg: Option<std::path::PathBuf>,
}

fn parse_chat_minutes(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(minutes) if (0.0..=60.0).contains(&minutes) => Ok(minutes),
        _ => Err("the chatty guest talks for 0 to 60 story minutes".to_string()),
    }
}

/// Runs one evening with `staff` (and, for a LoopBot, `runtime`).
pub fn serve(staff: Staff, runtime: Runtime, evening: Evening) -> Service {
    let runtime = (staff == Staff::Loopbot).then_some(runtime);
    let before = ProcessStatus::read();
    let floor = Arc::new(open_floor(runtime, evening));
    for job in ROSTER {
        floor.say(
            &job.name(),
            "on duty",
            format!("{} is on duty.", job.name()),
        );
    }
    let meters: Vec<Meter> = ROSTER.iter().map(|_| Meter::new()).collect();
    let opened = Instant::now();
    let peak = Arc::new(Mutex::new(before));
    let street = evening::street(floor.clone(), peak.clone());
    let tokio_busy = match runtime {
        None => {
            staff::threadbots(&floor, &meters, street);
            None
        }
        Some(Runtime::Tokio) => Some(staff::loopbot_on_tokio(&floor, &meters, street)),
        Some(Runtime::AsyncStd) => {
            staff::loopbot_on_async_std(&floor, &meters, street);
            None
        }
        Some(Runtime::Smol) => {
            staff::loopbot_on_smol(&floor, &meters, street);
            None
        }
    };
    let wall = opened.elapsed();
    let bill = bill(&peak.lock().unwrap(), &before);
    Service::tally(Closing {
        staff,
        runtime,
        floor: &floor,
        meters: &meters,
        wall,
        tokio_busy,
        bill,
    })
}

/// The floor before the doors open, with the staff's own way to wait (and, with
/// `--chat-off-loop`, a LoopBot's way to run a blocking call on another thread).
fn open_floor(runtime: Option<Runtime>, evening: Evening) -> Floor {
    type Waits = (fn(Duration) -> Nap, Option<fn(Duration) -> Nap>);
    let (sleep, off_loop): Waits = match runtime {
        None => (staff::sleep_on_a_thread, None),
        Some(Runtime::Tokio) => (staff::sleep_on_tokio, Some(staff::listen_on_tokio)),
        Some(Runtime::AsyncStd) => (staff::sleep_on_async_std, Some(staff::listen_on_async_std)),
        Some(Runtime::Smol) => (staff::sleep_on_smol, Some(staff::listen_on_smol)),
    };
    let clock = StoryClock::new(evening.minute);
    Floor {
        state: Mutex::new(Restaurant::new(&evening)),
        timeline: match runtime {
            Some(runtime) => Timeline::on_runtime(clock, runtime),
            None => Timeline::on_runtime(clock, "threadbots"),
        },
        evening,
        sleep,
        off_loop: off_loop.filter(|_| evening.chat_off_loop),
    }
}

/// The first line of an evening's report: who serves how many diners, and how long a minute is.
pub fn headline(args: &Args, runtime: Runtime) -> String {
    let who = match args.staff {
        Staff::Threadbots => "seven ThreadBots, one thread each".to_string(),
        Staff::Loopbot => format!("one LoopBot on {runtime}"),
    };
    format!(
        "Busy Friday: {} diners (seed {}), staffed by {who}; 1 story minute = {} ms",
        args.diners, args.seed, args.story.minute_ms
    )
}

fn main() {
    let args: Args = cli::parse_or_exit();
    let evening = Evening {
        diners: args.diners,
        seed: args.seed,
        chatty_guest: args.chatty_guest,
        chat_off_loop: args.chat_off_loop,
        minute: Duration::from_millis(args.story.minute_ms),
    };
    let runtimes = match args.staff {
        Staff::Threadbots => vec![Runtime::Tokio],
        Staff::Loopbot => args.story.runtime.runtimes(),
    };
    if args.svg.is_some() && runtimes.len() > 1 {
        cli::exit_with_usage_error(
            "restaurant: --svg draws one evening: pick one runtime, not all",
        );
    }
    for (index, runtime) in runtimes.into_iter().enumerate() {
        if !args.story.json {
            if index > 0 {
                println!();
            }
            println!("{}", headline(&args, runtime));
        }
        let service = serve(args.staff, runtime, evening);
        report::print_service(&service, args.story.json);
        if let Some(path) = &args.svg
            && let Err(error) = report::write_svg(path, &service, args.diners)
        {
            eprintln!("restaurant: cannot write {}: {error}", path.display());
            std::process::exit(1);
        }
    }
}
