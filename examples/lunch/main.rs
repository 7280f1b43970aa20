//! Lunch: pasta (10 story minutes), meatloaf (3) and avocado (2), cooked one after another
//! (15 minutes) or all at once on one thread (10), on tokio, async-std or smol.
//!
//! ```text
//! cargo run --example lunch -- --runtime all
//! cargo run --example lunch -- --runtime smol --lunch one-after-another
//! cargo run --example lunch -- --lunch avocado-first --json
//! cargo run --example lunch -- --lunch plain
//! cargo run --example lunch -- --runtime async-std --svg lunch.svg
//! ```
//!
//! The programs are the chapter's own listings, one file each (`plain.rs`, `on_tokio.rs`,
//! `on_async_std.rs`, `on_smol.rs`), exactly as a reader pastes them into a fresh project:
//! they only print their lines. This file is the scaffolding around them: it runs the chosen
//! listing in a fresh copy of this example (`--job`), notes when each line arrives, and shows
//! the run as a timeline, as JSON or as an SVG. `tests/lunch.rs` checks every number the
//! chapter gives against those runs.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::Stdio;
use std::time::Duration;

use clap::Parser;
use loopbot::cli::{self, RuntimeChoice};
use loopbot::myself::{self, JobArgs};
use loopbot::{Runtime, StoryClock, Timeline};

// Each listing is a program of its own, with its own `main`: it is included whole into a module
// that also hands its `main` and its story minute to the scaffolding.

/// The first lunch, in plain Rust: no async, no runtime.
mod plain {
    include!("plain.rs");
    pub const STORY_MINUTE: Duration = MINUTE;
    pub fn run() {
        main()
    }
}

/// The async lunches on tokio.
mod on_tokio {
    include!("on_tokio.rs");
    pub const STORY_MINUTE: Duration = MINUTE;
    pub fn run() {
        main()
    }
}

/// The async lunches on async-std.
mod on_async_std {
    include!("on_async_std.rs");
    pub const STORY_MINUTE: Duration = MINUTE;
    pub fn run() {
        main()
    }
}

/// The async lunches on smol.
mod on_smol {
    include!("on_smol.rs");
    pub const STORY_MINUTE: Duration = MINUTE;
    pub fn run() {
        main()
    }
}

/// The dishes and how long each takes, in story minutes.
pub const PASTA_MINUTES: f64 = 10.0;
pub const MEATLOAF_MINUTES: f64 = 3.0;
pub const AVOCADO_MINUTES: f64 = 2.0;

#[derive(Parser)]
#[command(about = "Cook the chapter's lunches on tokio, async-std or smol, and watch the clock")]
struct Args {
    /// Which runtime cooks, or `all` for each of them in turn [default: tokio]. The plain
    /// lunch runs on none.
    #[arg(long, value_enum)]
    runtime: Option<RuntimeChoice>,
    /// Which of the chapter's lunches to cook.
    #[arg(long, value_enum, default_value_t = Lunch::AllAtOnce)]
    lunch: Lunch,
    /// Print one JSON object per line instead of the readable timeline.
    #[arg(long)]
    json: bool,
    /// Also draw the run as an SVG timeline into FILE (needs a single runtime).
    #[arg(long, value_name = "FILE")]
    svg: Option<PathBuf>,
    #[command(flatten)]
    job: JobArgs,
    /// Internal: the word a job's listing reads first, the lunch's name.
    #[arg(hide = true)]
    word: Option<String>,
}

/// The chapter's lunches, named as the listings' `main` reads them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lunch {
    /// One dish after another, in plain Rust: `std::thread::sleep` and no runtime.
    Plain,
    /// One dish after another, each awaited before the next starts.
    OneAfterAnother,
    /// All three dishes joined, the avocado last.
    AllAtOnce,
    /// All three joined, the avocado first, holding the thread for its 2 minutes.
    AvocadoFirst,
}

impl Lunch {
    /// The word the listing's `main` reads after the program's name.
    pub fn word(self) -> &'static str {
        match self {
            Lunch::Plain => "plain",
            Lunch::OneAfterAnother => "one-after-another",
            Lunch::AllAtOnce => "all-at-once",
            Lunch::AvocadoFirst => "avocado-first",
        }
    }

    fn describe(self) -> &'static str {
        match self {
            Lunch::Plain => "one dish after another",
            Lunch::OneAfterAnother => "one dish after another",
            Lunch::AllAtOnce => "all at once",
            Lunch::AvocadoFirst => "all at once, the avocado first",
        }
    }
}

/// What each printed line means in the story: `(dish, "start" | "done")`, or the total.
fn what_the_line_says(line: &str) -> Option<(&'static str, &'static str)> {
    Some(match line {
        "The pasta goes into the boiling water." => ("pasta", "start"),
        "The pasta is ready." => ("pasta", "done"),
        "The meatloaf goes into the microwave." => ("meatloaf", "start"),
        "The meatloaf is hot." => ("meatloaf", "done"),
        "Peeling and slicing the avocado." => ("avocado", "start"),
        "The avocado is sliced." => ("avocado", "done"),
        _ if line.starts_with("Lunch is ready after ") => ("lunch", "total"),
        _ => return None,
    })
}

