//! Every claim the chapter "Racing and Cancelling" makes, checked on tokio, async-std and smol.
//!
//! The races are the example itself (`examples/racing/main.rs` and its modules), included here
//! as a module, so the tests run exactly the code a reader runs with `cargo run --example
//! racing` and reads in the chapter.

use crate::common;
#[allow(dead_code)]
#[path = "../examples/racing/main.rs"]
mod example;

use std::time::Duration;

use common::claim;
use example::{Patience, Read, random_script, read_slips, ring_mid_slip, story_against_timer};
use loopbot::Runtime;

/// A story minute in the tests: the tightest bound (3 minutes of patience vs the 5 of the
/// baking: under 4) sits a minute, 60 ms, above its claim.
const MINUTE: Duration = Duration::from_millis(60);

/// When the soufflé is due, in story minutes.
fn souffle_due() -> f64 {
    claim("racing.souffle.due", 12.0)
}

/// How long the guest's whole story would take.
fn whole_story() -> f64 {
    claim("racing.story.minutes", 20.0)
}

#[test]
fn the_timer_wins_at_minute_12_and_the_losing_story_is_dropped_unfinished() {
    for runtime in Runtime::ALL {
        let race = story_against_timer(runtime, MINUTE);
        assert_eq!(race.winner, "the soufflé timer", "{runtime}");
        // The race ends when the timer fires: not before it, and long before the story's end.
        let what = format!("{runtime}: the race ended");
        common::assert_claim(&what, race.ended_at, souffle_due(), whole_story(), MINUTE);
        let halfway = (souffle_due() + whole_story()) / 2.0;
        let said = claim("racing.story.halfway", halfway);
        assert!(race.ended_at < said, "{runtime}: {race:?}");
        // The loser's guard was dropped, so its Drop ran, and the story never reached the
        // line after its last sentence.
        assert!(race.cut_off, "{runtime}: the story's Drop did not run");
        assert!(
            race.sentences < claim("racing.story.sentences", 4.0) as u32,
            "{runtime}: the story was told to its end: {race:?}"
        );
    }
}

/// A pure-sleep claim, so tokio's paused clock gives the exact answer: the guest gets out the
/// sentences of minutes 5 and 10 before the timer of minute 12 wins.
#[test]
fn on_a_paused_clock_the_guest_gets_out_exactly_two_sentences() {
    let (said, cut_off) = (std::cell::Cell::new(0), std::cell::Cell::new(false));
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .unwrap();
    let (winner, took) = runtime.block_on(async {
        let start = tokio::time::Instant::now();
        let winner = example::souffle_race_tokio(MINUTE, &said, &cut_off).await;
        (winner, start.elapsed())
    });
    assert_eq!(winner, "the soufflé timer");
    assert_eq!(took, MINUTE.mul_f64(souffle_due()));
    assert_eq!(said.get(), claim("racing.story.said", 2.0) as u32);
    assert!(cut_off.get());
}

/// The slips the WaitBot types in the chapter's scene.
fn ordered() -> Vec<String> {
    ["soup", "souffle", "cake"].map(String::from).to_vec()
}

#[test]
fn read_line_loses_half_a_slip_when_the_bell_wins_and_lines_loses_nothing() {
    for runtime in Runtime::ALL {
        let read_line = read_slips(runtime, ring_mid_slip(), Read::ReadLine);
        // "souf" was inside the dropped read_line future: only "fle" is left of it.
        assert_eq!(read_line, ["soup", "fle", "cake"], "{runtime}: read_line");
        let lines = read_slips(runtime, ring_mid_slip(), Read::Lines);
        assert_eq!(lines, ordered(), "{runtime}: lines()");
    }
}

