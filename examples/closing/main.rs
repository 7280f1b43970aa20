//! Closing time: the restaurant closes at minute 20. The host stops seating, phones the
//! diners booked for later, and then waits until every seated diner has finished, or drops
//! their handles and goes home, or sends them home and sees the last one out.
//!
//! `cargo run --example closing -- --runtime all` runs the three endings on tokio, async-std and
//! smol. `host.rs` is written in each runtime's own API; this file picks the runtime, runs
//! the evening, waits 10 more story minutes to see who still finishes after the host has
//! gone, and prints the count. `tests/closing.rs` includes this file.

mod host;

use std::time::Duration;

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, StoryArgs, parse_or_exit};
use loopbot::clock::StoryClock;
use loopbot::timeline::Timeline;

pub use host::{ARRIVALS, CLOSING, EATING, Evening, Policy};

/// Closing time, on the runtime you pick.
#[derive(Parser)]
#[command(name = "closing")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// What the host does at closing time; each in turn, if not given.
    #[arg(long, value_enum)]
    policy: Option<PolicyChoice>,
    /// Also draw the evening as an SVG timeline into this file (one runtime, one policy).
    #[arg(long, value_name = "FILE")]
    svg: Option<std::path::PathBuf>,
}

/// `--policy`: the host's [`Policy`], as the command line spells it.
#[derive(Clone, Copy, Debug, clap::ValueEnum)]
enum PolicyChoice {
    /// Wait until every seated diner has finished.
    Wait,
    /// Drop the diners' handles and go home.
    Drop,
    /// Cancel every meal still going, and wait until each diner has left.
    Cancel,
}

/// How long the example watches after the host has gone home, in story minutes.
pub const WATCH_AFTER: u32 = 10;

/// One evening on `runtime`, ended as `policy` says.
pub fn closing_time(runtime: Runtime, minute: Duration, policy: Policy) -> Evening {
    let after = WATCH_AFTER * minute;
    match runtime {
        Runtime::Tokio => host::on_tokio(minute, policy, after),
        Runtime::AsyncStd => host::on_async_std(minute, policy, after),
        Runtime::Smol => host::on_smol(minute, policy, after),
    }
}

/// What the host does at closing time, in words.
fn how(policy: Policy) -> &'static str {
    match policy {
        Policy::Wait => "waits for everyone",
        Policy::Drop => "drops the handles",
        Policy::Cancel => "sends them home",
    }
}

fn print_readable(runtime: Runtime, policy: Policy, evening: &Evening) {
    println!(
        "{:<9}  host {:<18}: {} seated, {} phoned, {} served, {} left hungry; home at minute {:.1}; {} served after",
        runtime.name(),
        how(policy),
        evening.seated,
        evening.phoned,
        evening.served,
        evening.left_hungry,
        evening.went_home_at,
        evening.served_after
    );
}

/// The evening's book as a timeline: a bar per diner from sitting down to leaving (with a red
/// tick for a diner who left hungry), and the host's moments as ticks.
pub fn timeline(evening: &Evening, runtime: Runtime) -> Timeline {
    let timeline =
        Timeline::on_runtime(StoryClock::new(Duration::from_millis(100)), runtime.name());
    for (t, who, what) in &evening.book {
        let say = format!("{who} {what}.");
        match *what {
            "sits down" => timeline.record_at(*t, who, "start", &say),
            "finishes" => timeline.record_at(*t, who, "done", &say),
            "leaves hungry" => {
                timeline.record_at(*t, who, "done", &say);
                timeline.record_at(*t, who, "hungry", &say)
            }
            _ => timeline.record_at(*t, who, what, &say),
        };
    }
    timeline
}

/// Writes the evening's picture to `path`, on the scale of the whole booked evening.
fn draw(path: &std::path::Path, evening: &Evening, runtime: Runtime, policy: Policy) {
    let how = how(policy);
    let axis = (ARRIVALS[ARRIVALS.len() - 1] + EATING) as f64;
    let svg = timeline(evening, runtime)
        .to_svg_with_axis(&format!("Closing time on {runtime}: the host {how}"), axis);
    if let Err(error) = std::fs::write(path, svg) {
        eprintln!("closing: cannot write {}: {error}", path.display());
        std::process::exit(1);
    }
}

fn main() {
    let args: Args = parse_or_exit();
    let runtimes = args.story.runtime.runtimes();
    if args.svg.is_some() && (runtimes.len() > 1 || args.policy.is_none()) {
        cli::exit_with_usage_error(
            "closing: --svg draws one evening: pick one runtime and one --policy",
        );
    }
    let minute = Duration::from_millis(args.story.minute_ms);
    let policies = match args.policy {
        Some(PolicyChoice::Wait) => vec![Policy::Wait],
        Some(PolicyChoice::Drop) => vec![Policy::Drop],
        Some(PolicyChoice::Cancel) => vec![Policy::Cancel],
        None => vec![Policy::Wait, Policy::Drop, Policy::Cancel],
    };
    for runtime in runtimes {
        for &policy in &policies {
            let evening = closing_time(runtime, minute, policy);
            if let Some(path) = &args.svg {
                draw(path, &evening, runtime, policy);
            }
            if args.story.json {
                let row = serde_json::json!({
                    "runtime": runtime.name(),
                    "policy": format!("{policy:?}").to_lowercase(),
                    "evening": evening,
                });
                println!("{row}");
            } else {
                print_readable(runtime, policy, &evening);
            }
        }
    }
}
