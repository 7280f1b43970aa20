//! Streams, channels and backpressure, in the restaurant, on the runtime you pick:
//!
//! 1. the diners arrive along a channel, and the host greets each in a `while let` loop
//!    (`arrivals.rs`);
//! 2. six tables' dishes are served as each is done, all at once or on two burners
//!    (`kitchen.rs`);
//! 3. the WaitBot hangs order slips on the kitchen's rail, bounded or not, and the heap shows
//!    the difference (`rail.rs`);
//! 4. twelve diners share six tables (`tables.rs`).
//!
//! `cargo run --release --example streams -- --runtime all` prints each runtime's figures.
//! The modules are written in each runtime's own API; `tests/streams.rs` includes this file.

mod arrivals;
mod heap;
mod kitchen;
mod rail;
mod tables;

// The example's own binary counts its heap; the tests that include this file do not.
#[cfg(not(test))]
#[global_allocator]
static HEAP: heap::Counting = heap::Counting;

use std::time::Duration;

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{self, StoryArgs, parse_or_exit};
use loopbot::clock::StoryClock;
use loopbot::timeline::Timeline;

pub use kitchen::{BURNERS, ORDERS, Service};
pub use rail::{Rail, SLIP_BYTES};
pub use tables::{DINERS, EATING, TABLES};

/// Streams, channels and backpressure, on the runtime you pick.
#[derive(Parser)]
#[command(name = "streams")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// How many order slips the WaitBot writes for the rail.
    #[arg(long, default_value_t = 10_000, value_parser = clap::value_parser!(u32).range(1..=1_000_000))]
    slips: u32,
    /// How many slips the bounded rail holds.
    #[arg(long, default_value_t = 8, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    rail: u64,
    /// Also draw the six tables' dishes as two SVG timelines, PREFIX-all-at-once.svg and
    /// PREFIX-two-burners.svg (one runtime).
    #[arg(long, value_name = "PREFIX")]
    svg: Option<String>,
}

/// Draws the dishes of one way of cooking, a bar per table from fire to plate, into
/// `<prefix>-<name>.svg`, on the scale of cooking them one by one.
fn draw(prefix: &str, name: &str, title: &str, served: &[(u32, f64, f64)], runtime: Runtime) {
    let timeline =
        Timeline::on_runtime(StoryClock::new(Duration::from_millis(100)), runtime.name());
    let mut dishes = served.to_vec();
    dishes.sort_by_key(|dish| dish.0);
    for (table, on, off) in dishes {
        let actor = format!("Table {table}");
        timeline.record_at(
            on,
            &actor,
            "start",
            &format!("{actor}'s dish goes on the fire."),
        );
        timeline.record_at(off, &actor, "done", &format!("{actor}'s dish is served."));
    }
    let one_by_one: u32 = ORDERS.iter().map(|(_, minutes)| minutes).sum();
    let svg = timeline.to_svg_with_axis(&format!("{title}, on {runtime}"), one_by_one as f64);
    let path = format!("{prefix}-{name}.svg");
    if let Err(error) = std::fs::write(&path, svg) {
        eprintln!("streams: cannot write {path}: {error}");
        std::process::exit(1);
    }
}

/// Who the host greeted, in order, and when the last one came, in story minutes.
pub fn arrivals(runtime: Runtime, minute: Duration) -> (Vec<u32>, f64) {
    match runtime {
        Runtime::Tokio => arrivals::on_tokio(minute),
        Runtime::AsyncStd => arrivals::on_async_std(minute),
        Runtime::Smol => arrivals::on_smol(minute),
    }
}

/// The six tables served with every dish at once, then on two burners.
pub fn kitchen(runtime: Runtime, minute: Duration) -> (Service, Service) {
    match runtime {
        Runtime::Tokio => kitchen::on_tokio(minute),
        Runtime::AsyncStd => kitchen::on_async_std(minute),
        Runtime::Smol => kitchen::on_smol(minute),
    }
}

/// `slips` slips through a rail that holds `capacity` of them, or any number if `None`.
pub fn rail(runtime: Runtime, slips: u32, capacity: Option<usize>) -> Rail {
    match runtime {
        Runtime::Tokio => rail::on_tokio(slips, capacity),
        Runtime::AsyncStd => rail::on_async_std(slips, capacity),
        Runtime::Smol => rail::on_smol(slips, capacity),
    }
}