#[test]
fn lines_never_loses_a_slip_whatever_the_pieces_and_rings() {
    let _cores = common::the_cores();
    let runs = claim("racing.safe.runs", 200.0) as u64;
    let count = claim("racing.safe.slips", 12.0) as usize;
    let slips: Vec<String> = (1..=count).map(|n| format!("table {n}: souffle")).collect();
    let least = claim("racing.safe.piece.least", 1.0) as usize;
    let most = claim("racing.safe.piece.most", 8.0) as usize;
    for runtime in Runtime::ALL {
        let mut rings_mid_slip = 0;
        for seed in 0..runs {
            let mut rng = fastrand::Rng::with_seed(seed);
            let script = random_script(&slips, least..=most, &mut rng);
            rings_mid_slip += mid_slip_rings(&script);
            let read = read_slips(runtime, script, Read::Lines);
            assert_eq!(read, slips, "{runtime}, seed {seed}");
        }
        // The scripts did put rings in the middle of slips, many times.
        assert!(
            rings_mid_slip > runs,
            "{runtime}: {rings_mid_slip} rings mid-slip"
        );
    }
}

/// How many rings in `script` fall in the middle of a slip.
fn mid_slip_rings(script: &[example::Step]) -> u64 {
    let mut typed = String::new();
    let mut count = 0;
    for step in script {
        match step {
            example::Step::Type(text) => typed.push_str(text),
            example::Step::Ring => count += u64::from(!typed.ends_with('\n')),
        }
    }
    count
}

/// How long the WaitBot waits, and how long the soufflé bakes.
fn patience() -> f64 {
    claim("racing.patience.minutes", 3.0)
}

fn baking() -> f64 {
    claim("racing.baking.minutes", 5.0)
}

#[test]
fn a_timeout_on_the_baking_loses_the_souffle_and_one_on_the_wait_loses_nothing() {
    for runtime in Runtime::ALL {
        let work = example::wait_for_souffle(runtime, MINUTE, Patience::WithTheWork);
        let gave_up = work.gave_up_at.expect("the WaitBot gave up");
        let what = format!("{runtime}: timeout on the baking, gave up");
        common::assert_claim(&what, gave_up, patience(), baking(), MINUTE);
        assert_eq!(work.served_at, None, "{runtime}: a soufflé came after all");
        assert!(
            work.oven_off_early,
            "{runtime}: the baking's Drop did not run"
        );

        let wait = example::wait_for_souffle(runtime, MINUTE, Patience::WithTheWait);
        let gave_up = wait.gave_up_at.expect("the WaitBot gave up waiting");
        let what = format!("{runtime}: timeout on the wait, gave up");
        common::assert_claim(&what, gave_up, patience(), baking(), MINUTE);
        let served = wait.served_at.expect("the soufflé came");
        // Baked from minute 0, not from when the WaitBot came back: 5, not 3 + 5.
        let what = format!("{runtime}: timeout on the wait, served");
        let restarted = claim("racing.baking.restarted", patience() + baking());
        common::assert_claim(&what, served, baking(), restarted, MINUTE);
        assert!(!wait.oven_off_early, "{runtime}: the oven went off");
    }
}

#[test]
fn the_example_prints_one_json_object_per_runtime() {
    let rows = common::json_lines(
        "racing",
        &["--runtime", "all", "--json", "--minute-ms", "20"],
    );
    let names: Vec<&str> = rows
        .iter()
        .map(|r| r["runtime"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["tokio", "async-std", "smol"]);
    for row in &rows {
        assert_eq!(row["race_winner"], "the soufflé timer", "{row}");
        assert_eq!(row["race_cut_off"], true, "{row}");
        assert_eq!(
            row["read_line_slips"],
            serde_json::json!(["soup", "fle", "cake"])
        );
        assert_eq!(row["lines_slips"], serde_json::json!(ordered()));
        assert_eq!(
            row["timeout_with_the_work"]["served_at"],
            serde_json::Value::Null
        );
        assert!(row["timeout_with_the_wait"]["served_at"].as_f64().unwrap() >= baking());
    }
}
