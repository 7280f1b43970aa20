//! Quickstart: the five things a user of a runtime needs, on tokio, async-std and smol.
//!
//! Start the runtime, call async functions, create tasks, wait for many of them, shut down;
//! plus the mistake every newcomer makes: starting a runtime inside a runtime.
//! `--minute-ms` sets how long the tour's "second" lasts (100 ms by default). The hello-world
//! is not here: the chapter shows it as three complete programs, which the book's snippet
//! tests run.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use clap::Parser;
use futures::StreamExt;
use futures::stream::FuturesUnordered;
use loopbot::Runtime;
use loopbot::cli::{StoryArgs, parse_or_exit};

/// The quickstart tour, on the runtime you pick.
#[derive(Parser)]
#[command(name = "quickstart")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
}

/// What one runtime's tour saw.
#[derive(Debug)]
pub struct Tour {
    /// What the awaited async function returned.
    pub called: String,
    /// The three drinks, in the order `join` gave them back: the order they were asked for.
    pub joined: Vec<&'static str>,
    /// How long the three joined tasks took together, in "seconds".
    pub joined_seconds: f64,
    /// The three drinks in the order they finished, from a task set.
    pub finished: Vec<&'static str>,
}

/// The three drinks the tour makes, with how many "seconds" each takes.
pub const DRINKS: [(&str, u32); 3] = [("tea", 3), ("coffee", 1), ("cocoa", 2)];

