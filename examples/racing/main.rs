//! Racing and cancelling: three races in the restaurant, on the runtime you pick.
//!
//! `cargo run --example racing -- --runtime all` runs each of them on tokio, async-std and
//! smol:
//! 1. a guest's long story against the soufflé timer (`souffle.rs`): the loser is dropped;
//! 2. a read loop that answers the pass bell (`slips.rs`): `read_line` loses half a slip when
//!    the bell wins, the reader's `lines()` never does;
//! 3. a timeout on the soufflé (`kitchen.rs`): on the baking, it loses the soufflé; on the wait
//!    for a task that bakes, it loses nothing.
//!
//! Each module is written in each runtime's own API; this file reads the arguments, picks the
//! runtime's version of each race and prints what it saw. `tests/racing.rs` includes this file.

mod kitchen;
mod slips;
mod souffle;

use std::time::Duration;

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{StoryArgs, parse_or_exit};

pub use kitchen::{Kitchen, Patience};
pub use slips::{Read, Step, random_script, ring_mid_slip};
pub use souffle::{Race, race_on_tokio as souffle_race_tokio};

/// Three races in the restaurant, on the runtime you pick.
#[derive(Parser)]
#[command(name = "racing")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
}

/// The guest's story against the soufflé timer.
pub fn story_against_timer(runtime: Runtime, minute: Duration) -> Race {
    match runtime {
        Runtime::Tokio => souffle::on_tokio(minute),
        Runtime::AsyncStd => souffle::on_async_std(minute),
        Runtime::Smol => souffle::on_smol(minute),
    }
}

/// The slips the ChefBot read while the WaitBot followed `script`.
pub fn read_slips(runtime: Runtime, script: Vec<Step>, read: Read) -> Vec<String> {
    match runtime {
        Runtime::Tokio => slips::on_tokio(script, read),
        Runtime::AsyncStd => slips::on_async_std(script, read),
        Runtime::Smol => slips::on_smol(script, read),
    }
}

/// The soufflé, waited for with a timeout where `patience` says.
pub fn wait_for_souffle(runtime: Runtime, minute: Duration, patience: Patience) -> Kitchen {
    match runtime {
        Runtime::Tokio => kitchen::on_tokio(minute, patience),
        Runtime::AsyncStd => kitchen::on_async_std(minute, patience),
        Runtime::Smol => kitchen::on_smol(minute, patience),
    }
}

/// Everything one runtime's run of the three races saw.
struct Run {
    runtime: Runtime,
    race: Race,
    read_line: Vec<String>,
    lines: Vec<String>,
    with_the_work: Kitchen,
    with_the_wait: Kitchen,
}

impl Run {
    fn new(runtime: Runtime, minute: Duration) -> Run {
        Run {
            runtime,
            race: story_against_timer(runtime, minute),
            read_line: read_slips(runtime, ring_mid_slip(), Read::ReadLine),
            lines: read_slips(runtime, ring_mid_slip(), Read::Lines),
            with_the_work: wait_for_souffle(runtime, minute, Patience::WithTheWork),
            with_the_wait: wait_for_souffle(runtime, minute, Patience::WithTheWait),
        }
    }

    /// One JSON object, on one line.
    fn print_json(&self) {
        let kitchen = |k: &Kitchen| {
            serde_json::json!({
                "gave_up_at": k.gave_up_at,
                "served_at": k.served_at,
                "oven_off_early": k.oven_off_early,
            })
        };
        let record = serde_json::json!({
            "runtime": self.runtime.name(),
            "race_winner": self.race.winner,
            "race_ended_at": self.race.ended_at,
            "race_sentences": self.race.sentences,
            "race_cut_off": self.race.cut_off,
            "read_line_slips": self.read_line,
            "lines_slips": self.lines,
            "timeout_with_the_work": kitchen(&self.with_the_work),
            "timeout_with_the_wait": kitchen(&self.with_the_wait),
        });
        println!("{record}");
    }

    /// A header and a few lines per race.
    fn print_readable(&self, minute: Duration) {
        let race = &self.race;
        println!(
            "Racing on {}; 1 story minute = {} ms",
            self.runtime,
            minute.as_millis()
        );
        println!(
            "1. story vs timer: {} won at minute {:.1}; {} sentences; story dropped unfinished: {}",
            race.winner, race.ended_at, race.sentences, race.cut_off
        );
        println!(
            "2. slips read with read_line: {}",
            self.read_line.join(", ")
        );
        println!("   slips read with lines():   {}", self.lines.join(", "));
        for (name, kitchen) in [
            ("on the baking", &self.with_the_work),
            ("on the wait  ", &self.with_the_wait),
        ] {
            println!("3. timeout {name}: {}", describe(kitchen));
        }
    }
}

/// One line about one evening in the kitchen.
fn describe(kitchen: &Kitchen) -> String {
    let gave_up = kitchen
        .gave_up_at
        .map_or("never gave up".to_string(), |at| {
            format!("gave up at minute {at:.1}")
        });
    let served = kitchen.served_at.map_or("no soufflé".to_string(), |at| {
        format!("soufflé served at minute {at:.1}")
    });
    let oven = if kitchen.oven_off_early {
        "oven went off early"
    } else {
        "oven stayed on"
    };
    format!("{gave_up}, {served}, {oven}")
}

fn main() {
    let args: Args = parse_or_exit();
    let minute = Duration::from_millis(args.story.minute_ms);
    for runtime in args.story.runtime.runtimes() {
        let run = Run::new(runtime, minute);
        if args.story.json {
            run.print_json();
        } else {
            run.print_readable(minute);
        }
    }
}
