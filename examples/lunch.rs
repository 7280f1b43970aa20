//! Lunch: pasta (10 story minutes), meatloaf (3) and avocado (2), cooked one after another
//! (15 minutes) or all at once on one thread (10), on tokio, async-std or smol.
//!
//! ```text
//! cargo run --example lunch -- --runtime all
//! cargo run --example lunch -- --runtime smol --sequential
//! cargo run --example lunch -- --runtime tokio --json --minute-ms 20
//! cargo run --example lunch -- --runtime async-std --svg lunch.svg
//! ```
//!
//! The book's chapter "Lunch" tells the story; `tests/lunch.rs` checks every number it gives.

use std::path::PathBuf;
use std::time::Duration;

use clap::Parser;
use loopbot::cli::{self, StoryArgs};
use loopbot::{Runtime, StoryClock, Timeline};

/// The dishes and how long each takes, in story minutes.
pub const PASTA_MINUTES: f64 = 10.0;
pub const MEATLOAF_MINUTES: f64 = 3.0;
pub const AVOCADO_MINUTES: f64 = 2.0;

#[derive(Parser)]
#[command(about = "Cook lunch on tokio, async-std or smol, one dish at a time or all at once")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// Cook one dish after another, awaiting each before starting the next.
    #[arg(long)]
    sequential: bool,
    /// How the avocado is peeled: by hand, holding the thread (as in the story), or by
    /// awaiting a timer like the other dishes.
    #[arg(long, value_enum, default_value_t = Peel::Blocking)]
    avocado: Peel,
    /// Start with the avocado instead of ending with it.
    #[arg(long)]
    avocado_first: bool,
    /// Also draw the run as an SVG timeline into FILE (needs a single runtime).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
}

/// How the avocado gets peeled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Peel {
    /// `std::thread::sleep`: the cook's hands are busy, the thread can do nothing else.
    Blocking,
    /// The runtime's own sleep: the thread is free to run other tasks meanwhile.
    Awaited,
}

/// What to cook and how.
#[derive(Clone, Copy, Debug)]
pub struct Menu {
    /// One dish after another instead of all at once.
    pub sequential: bool,
    /// How the avocado is peeled.
    pub avocado: Peel,
    /// The avocado before the pasta and the meatloaf.
    pub avocado_first: bool,
}

impl Menu {
    /// The story's concurrent lunch: all at once, the avocado peeled by hand, last.
    pub const STORY: Menu = Menu {
        sequential: false,
        avocado: Peel::Blocking,
        avocado_first: false,
    };

    fn describe(&self) -> String {
        let shape = if self.sequential {
            "one dish after another"
        } else {
            "all at once"
        };
        let peel = match self.avocado {
            Peel::Blocking => "blocking",
            Peel::Awaited => "awaited",
        };
        let place = if self.avocado_first { "first" } else { "last" };
        format!("{shape}; avocado {peel}, {place}")
    }
}

/// The cook: a runtime to wait on, and a timeline to tell what happened.
struct Kitchen {
    runtime: Runtime,
    timeline: Timeline,
}

impl Kitchen {
    /// Waits for a dish without holding the thread: the runtime's own sleep.
    async fn wait(&self, story_minutes: f64) {
        let real = self.timeline.clock().minutes(story_minutes);
        self.runtime.sleep(real).await;
    }
}

/// A dish a machine cooks (the pot, the microwave): you start it, then only wait.
async fn machine_cooks(kitchen: &Kitchen, dish: &str, minutes: f64, start: &str, done: &str) {
    kitchen.timeline.record(dish, "start", start);
    kitchen.wait(minutes).await;
    kitchen.timeline.record(dish, "done", done);
}

async fn cook_pasta(kitchen: &Kitchen) {
    let (start, done) = (
        "The pasta goes into the boiling water.",
        "The pasta is ready.",
    );
    machine_cooks(kitchen, "pasta", PASTA_MINUTES, start, done).await;
}