/// The most diners seated at once at the six tables, and the minutes the evening took.
pub fn tables(runtime: Runtime, minute: Duration) -> (u32, f64) {
    match runtime {
        Runtime::Tokio => tables::on_tokio(minute),
        Runtime::AsyncStd => tables::on_async_std(minute),
        Runtime::Smol => tables::on_smol(minute),
    }
}

/// A rail's run, with the most heap it held above what was held before it began.
fn rail_with_heap(runtime: Runtime, slips: u32, capacity: Option<usize>) -> (Rail, usize) {
    let before = heap::held();
    heap::reset_peak();
    let rail = rail(runtime, slips, capacity);
    (rail, heap::peak().saturating_sub(before))
}

fn run(runtime: Runtime, minute: Duration, args: &Args) -> serde_json::Value {
    let (greeted, last_greeted_at) = arrivals(runtime, minute);
    let ((at_once, at_once_took), (burners, burners_took)) = kitchen(runtime, minute);
    if let Some(prefix) = &args.svg {
        draw(
            prefix,
            "all-at-once",
            "Every dish at once",
            &at_once,
            runtime,
        );
        draw(prefix, "two-burners", "Two burners", &burners, runtime);
    }
    let table_order = |served: &[(u32, f64, f64)]| served.iter().map(|d| d.0).collect::<Vec<_>>();
    let (at_once, burners) = (table_order(&at_once), table_order(&burners));
    let (bounded, bounded_heap) = rail_with_heap(runtime, args.slips, Some(args.rail as usize));
    let (unbounded, unbounded_heap) = rail_with_heap(runtime, args.slips, None);
    let (most_seated, tables_took) = tables(runtime, minute);
    serde_json::json!({
        "runtime": runtime.name(),
        "greeted": greeted, "last_greeted_at": last_greeted_at,
        "all_at_once": at_once, "all_at_once_took": at_once_took,
        "two_burners": burners, "two_burners_took": burners_took,
        "slips": args.slips, "rail": args.rail,
        "bounded_most_on_rail": bounded.most_on_rail, "bounded_cooked": bounded.cooked,
        "bounded_peak_heap_bytes": bounded_heap,
        "unbounded_most_on_rail": unbounded.most_on_rail, "unbounded_cooked": unbounded.cooked,
        "unbounded_peak_heap_bytes": unbounded_heap,
        "most_seated": most_seated, "tables_took": tables_took,
    })
}

fn print_readable(row: &serde_json::Value, minute: Duration) {
    let kib = |key: &str| row[key].as_f64().unwrap_or(0.0) / 1024.0;
    println!(
        "Streams on {}; 1 story minute = {} ms",
        row["runtime"].as_str().unwrap_or(""),
        minute.as_millis()
    );
    println!(
        "1. arrivals: greeted {}, the last at minute {:.1}",
        row["greeted"],
        row["last_greeted_at"].as_f64().unwrap_or(0.0)
    );
    println!(
        "2. all at once: served {} in {:.1} min; two burners: {} in {:.1} min",
        row["all_at_once"],
        row["all_at_once_took"].as_f64().unwrap_or(0.0),
        row["two_burners"],
        row["two_burners_took"].as_f64().unwrap_or(0.0)
    );
    println!(
        "3. {} slips, rail of {}: at most {} on the rail, heap +{:.0} KiB",
        row["slips"],
        row["rail"],
        row["bounded_most_on_rail"],
        kib("bounded_peak_heap_bytes")
    );
    println!(
        "   {} slips, unbounded:  at most {} on the rail, heap +{:.0} KiB",
        row["slips"],
        row["unbounded_most_on_rail"],
        kib("unbounded_peak_heap_bytes")
    );
    println!(
        "4. six tables: at most {} seated, {:.1} min for twelve diners",
        row["most_seated"],
        row["tables_took"].as_f64().unwrap_or(0.0)
    );
}

fn main() {
    let args: Args = parse_or_exit();
    let minute = Duration::from_millis(args.story.minute_ms);
    let runtimes = args.story.runtime.runtimes();
    if args.svg.is_some() && runtimes.len() > 1 {
        cli::exit_with_usage_error("streams: --svg draws one run: pick one runtime, not all");
    }
    for runtime in runtimes {
        let row = run(runtime, minute, &args);
        if args.story.json {
            println!("{row}");
        } else {
            print_readable(&row, minute);
        }
    }
}
