//! Every number the chapter "Lunch" gives, checked on tokio, async-std and smol.
//!
//! The lunches are the chapter's own listings (`examples/lunch/plain.rs`, `on_tokio.rs`,
//! `on_async_std.rs`, `on_smol.rs`), run by the example exactly as `cargo run --example lunch`
//! runs them: in a fresh process each, with the time of every line they print taken as it
//! arrives. The tests read that timeline as JSON.

use crate::common;

use std::time::Duration;

use common::{LUNCH_ORDER, assert_claim, assert_no_sooner, claim};
use serde_json::Value;

/// A story minute in the listings (their `const MINUTE`): 100 ms.
const MINUTE: Duration = Duration::from_millis(100);

const RUNTIMES: [&str; 3] = ["tokio", "async-std", "smol"];

/// The chapter's totals, in story minutes, as the page states them.
fn all_at_once() -> f64 {
    claim("lunch.all-at-once", 10.0)
}
fn one_after_another() -> f64 {
    claim("lunch.one-after-another", 15.0)
}
fn avocado_first() -> f64 {
    claim("lunch.avocado-first", 12.0)
}

const ONE_AFTER_ANOTHER: [(&str, &str); 6] = [
    ("pasta", "start"),
    ("pasta", "done"),
    ("meatloaf", "start"),
    ("meatloaf", "done"),
    ("avocado", "start"),
    ("avocado", "done"),
];

const AVOCADO_FIRST: [(&str, &str); 6] = [
    ("avocado", "start"),
    ("avocado", "done"),
    ("pasta", "start"),
    ("meatloaf", "start"),
    ("meatloaf", "done"),
    ("pasta", "done"),
];

/// One run of a listing: its events (the dishes' lines, then the total), as the example saw
/// them.
struct Run {
    runtime: String,
    events: Vec<Value>,
}

impl Run {
    /// `(actor, event)` of each dish's line, without the closing total.
    fn order(&self) -> Vec<(&str, &str)> {
        let dishes = &self.events[..self.events.len() - 1];
        dishes
            .iter()
            .map(|e| (e["actor"].as_str().unwrap(), e["event"].as_str().unwrap()))
            .collect()
    }

    /// The story minute of the `index`th event.
    fn t(&self, index: usize) -> f64 {
        self.events[index]["t"].as_f64().unwrap()
    }

    /// The lunch's total, in story minutes, as the example timed it.
    fn total(&self) -> f64 {
        let last = self.events.last().unwrap();
        assert_eq!(
            (&last["actor"], &last["event"]),
            (&"lunch".into(), &"total".into())
        );
        last["t"].as_f64().unwrap()
    }

    /// The whole minutes the listing itself printed: "Lunch is ready after 10 minutes."
    fn printed_minutes(&self) -> f64 {
        let say = self.events.last().unwrap()["say"].as_str().unwrap();
        say.strip_prefix("Lunch is ready after ")
            .and_then(|rest| rest.strip_suffix(" minutes."))
            .and_then(|minutes| minutes.parse().ok())
            .unwrap_or_else(|| panic!("{}: no total in: {say}", self.runtime))
    }
}

/// Cooks `lunch` with the example on `runtime` (`all` for the three, each in its own process
/// at the same time, which a busy machine may only slow down; `None` for the plain listing)
/// and returns one run per runtime, in the order tokio, async-std, smol.
fn cook(runtime: Option<&str>, lunch: &str) -> Vec<Run> {
    if runtime == Some("all") {
        return std::thread::scope(|scope| {
            let runs: Vec<_> = RUNTIMES
                .map(|runtime| scope.spawn(move || cook(Some(runtime), lunch)))
                .into_iter()
                .collect();
            runs.into_iter()
                .flat_map(|run| run.join().unwrap())
                .collect()
        });
    }
    let mut args = vec!["--lunch", lunch, "--json"];
    if let Some(runtime) = runtime {
        args.extend(["--runtime", runtime]);
    }
    let objects = common::json_lines("lunch", &args);
    assert_eq!(objects.len(), 7, "six dish lines and a total: {objects:?}");
    vec![Run {
        runtime: objects[0]["runtime"]
            .as_str()
            .unwrap_or("plain")
            .to_string(),
        events: objects,
    }]
}