async fn heat_meatloaf(kitchen: &Kitchen) {
    let (start, done) = (
        "The meatloaf goes into the microwave.",
        "The meatloaf is hot.",
    );
    machine_cooks(kitchen, "meatloaf", MEATLOAF_MINUTES, start, done).await;
}

async fn peel_avocado(kitchen: &Kitchen, peel: Peel) {
    kitchen
        .timeline
        .record("avocado", "start", "Peeling and slicing the avocado.");
    match peel {
        // No `.await`: the thread is busy peeling, and no other task on it can run.
        Peel::Blocking => std::thread::sleep(kitchen.timeline.clock().minutes(AVOCADO_MINUTES)),
        Peel::Awaited => kitchen.wait(AVOCADO_MINUTES).await,
    }
    kitchen
        .timeline
        .record("avocado", "done", "The avocado is sliced.");
}

/// Cooks `menu` on `runtime`, on one thread, and returns the timeline; its last event is the
/// `"total"`, in story minutes.
pub fn cook_lunch(runtime: Runtime, minute: Duration, menu: Menu) -> Timeline {
    runtime.block_on(cook(runtime, minute, menu))
}

/// The lunch itself, for whoever already runs an executor (a test with tokio's paused clock).
pub async fn cook(runtime: Runtime, minute: Duration, menu: Menu) -> Timeline {
    // The clock starts inside the runtime, so tokio's paused test clock governs it too.
    let timeline = Timeline::on_runtime(StoryClock::new(minute), runtime);
    let kitchen = Kitchen {
        runtime,
        timeline: timeline.clone(),
    };
    match (menu.sequential, menu.avocado_first) {
        (true, false) => {
            cook_pasta(&kitchen).await;
            heat_meatloaf(&kitchen).await;
            peel_avocado(&kitchen, menu.avocado).await;
        }
        (true, true) => {
            peel_avocado(&kitchen, menu.avocado).await;
            cook_pasta(&kitchen).await;
            heat_meatloaf(&kitchen).await;
        }
        // join! polls the dishes in the order written, each until its first `.await`.
        (false, false) => {
            futures::join!(
                cook_pasta(&kitchen),
                heat_meatloaf(&kitchen),
                peel_avocado(&kitchen, menu.avocado),
            );
        }
        (false, true) => {
            futures::join!(
                peel_avocado(&kitchen, menu.avocado),
                cook_pasta(&kitchen),
                heat_meatloaf(&kitchen),
            );
        }
    }
    timeline.finish("lunch", |t| {
        format!("Lunch is ready after {t:.1} story minutes.")
    });
    timeline
}

fn main() {
    let args: Args = cli::parse_or_exit();
    let runtimes = args.story.runtime.runtimes();
    if args.svg.is_some() && runtimes.len() > 1 {
        cli::exit_with_usage_error("lunch: --svg draws one run: pick one runtime, not all");
    }
    let menu = Menu {
        sequential: args.sequential,
        avocado: args.avocado,
        avocado_first: args.avocado_first,
    };
    let minute = Duration::from_millis(args.story.minute_ms);
    for (index, runtime) in runtimes.into_iter().enumerate() {
        if !args.story.json {
            if index > 0 {
                println!();
            }
            println!(
                "Lunch on {runtime}: {}; 1 story minute = {} ms",
                menu.describe(),
                args.story.minute_ms
            );
        }
        let timeline = cook_lunch(runtime, minute, menu);
        if args.story.json {
            print!("{}", timeline.to_json_lines());
        } else {
            print!("{}", timeline.to_text());
        }
        if let Some(path) = &args.svg {
            let title = if menu.sequential {
                format!("One dish after another, on {runtime}")
            } else {
                format!("All at once, on {runtime}")
            };
            // Every lunch is drawn against the slowest one (all dishes in a row), so pictures
            // of different runs compare at a glance.
            let axis = PASTA_MINUTES + MEATLOAF_MINUTES + AVOCADO_MINUTES;
            if let Err(error) = std::fs::write(path, timeline.to_svg_with_axis(&title, axis)) {
                eprintln!("lunch: cannot write {}: {error}", path.display());
                std::process::exit(1);
            }
        }
    }
}