/// The job that runs the listing for `runtime` (`None`: the plain one), and that listing's
/// story minute.
fn listing(runtime: Option<Runtime>) -> (&'static str, Duration) {
    match runtime {
        None => ("plain", plain::STORY_MINUTE),
        Some(Runtime::Tokio) => ("tokio", on_tokio::STORY_MINUTE),
        Some(Runtime::AsyncStd) => ("async-std", on_async_std::STORY_MINUTE),
        Some(Runtime::Smol) => ("smol", on_smol::STORY_MINUTE),
    }
}

/// Cooks `lunch` with the listing for `runtime` (`None`: the plain one) in a fresh process,
/// and returns its timeline: each line at the story minute it arrived, counted from the moment
/// before the child started; the last is the lunch's `"total"`.
pub fn cook(runtime: Option<Runtime>, lunch: Lunch) -> Timeline {
    let (job, minute) = listing(runtime);
    let fail = |why: String| -> ! {
        eprintln!("lunch: the {job} listing {why}");
        std::process::exit(1)
    };
    // The clock starts before the child does, so that every line is timed no sooner than it
    // was printed: the few milliseconds the process takes to start count, a line read late
    // counts, and nothing can make a dish look quicker than it was.
    let timeline = match runtime {
        Some(runtime) => Timeline::on_runtime(StoryClock::new(minute), runtime),
        None => Timeline::new(StoryClock::new(minute)),
    };
    let mut child = myself::myself_with_word(lunch.word(), job)
        .stdout(Stdio::piped())
        .spawn()
        .unwrap_or_else(|error| fail(format!("could not start: {error}")));
    let stdout = child.stdout.take().expect("the child's output is piped");
    for line in BufReader::new(stdout).lines() {
        let line = line.unwrap_or_else(|error| fail(format!("printed no text: {error}")));
        let Some((actor, event)) = what_the_line_says(&line) else {
            fail(format!("printed a line the story does not know: {line}"))
        };
        timeline.record(actor, event, &line);
    }
    let status = child.wait().unwrap_or_else(|error| fail(error.to_string()));
    if !status.success() {
        fail(format!("ended with {status}"));
    }
    if timeline.events().is_empty() {
        fail("printed nothing".into());
    }
    timeline
}

/// In the child: run the listing `job` names, which reads the lunch from its first word.
fn run_the_listing(job: &str) {
    match job {
        "plain" => plain::run(),
        "tokio" => on_tokio::run(),
        "async-std" => on_async_std::run(),
        "smol" => on_smol::run(),
        other => cli::exit_with_usage_error(&format!("lunch: no listing called {other}")),
    }
}

/// Draws `timeline` into the SVG file at `path`.
fn draw(path: &std::path::Path, timeline: &Timeline, lunch: Lunch, place: &str) {
    let shape = match lunch {
        Lunch::Plain | Lunch::OneAfterAnother => "One dish after another",
        Lunch::AllAtOnce => "All at once",
        Lunch::AvocadoFirst => "All at once, the avocado first",
    };
    // Every lunch is drawn against the slowest one (all dishes in a row), so pictures of
    // different runs compare at a glance.
    let axis = PASTA_MINUTES + MEATLOAF_MINUTES + AVOCADO_MINUTES;
    let svg = timeline.to_svg_with_axis(&format!("{shape}, {place}"), axis);
    if let Err(error) = std::fs::write(path, svg) {
        eprintln!("lunch: cannot write {}: {error}", path.display());
        std::process::exit(1);
    }
}

fn main() {
    let args: Args = cli::parse_or_exit();
    match (&args.job.job, &args.word) {
        (Some(job), _) => return run_the_listing(job),
        (None, Some(word)) => {
            cli::exit_with_usage_error(&format!("lunch: unexpected argument '{word}' found"))
        }
        (None, None) => {}
    }
    let runtimes: Vec<Option<Runtime>> = match (args.lunch, args.runtime) {
        (Lunch::Plain, None) => vec![None],
        (Lunch::Plain, Some(_)) => cli::exit_with_usage_error(
            "lunch: the plain lunch runs on no runtime: leave out --runtime",
        ),
        (_, choice) => choice
            .unwrap_or(RuntimeChoice::Tokio)
            .runtimes()
            .into_iter()
            .map(Some)
            .collect(),
    };
    if args.svg.is_some() && runtimes.len() > 1 {
        cli::exit_with_usage_error("lunch: --svg draws one run: pick one runtime, not all");
    }
    for (index, runtime) in runtimes.into_iter().enumerate() {
        let place = match runtime {
            Some(runtime) => format!("on {runtime}"),
            None => "in plain Rust".to_string(),
        };
        if !args.json {
            if index > 0 {
                println!();
            }
            let minute = listing(runtime).1.as_millis();
            println!(
                "Lunch {place}: {}; 1 story minute = {minute} ms",
                args.lunch.describe()
            );
        }
        let timeline = cook(runtime, args.lunch);
        if args.json {
            print!("{}", timeline.to_json_lines());
        } else {
            print!("{}", timeline.to_text());
        }
        if let Some(path) = &args.svg {
            draw(path, &timeline, args.lunch, &place);
        }
    }
}