#[test]
fn all_at_once_lunch_takes_10_minutes_in_asyncio_order_on_every_runtime() {
    let runs = cook(Some("all"), "all-at-once");
    let runtimes: Vec<&str> = runs.iter().map(|run| run.runtime.as_str()).collect();
    assert_eq!(runtimes, RUNTIMES);
    for run in &runs {
        let runtime = &run.runtime;
        assert_eq!(run.order(), LUNCH_ORDER, "{runtime}");
        let what = |thing: &str| format!("{runtime}: {thing}");
        let (claim_total, wrong) = (all_at_once(), one_after_another());
        assert_claim(&what("the lunch"), run.total(), claim_total, wrong, MINUTE);
        let printed = run.printed_minutes();
        assert_claim(&what("its own clock"), printed, claim_total, wrong, MINUTE);
        // The avocado is peeled at once, the meatloaf hot at 3: neither waits for the other.
        assert_claim(&what("the avocado"), run.t(3), 2.0, 3.0, MINUTE);
        let meatloaf = claim("lunch.all-at-once.meatloaf-hot", 3.0);
        assert_claim(&what("the meatloaf"), run.t(4), meatloaf, 5.0, MINUTE);
    }
}

#[test]
fn one_after_another_lunch_takes_15_minutes_async_or_not() {
    let mut runs = cook(None, "plain");
    runs.extend(cook(Some("all"), "one-after-another"));
    let runtimes: Vec<&str> = runs.iter().map(|run| run.runtime.as_str()).collect();
    assert_eq!(runtimes, ["plain", "tokio", "async-std", "smol"]);
    for run in &runs {
        let runtime = &run.runtime;
        assert_eq!(run.order(), ONE_AFTER_ANOTHER, "{runtime}");
        let what = format!("{runtime}: the lunch");
        assert_no_sooner(&what, run.total(), one_after_another(), MINUTE);
        assert_no_sooner(&what, run.printed_minutes(), one_after_another(), MINUTE);
        // Each dish starts when the one before is done: at 10, then at 13.
        assert_no_sooner(
            &format!("{runtime}: the meatloaf's start"),
            run.t(2),
            10.0,
            MINUTE,
        );
        assert_no_sooner(
            &format!("{runtime}: the avocado's start"),
            run.t(4),
            13.0,
            MINUTE,
        );
    }
}

#[test]
fn a_blocking_avocado_first_holds_everything_back_two_minutes() {
    for run in cook(Some("all"), "avocado-first") {
        let runtime = &run.runtime;
        assert_eq!(run.order(), AVOCADO_FIRST, "{runtime}");
        let what = |thing: &str| format!("{runtime}: {thing}");
        // Nothing else starts until the knife is down: 2 minutes, not 0.
        let late = claim("lunch.avocado-first.pasta-start", 2.0);
        assert_claim(&what("the pasta's start"), run.t(2), late, 4.0, MINUTE);
        assert_claim(&what("the meatloaf"), run.t(4), 5.0, 7.0, MINUTE);
        // Held back 2 minutes (12), not 10, and not cooked one dish after another (15).
        let (claim_total, wrong) = (avocado_first(), one_after_another());
        assert_claim(&what("the lunch"), run.total(), claim_total, wrong, MINUTE);
        let printed = run.printed_minutes();
        assert_claim(&what("its own clock"), printed, claim_total, wrong, MINUTE);
    }
}

