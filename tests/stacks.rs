//! Every claim the chapter "Stacks and Frames" makes, checked on the runtimes it names.
//!
//! The measurements are the example itself (`examples/stacks.rs`), included here as a module,
//! so the tests run exactly the code a reader runs with `cargo run --example stacks`.

mod common;
#[allow(dead_code)]
#[path = "../examples/stacks.rs"]
mod stacks;

use std::future::Future;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use loopbot::Runtime;
use stacks::{
    CRUNCH_MINUTES, FutureSizes, LARGE_STACK, SMALL_STACK, TICK_MINUTES, TICKS, future_sizes,
    measure_stack, tick_beside_a_cruncher,
};

/// A story minute in the tests: long enough that scheduling jitter on a busy machine (tens of
/// milliseconds) stays well inside the slack of every bound.
const MINUTE: Duration = Duration::from_millis(100);

/// The tests that keep a core busy take turns: on a small machine, two crunchers computing at
/// once could keep the ticker's thread off the CPU and blur what the test measures.
fn one_cruncher_at_a_time() -> MutexGuard<'static, ()> {
    static CPU: Mutex<()> = Mutex::new(());
    CPU.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn gaps(ticks: &[f64]) -> Vec<f64> {
    ticks.windows(2).map(|pair| pair[1] - pair[0]).collect()
}

#[test]
fn a_cruncher_that_never_yields_holds_the_ticker_back_for_as_long_as_it_computes() {
    let _cpu = one_cruncher_at_a_time();
    for runtime in Runtime::ALL {
        let run = tick_beside_a_cruncher(runtime, MINUTE, false);
        assert_eq!(run.ticks.len(), TICKS, "{runtime}: {run:?}");
        let computed = run.crunch_end - run.crunch_start;
        assert!(computed >= CRUNCH_MINUTES, "{runtime}: {run:?}");
        // The ticker should tick after 1 minute, and waits the whole computation instead.
        let what = format!("{runtime}: the longest gap");
        common::assert_no_sooner(&what, run.longest_gap, CRUNCH_MINUTES, MINUTE);
        assert_eq!(run.ticks_during_crunch, 0, "{runtime}: {run:?}");
        // The second tick comes only once the computation is over.
        assert!(run.ticks[1] >= run.crunch_end, "{runtime}: {run:?}");
    }
}

#[test]
fn a_cruncher_that_yields_lets_the_ticker_keep_its_pace() {
    let _cpu = one_cruncher_at_a_time();
    for runtime in Runtime::ALL {
        let run = tick_beside_a_cruncher(runtime, MINUTE, true);
        assert_eq!(run.ticks.len(), TICKS, "{runtime}: {run:?}");
        assert!(
            run.crunch_end - run.crunch_start >= CRUNCH_MINUTES,
            "{runtime}: {run:?}"
        );
        for gap in gaps(&run.ticks) {
            // A tick every minute, not one held back for the whole computation.
            let what = format!("{runtime}: a gap between ticks");
            common::assert_claim(&what, gap, TICK_MINUTES, CRUNCH_MINUTES, MINUTE);
        }
        // Ticks at 1, 2 and 3 minutes, all while the computation is still going.
        assert!(run.ticks_during_crunch >= 3, "{runtime}: {run:?}");
    }
}

#[test]
fn a_larger_stack_holds_deeper_recursion() {
    let small = measure_stack(SMALL_STACK);
    let large = measure_stack(LARGE_STACK);
    eprintln!("small: {small:?}\nlarge: {large:?}");
    assert!(large.depth > small.depth, "{small:?} {large:?}");
    assert!(small.depth > 1, "{small:?}");
    // Each call's frame holds at least its 512 bytes of locals.
    assert!(small.frame_bytes >= 512, "{small:?}");
    assert!(large.capacity > small.capacity, "{small:?} {large:?}");
}

#[test]
fn recursing_without_end_kills_the_process() {
    let overflow = stacks::overflow_in_a_child(&common::example("stacks"));
    assert!(!overflow.exited_normally, "{overflow:?}");
    assert!(
        overflow.last_words.contains("has overflowed its stack"),
        "{overflow:?}"
    );
}

#[test]
fn a_future_holds_what_it_keeps_across_an_await_and_nothing_else() {
    let FutureSizes {
        empty,
        empty_closure,
        keeps_a_buffer_across_the_await: keeps,
        drops_the_buffer_before_the_await: drops,
        awaits_the_buffer_keeper: awaits,
        boxed_recursion,
    } = future_sizes();
    // The 1 KiB buffer kept across the `.await` is inside the future.
    assert!(keeps >= 1024, "{keeps}");
    // The buffer dropped before the `.await` is not.
    assert!(drops < 1024, "{drops}");
    // An awaited future lives inside its caller's future.
    assert!(awaits >= keeps, "{awaits} < {keeps}");
    // The recursive future is a pointer to a box, two words whatever its depth.
    assert_eq!(
        boxed_recursion,
        std::mem::size_of::<Pin<Box<dyn Future<Output = u32>>>>()
    );
    assert_eq!(boxed_recursion, 2 * std::mem::size_of::<usize>());
    // A future with nothing to keep still has its state; a closure with nothing has nothing.
    assert!(empty >= 1, "{empty}");
    assert_eq!(empty_closure, 0);
}

#[test]
fn the_futures_run_to_their_answers() {
    for runtime in Runtime::ALL {
        let answers = runtime.block_on(async {
            (
                stacks::keeps_a_buffer_across_the_await().await,
                stacks::drops_the_buffer_before_the_await().await,
                stacks::awaits_the_buffer_keeper().await,
                stacks::count_down(5).await,
            )
        });
        assert_eq!(answers, (7, 7, 8, 5), "{runtime}");
    }
}

#[test]
fn json_output_has_one_object_per_measurement() {
    let _cpu = one_cruncher_at_a_time();
    let objects = common::json_lines(
        "stacks",
        &["--runtime", "all", "--json", "--minute-ms", "20"],
    );
    let kinds: Vec<&str> = objects
        .iter()
        .map(|object| object["measurement"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        [
            "ticker",
            "ticker",
            "ticker",
            "ticker",
            "ticker",
            "ticker",
            "stack",
            "stack",
            "overflow",
            "future_sizes"
        ],
        "{objects:?}"
    );
    for (object, runtime) in objects.chunks(2).zip(Runtime::ALL) {
        assert_eq!(object[0]["runtime"], runtime.name());
        assert_eq!(object[0]["cruncher_yields"], false);
        assert_eq!(object[1]["cruncher_yields"], true);
        assert_eq!(object[0]["ticks_during_crunch"], 0);
    }
    assert_eq!(objects[6]["stack_bytes"], SMALL_STACK);
    assert!(objects[7]["depth"].as_u64() > objects[6]["depth"].as_u64());
    assert_eq!(objects[8]["exited_normally"], false);
    assert!(
        objects[9]["keeps_a_buffer_across_the_await"]
            .as_u64()
            .unwrap()
            >= 1024
    );
}

#[test]
fn readable_output_names_every_measurement() {
    let _cpu = one_cruncher_at_a_time();
    let output = common::run_example("stacks", &["--runtime", "smol", "--minute-ms", "20"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "1 story minute = 20 ms",
        "smol       cruncher never yields",
        "smol       cruncher yields",
        "   64 KiB stack:",
        " 1024 KiB stack:",
        "has overflowed its stack",
        "keeps a 1 KiB buffer across its .await",
    ] {
        assert!(stdout.contains(expected), "no '{expected}' in:\n{stdout}");
    }
}