// ANCHOR: brew_tokio
async fn brew_tokio(drink: &'static str, seconds: u32, second: Duration) -> &'static str {
    tokio::time::sleep(seconds * second).await;
    drink
}
// ANCHOR_END: brew_tokio

/// The tour on tokio.
pub fn tour_tokio(second: Duration) -> Tour {
    let runtime = tokio::runtime::Runtime::new().expect("tokio starts");
    runtime.block_on(async {
        // ANCHOR: call_tokio
        let called = brew_tokio("espresso", 0, second).await;
        // ANCHOR_END: call_tokio

        // ANCHOR: tasks_tokio
        let start = Instant::now();
        let [tea, coffee, cocoa] =
            DRINKS.map(|(drink, seconds)| tokio::spawn(brew_tokio(drink, seconds, second)));
        let (tea, coffee, cocoa) = tokio::join!(tea, coffee, cocoa);
        let joined = vec![tea.unwrap(), coffee.unwrap(), cocoa.unwrap()];
        let joined_seconds = start.elapsed().as_secs_f64() / second.as_secs_f64();
        // ANCHOR_END: tasks_tokio

        // ANCHOR: set_tokio
        let mut set = tokio::task::JoinSet::new();
        for (drink, seconds) in DRINKS {
            set.spawn(brew_tokio(drink, seconds, second));
        }
        let mut finished = Vec::new();
        while let Some(drink) = set.join_next().await {
            finished.push(drink.expect("no drink panics"));
        }
        // ANCHOR_END: set_tokio

        Tour {
            called: called.to_string(),
            joined,
            joined_seconds,
            finished,
        }
    })
}

// ANCHOR: brew_async_std
async fn brew_async_std(drink: &'static str, seconds: u32, second: Duration) -> &'static str {
    async_std::task::sleep(seconds * second).await;
    drink
}
// ANCHOR_END: brew_async_std

/// The tour on async-std.
pub fn tour_async_std(second: Duration) -> Tour {
    async_std::task::block_on(async {
        // ANCHOR: call_async_std
        let called = brew_async_std("espresso", 0, second).await;
        // ANCHOR_END: call_async_std

        // ANCHOR: tasks_async_std
        let start = Instant::now();
        let handles = DRINKS
            .map(|(drink, seconds)| async_std::task::spawn(brew_async_std(drink, seconds, second)));
        let joined = futures::future::join_all(handles).await;
        let joined_seconds = start.elapsed().as_secs_f64() / second.as_secs_f64();
        // ANCHOR_END: tasks_async_std

        // ANCHOR: set_async_std
        let mut set: FuturesUnordered<_> = DRINKS
            .iter()
            .map(|&(drink, seconds)| async_std::task::spawn(brew_async_std(drink, seconds, second)))
            .collect();
        let mut finished = Vec::new();
        while let Some(drink) = set.next().await {
            finished.push(drink);
        }
        // ANCHOR_END: set_async_std

        Tour {
            called: called.to_string(),
            joined,
            joined_seconds,
            finished,
        }
    })
}

// ANCHOR: brew_smol
async fn brew_smol(drink: &'static str, seconds: u32, second: Duration) -> &'static str {
    smol::Timer::after(seconds * second).await;
    drink
}
// ANCHOR_END: brew_smol

/// The tour on smol.
pub fn tour_smol(second: Duration) -> Tour {
    smol::block_on(async {
        // ANCHOR: call_smol
        let called = brew_smol("espresso", 0, second).await;
        // ANCHOR_END: call_smol

        // ANCHOR: tasks_smol
        let start = Instant::now();
        let tasks = DRINKS.map(|(drink, seconds)| smol::spawn(brew_smol(drink, seconds, second)));
        let joined = futures::future::join_all(tasks).await;
        let joined_seconds = start.elapsed().as_secs_f64() / second.as_secs_f64();
        // ANCHOR_END: tasks_smol

        // ANCHOR: set_smol
        let mut set: FuturesUnordered<_> = DRINKS
            .iter()
            .map(|&(drink, seconds)| smol::spawn(brew_smol(drink, seconds, second)))
            .collect();
        let mut finished = Vec::new();
        while let Some(drink) = set.next().await {
            finished.push(drink);
        }
        // ANCHOR_END: set_smol

        Tour {
            called: called.to_string(),
            joined,
            joined_seconds,
            finished,
        }
    })
}

/// Runs the tour on `runtime`.
pub fn tour(runtime: Runtime, second: Duration) -> Tour {
    match runtime {
        Runtime::Tokio => tour_tokio(second),
        Runtime::AsyncStd => tour_async_std(second),
        Runtime::Smol => tour_smol(second),
    }
}

/// What became of a task still running when the program left `block_on`.
#[derive(Debug, PartialEq, Eq)]
pub enum Leftover {
    /// Its future was dropped at shutdown: it never finished.
    Dropped,
    /// It ran on after `block_on` returned, and finished.
    RanOn,
}

/// Spawns a task that needs 2 "seconds", leaves `block_on` at once, then watches the task.
pub fn shutdown(runtime: Runtime, second: Duration) -> Leftover {
    let finished = Arc::new(AtomicBool::new(false));
    let done = finished.clone();
    match runtime {
        Runtime::Tokio => {
            // ANCHOR: shutdown_tokio
            let runtime = tokio::runtime::Runtime::new().expect("tokio starts");
            runtime.block_on(async {
                tokio::spawn(async move {
                    tokio::time::sleep(2 * second).await;
                    done.store(true, Ordering::SeqCst);
                });
            });
            drop(runtime); // every task still running is dropped here, unfinished
            // ANCHOR_END: shutdown_tokio
        }
        Runtime::AsyncStd => {
            // ANCHOR: shutdown_async_std
            async_std::task::block_on(async {
                async_std::task::spawn(async move {
                    async_std::task::sleep(2 * second).await;
                    done.store(true, Ordering::SeqCst);
                });
            });
            // The task runs on, on async-std's global executor.
            // ANCHOR_END: shutdown_async_std
        }
        Runtime::Smol => {
            // ANCHOR: shutdown_smol
            smol::block_on(async {
                smol::spawn(async move {
                    smol::Timer::after(2 * second).await;
                    done.store(true, Ordering::SeqCst);
                })
                .detach(); // without detach, dropping the Task would cancel it
            });
            // The detached task runs on, on smol's global executor.
            // ANCHOR_END: shutdown_smol
        }
    }
    // Wait well past the task's 2 seconds (and much longer on a busy machine) before judging.
    let give_up = Instant::now() + 3 * second + Duration::from_secs(5);
    std::thread::sleep(3 * second);
    if runtime != Runtime::Tokio {
        while !finished.load(Ordering::SeqCst) && Instant::now() < give_up {
            std::thread::sleep(second / 10);
        }
    }
    if finished.load(Ordering::SeqCst) {
        Leftover::RanOn
    } else {
        Leftover::Dropped
    }
}

/// Calls `block_on` inside `block_on` on `runtime`. `Ok` with the inner result if it nests,
/// `Err` with the panic message if the runtime refuses.
pub fn nested_block_on(runtime: Runtime) -> Result<u32, String> {
    let message = |payload: Box<dyn std::any::Any + Send>| {
        payload
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_default()
    };
    match runtime {
        Runtime::Tokio => {
            // ANCHOR: nested_tokio
            let outer = tokio::runtime::Runtime::new().expect("tokio starts");
            let inner = tokio::runtime::Runtime::new().expect("tokio starts");
            let result = outer.block_on(async {
                std::panic::catch_unwind(|| inner.block_on(async { 42 })) // panics
            });
            // ANCHOR_END: nested_tokio
            result.map_err(message)
        }
        Runtime::AsyncStd => {
            // ANCHOR: nested_async_std
            let result = async_std::task::block_on(async {
                async_std::task::block_on(async { 42 }) // nests
            });
            // ANCHOR_END: nested_async_std
            Ok(result)
        }
        Runtime::Smol => {
            // ANCHOR: nested_smol
            let result = smol::block_on(async {
                smol::block_on(async { 42 }) // nests
            });
            // ANCHOR_END: nested_smol
            Ok(result)
        }
    }
}

fn main() {
    let args: Args = parse_or_exit();
    let second = Duration::from_millis(args.story.minute_ms);
    for runtime in args.story.runtime.runtimes() {
        if !args.story.json {
            println!(
                "Quickstart on {runtime}; 1 second = {} ms",
                second.as_millis()
            );
        }
        let tour = tour(runtime, second);
        let leftover = shutdown(runtime, second);
        // tokio's refusal is a panic; keep its message out of the way of the tour's output.
        let hook = std::panic::take_hook();
        std::panic::set_hook(Box::new(|_| {}));
        let nested = nested_block_on(runtime);
        std::panic::set_hook(hook);
        let nested_text = match &nested {
            Ok(value) => format!("nests, and the inner block_on returns {value}"),
            // The first sentence; the chapter quotes the whole message.
            Err(message) => format!(
                "panics: {}.",
                message.split(". ").next().unwrap_or_default()
            ),
        };
        if args.story.json {
            let record = serde_json::json!({
                "runtime": runtime.name(),
                "called": tour.called,
                "joined": tour.joined,
                "joined_seconds": tour.joined_seconds,
                "finished": tour.finished,
                "leftover_task": format!("{leftover:?}"),
                "nested_block_on": nested.as_ref().map_err(|message| message.as_str()).err(),
            });
            println!("{record}");
            continue;
        }
        println!("called an async fn: {}", tour.called);
        println!(
            "joined three tasks: {:?} after {:.1} seconds",
            tour.joined, tour.joined_seconds
        );
        println!("a task set, as they finish: {:?}", tour.finished);
        println!("a task still running at shutdown: {leftover:?}");
        println!("block_on inside block_on: {nested_text}");
    }
}