/// The page shows what the listings print; those lines are what they do print, in that order.
#[test]
fn the_output_the_page_shows_is_what_the_listings_print() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lunch.md")).unwrap();
    // The text blocks that start with a dish's line are a listing's output, in page order:
    // the plain lunch's, then the all-at-once lunch's.
    let shown: Vec<Vec<&str>> = page
        .split("```text\n")
        .skip(1)
        .filter_map(|rest| rest.split("```").next())
        .filter(|block| block.starts_with("The pasta goes into"))
        .map(|block| block.lines().collect())
        .collect();
    assert_eq!(shown.len(), 2, "the plain and the all-at-once outputs");
    let plain = &cook(None, "plain")[0];
    let together = &cook(Some("smol"), "all-at-once")[0];
    for (lines, run, minutes) in [(&shown[0], plain, 15.0), (&shown[1], together, 10.0)] {
        let printed: Vec<&str> = run
            .events
            .iter()
            .map(|e| e["say"].as_str().unwrap())
            .collect();
        assert_eq!(lines[..6], printed[..6], "{}", run.runtime);
        assert_eq!(lines[6], format!("Lunch is ready after {minutes} minutes."));
    }
}

/// The avocado-first run the page prints (a timeline from `cargo run --example lunch`) has the
/// events of a real run, each at the minute that run reached it.
#[test]
fn the_avocado_first_timeline_on_the_page_matches_a_run() {
    let page =
        std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/lunch.md")).unwrap();
    let command = "$ cargo run --example lunch -- --lunch avocado-first\n";
    let block = page
        .split(command)
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("the page shows the avocado-first run");
    let mut lines = block.lines();
    assert_eq!(
        lines.next(),
        Some("Lunch on tokio: all at once, the avocado first; 1 story minute = 100 ms")
    );
    let run = &cook(Some("tokio"), "avocado-first")[0];
    let shown: Vec<Vec<&str>> = lines
        .map(|line| line.split_whitespace().collect())
        .collect();
    assert_eq!(shown.len(), run.events.len(), "{block}");
    for (words, event) in shown.iter().zip(&run.events) {
        // `  2.0 min  pasta     start  The pasta goes into the boiling water.`
        let minute: f64 = words[0].parse().unwrap();
        assert_eq!(
            (words[2], words[3]),
            (
                event["actor"].as_str().unwrap(),
                event["event"].as_str().unwrap()
            )
        );
        assert_eq!(words[4..].join(" "), event["say"].as_str().unwrap());
        let what = format!("the page's {} {}", words[2], words[3]);
        // Whole story minutes on the page; the run reaches each no sooner, and well before the
        // next dish could.
        assert_eq!(minute.fract(), 0.0, "{what}");
        assert_claim(
            &what,
            event["t"].as_f64().unwrap(),
            minute,
            minute + 2.0,
            MINUTE,
        );
    }
}

/// The bounds the page quotes are the ones the tests use: halfway to the nearest wrong answer.
#[test]
fn the_bounds_the_page_quotes_are_halfway_to_the_wrong_answer() {
    let halfway = |claim: f64, wrong: f64| (claim + wrong) / 2.0;
    let under = halfway(all_at_once(), one_after_another());
    assert_eq!(claim("lunch.all-at-once.under", 12.5), under);
    let under = halfway(avocado_first(), one_after_another());
    assert_eq!(claim("lunch.avocado-first.under", 13.5), under);
}

#[test]
fn readable_output_is_a_header_a_timeline_and_a_total() {
    let output = common::run_example(
        "lunch",
        &["--runtime", "smol", "--lunch", "one-after-another"],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    assert_eq!(
        lines[0],
        "Lunch on smol: one dish after another; 1 story minute = 100 ms"
    );
    for (line, (dish, event)) in lines[1..7].iter().zip(ONE_AFTER_ANOTHER) {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert_eq!(
            (words[1], words[2], words[3]),
            ("min", dish, event),
            "{stdout}"
        );
    }
    assert!(
        lines[7].contains("lunch") && lines[7].contains("total"),
        "{stdout}"
    );
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: [(&[&str], &str); 4] = [
        (
            &["--runtime", "all", "--svg", "lunch.svg"],
            "pick one runtime",
        ),
        (
            &["--lunch", "plain", "--runtime", "smol"],
            "runs on no runtime",
        ),
        (
            &["--lunch", "brunch"],
            "invalid value 'brunch' for '--lunch",
        ),
        (&["all-at-once"], "unexpected argument 'all-at-once'"),
    ];
    for (args, expected) in cases {
        common::assert_usage_error("lunch", args, expected);
    }
}

#[test]
fn svg_draws_a_bar_per_dish_from_start_to_done() {
    let path = std::env::temp_dir().join(format!("loopbot-lunch-{}.svg", std::process::id()));
    let output = common::run_example(
        "lunch",
        &["--runtime", "async-std", "--svg", path.to_str().unwrap()],
    );
    assert!(output.status.success(), "{output:?}");
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let bars = common::svg_bars(&svg);
    assert_eq!(
        bars.iter().map(|b| b.0.as_str()).collect::<Vec<_>>(),
        ["pasta", "meatloaf", "avocado"]
    );
    assert_claim("the pasta bar", bars[0].2, 10.0, 15.0, MINUTE);
    for (dish, start, _) in &bars {
        // Every dish starts at once, not after the avocado's 2 minutes.
        assert_claim(&format!("the {dish} bar's start"), *start, 0.0, 2.0, MINUTE);
    }
}

/// The committed pictures in the chapter were drawn by the example, and show what it claims.
#[test]
fn the_chapters_pictures_show_15_and_10_minutes() {
    let root = env!("CARGO_MANIFEST_DIR");
    let sequential = common::svg_bars(
        &std::fs::read_to_string(format!("{root}/src/img/lunch-sequential.svg")).unwrap(),
    );
    let concurrent = common::svg_bars(
        &std::fs::read_to_string(format!("{root}/src/img/lunch-concurrent.svg")).unwrap(),
    );
    let names = |bars: &[(String, f64, f64)]| bars.iter().map(|b| b.0.clone()).collect::<Vec<_>>();
    assert_eq!(names(&sequential), ["pasta", "meatloaf", "avocado"]);
    assert_eq!(names(&concurrent), ["pasta", "meatloaf", "avocado"]);
    // One after another: each dish starts when the one before is done, the last at 15.
    assert!(sequential[1].1 >= sequential[0].2 && sequential[2].1 >= sequential[1].2);
    // The pictures were drawn at the example's default 100 ms a minute.
    let drawn = Duration::from_millis(100);
    assert_no_sooner("the sequential picture", sequential[2].2, 15.0, drawn);
    // All at once: everything starts at 0, the pasta ends last, at 10.
    for (dish, start, _) in &concurrent {
        assert_claim(&format!("the {dish} bar's start"), *start, 0.0, 2.0, drawn);
    }
    assert_claim("the concurrent picture", concurrent[0].2, 10.0, 15.0, drawn);
}

/// The chapter's last word on the blocking avocado: with more than one cook (tokio's
/// multi-threaded runtime, the dishes spawned as tasks), the avocado first holds nobody back.
#[test]
fn on_a_multi_threaded_runtime_a_blocking_avocado_first_costs_nothing() {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_time()
        .build()
        .unwrap();
    let (pasta_start, minutes) = runtime.block_on(async {
        let start = std::time::Instant::now();
        let avocado = tokio::spawn(async { std::thread::sleep(2 * MINUTE) });
        let pasta = tokio::spawn(async move {
            let pasta_start = start.elapsed();
            tokio::time::sleep(10 * MINUTE).await;
            pasta_start
        });
        let meatloaf = tokio::spawn(tokio::time::sleep(3 * MINUTE));
        let (avocado, pasta, meatloaf) = tokio::join!(avocado, pasta, meatloaf);
        avocado.and(meatloaf).unwrap();
        let in_minutes = |real: std::time::Duration| real.as_secs_f64() / MINUTE.as_secs_f64();
        (in_minutes(pasta.unwrap()), in_minutes(start.elapsed()))
    });
    // On one thread the pasta waits 2 minutes for the knife; here it goes in at once, and
    // lunch takes 10 minutes, not the one-threaded 12.
    assert_claim("the pasta's start", pasta_start, 0.0, 2.0, MINUTE);
    assert_claim("the multi-threaded lunch", minutes, 10.0, 12.0, MINUTE);
}
