//! Every number the chapter "The Restaurant of ThreadBots" gives, checked on ThreadBots and on a
//! LoopBot of tokio, async-std and smol.
//!
//! The restaurant is the example itself (`examples/restaurant/main.rs`), included as a module, so
//! the tests run exactly the code a reader runs with `cargo run --example restaurant`.

mod common;
#[allow(dead_code)]
#[path = "../examples/restaurant/main.rs"]
mod restaurant;

use std::time::Duration;

use loopbot::Runtime;
use restaurant::{CHAT_STARTS, Evening, SOUFFLE_DUE, SOUFFLE_TOLERANCE, Service, Staff, serve};

/// A story minute for whole evenings: long enough that timer jitter is small beside it.
const MINUTE: Duration = Duration::from_millis(30);
/// A story minute for the claims whose bounds are 1 minute wide: at least
/// `common::LEAST_SLACK`, so that a busy machine cannot decide them.
const LONG_MINUTE: Duration = Duration::from_millis(50);

/// A busy Friday.
fn friday(seed: u64) -> Evening {
    Evening {
        diners: 20,
        seed,
        chatty_guest: 0.0,
        chat_off_loop: false,
        minute: MINUTE,
    }
}

fn loopbot(runtime: Runtime, evening: Evening) -> Service {
    serve(Staff::Loopbot, runtime, evening)
}

fn threadbots(evening: Evening) -> Service {
    // The runtime is not used by ThreadBots: each robot has a thread of its own.
    serve(Staff::Threadbots, Runtime::Tokio, evening)
}

fn assert_everyone_served(service: &Service, who: &str) {
    assert_eq!(service.diners.len(), 20, "{who}");
    for (number, diner) in service.diners.iter().enumerate() {
        assert!(
            diner.served.is_some() && diner.left.is_some(),
            "{who}: diner {} not served: {diner:?}",
            number + 1
        );
    }
}

#[test]
fn threadbots_collide_within_eight_evenings_and_each_stays_idle_95_percent() {
    let (mut duplicates, mut seated_while_wiping, mut evenings) = (0, 0, 0);
    for seed in 1..=8 {
        let service = threadbots(friday(seed));
        assert_everyone_served(&service, "ThreadBots");
        for robot in &service.robots {
            assert!(
                robot.idle >= 0.95,
                "seed {seed}: {} idle only {:.1}%",
                robot.robot,
                robot.idle * 100.0
            );
        }
        duplicates += service.collisions.duplicate_orders;
        seated_while_wiping += service.collisions.seated_while_cleaning;
        evenings += 1;
        if duplicates > 0 && seated_while_wiping > 0 {
            break;
        }
    }
    assert!(duplicates > 0, "no duplicate order in {evenings} evenings");
    assert!(
        seated_while_wiping > 0,
        "no table seated while being wiped in {evenings} evenings"
    );
}

fn loopbot_never_collides_and_stays_idle_90_percent(runtime: Runtime) {
    // Three evenings at once, each LoopBot on a thread of its own: neither claim can be made
    // false by a busy machine (a LoopBot collides with nobody, and its CPU clock only counts
    // its own work).
    let services: Vec<Service> = std::thread::scope(|scope| {
        let evenings: Vec<_> = (1..=3)
            .map(|seed| scope.spawn(move || loopbot(runtime, friday(seed))))
            .collect();
        evenings.into_iter().map(|e| e.join().unwrap()).collect()
    });
    for (seed, service) in (1..=3).zip(services) {
        assert_everyone_served(&service, runtime.name());
        assert_eq!(
            service.collisions,
            Default::default(),
            "{runtime}, seed {seed}"
        );
        let whole = service
            .loopbot
            .as_ref()
            .expect("a LoopBot reports its whole thread");
        assert!(
            whole.idle >= 0.90,
            "{runtime}, seed {seed}: the LoopBot is idle only {:.1}%",
            whole.idle * 100.0
        );
    }
}

#[test]
fn loopbot_on_tokio_never_collides_and_stays_idle_90_percent() {
    loopbot_never_collides_and_stays_idle_90_percent(Runtime::Tokio);
}

#[test]
fn loopbot_on_async_std_never_collides_and_stays_idle_90_percent() {
    loopbot_never_collides_and_stays_idle_90_percent(Runtime::AsyncStd);
}

#[test]
fn loopbot_on_smol_never_collides_and_stays_idle_90_percent() {
    loopbot_never_collides_and_stays_idle_90_percent(Runtime::Smol);
}

/// The minutes from the door to dinner, on average over an evening's diners.
fn average_wait_for_dinner(service: &Service) -> f64 {
    let waits: Vec<f64> = service
        .diners
        .iter()
        .map(|diner| diner.served.expect("every diner is served") - diner.arrived)
        .collect();
    waits.iter().sum::<f64>() / waits.len() as f64
}

/// One LoopBot keeps diners waiting for dinner no longer than seven ThreadBots did: on average,
/// less than a minute more from the door to dinner. An average, because who gets which table
/// is a race among the robots: one robot a moment late can send a single diner to the next
/// free table, a minute or more either way, with either staff. And one-sided, because a
/// LoopBot that serves sooner is no failure.
#[test]
fn on_average_no_diner_waits_a_minute_longer_for_dinner_than_with_the_threadbots() {
    let evening = Evening {
        minute: LONG_MINUTE,
        ..friday(1)
    };
    // Four evenings, each on its own threads, at once: the claim is one-sided, and a busy
    // machine slows both staffs alike.
    let (theirs, ours) = std::thread::scope(|scope| {
        let theirs = scope.spawn(|| average_wait_for_dinner(&threadbots(evening)));
        let ours: Vec<_> = Runtime::ALL
            .map(|runtime| scope.spawn(move || average_wait_for_dinner(&loopbot(runtime, evening))))
            .into_iter()
            .collect();
        let ours: Vec<f64> = ours.into_iter().map(|run| run.join().unwrap()).collect();
        (theirs.join().unwrap(), ours)
    });
    for (runtime, ours) in Runtime::ALL.into_iter().zip(ours) {
        assert!(
            ours < theirs + 1.0,
            "{runtime}: {ours:.2} minutes from the door to dinner on average, the ThreadBots' {theirs:.2}"
        );
    }
}

/// A short evening with the chatty guest: what the soufflé needs is at minutes 10 to 14.
fn chatty(chat_off_loop: bool) -> Evening {
    Evening {
        diners: 4,
        seed: 1,
        chatty_guest: 4.0,
        chat_off_loop,
        minute: LONG_MINUTE,
    }
}

#[test]
fn a_chatty_guest_on_the_loop_flops_the_souffle_by_the_overlap() {
    // The guest talks from minute 10 to 14; the soufflé is due at 12: 2 minutes of overlap.
    let overlap = CHAT_STARTS + 4.0 - SOUFFLE_DUE;
    assert_eq!(overlap, 2.0);
    for runtime in Runtime::ALL {
        let souffle = loopbot(runtime, chatty(false))
            .souffle
            .expect("the soufflé comes out");
        // Late by the overlap, not by the whole 4-minute talk.
        let what = format!("{runtime}: the soufflé's lateness");
        common::assert_claim(&what, souffle.late, overlap, 4.0, LONG_MINUTE);
        assert!(souffle.flopped, "{runtime}");
    }
}

#[test]
fn with_threadbots_or_the_talk_off_the_loop_the_souffle_is_on_time() {
    let on_time = |who: &str, service: Service| {
        let souffle = service.souffle.expect("the soufflé comes out");
        // On time, not late by the 2-minute overlap; the tolerance sits halfway.
        assert_eq!(SOUFFLE_TOLERANCE, 1.0);
        let what = format!("{who}: the soufflé's lateness");
        common::assert_claim(&what, souffle.late, 0.0, 2.0, LONG_MINUTE);
        assert!(!souffle.flopped, "{who}");
    };
    on_time("ThreadBots", threadbots(chatty(false)));
    for runtime in Runtime::ALL {
        on_time(runtime.name(), loopbot(runtime, chatty(true)));
    }
}

/// The staff bill, from `/proc/self/status`, in a fresh process per staff so that threads a
/// runtime started earlier do not hide in the baseline.
fn bill(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["--json", "--diners", "3", "--minute-ms", "20"];
    all.extend_from_slice(args);
    let output = common::run_example("restaurant", &all);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let line = stdout
        .lines()
        .find(|line| line.contains(r#""figure":"staff_bill""#))
        .unwrap_or_else(|| panic!("no staff_bill figure in:\n{stdout}"));
    serde_json::from_str::<serde_json::Value>(line).unwrap()["bill"].clone()
}

#[test]
fn one_loopbot_costs_fewer_threads_and_less_memory_than_seven_threadbots() {
    if !std::path::Path::new("/proc/self/status").exists() {
        eprintln!("skipping the staff bill: no /proc on this system");
        return;
    }
    let threadbots = bill(&["--staff", "threadbots"]);
    // A thread per robot, and async-io's, whose timers wake them: 8, as the chapter shows.
    assert_eq!(threadbots["staff_threads"], 8, "{threadbots}");
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as i64;
    for runtime in Runtime::ALL {
        let loopbot = bill(&["--staff", "loopbot", "--runtime", runtime.name()]);
        // What the runtime starts, not the jobs: tokio's current_thread runtime nothing,
        // smol async-io's thread, async-std that and its global executor's (up to one a core).
        let threads = loopbot["staff_threads"].as_i64().unwrap();
        let expected = match runtime {
            Runtime::Tokio => 0..=0,
            Runtime::Smol => 1..=1,
            Runtime::AsyncStd => 2..=1 + cores,
        };
        assert!(expected.contains(&threads), "{runtime}: {loopbot}");
        for figure in ["staff_threads", "address_space_kib"] {
            let (ours, theirs) = (
                loopbot[figure].as_i64().unwrap(),
                threadbots[figure].as_i64().unwrap(),
            );
            assert!(
                ours < theirs,
                "{runtime}: the LoopBot's {figure} is {ours}, the ThreadBots' {theirs}"
            );
        }
    }
}

#[test]
fn json_has_one_object_per_event_and_per_figure() {
    let output = common::run_example(
        "restaurant",
        &[
            "--staff",
            "loopbot",
            "--runtime",
            "smol",
            "--json",
            "--diners",
            "2",
            "--minute-ms",
            "20",
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let objects: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is one JSON object"))
        .collect();
    let figures: Vec<&str> = objects
        .iter()
        .filter_map(|o| o["figure"].as_str())
        .collect();
    // Seven robots come on duty; each of the two diners arrives, is greeted, seated, asked
    // for an order, poured wine, served and billed, once.
    let count = |event: &str| objects.iter().filter(|o| o["event"] == event).count();
    assert_eq!(count("on duty"), 7);
    for event in [
        "arrives", "greets", "seats", "asks", "pours", "serves", "bill",
    ] {
        assert_eq!(count(event), 2, "'{event}' events for two diners");
    }
    for figure in [
        "collisions",
        "souffle",
        "staff_bill",
        "robot",
        "diner",
        "length",
    ] {
        assert!(
            figures.contains(&figure),
            "no {figure} figure in {figures:?}"
        );
    }
    assert_eq!(
        figures.iter().filter(|f| **f == "robot").count(),
        8,
        "seven robots and the LoopBot"
    );
    assert!(objects.iter().all(|o| o["runtime"] == "smol"));
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: [(&[&str], &str); 6] = [
        (
            &["--staff", "humans"],
            "invalid value 'humans' for '--staff",
        ),
        (&["--diners", "0"], "invalid value '0' for '--diners"),
        (&["--diners", "501"], "invalid value '501' for '--diners"),
        (&["--chatty-guest", "-1"], "talks for 0 to 60 story minutes"),
        (&["--chatty-guest", "61"], "talks for 0 to 60 story minutes"),
        (
            &[
                "--staff",
                "loopbot",
                "--runtime",
                "all",
                "--svg",
                "evening.svg",
            ],
            "pick one runtime",
        ),
    ];
    for (args, expected) in cases {
        common::assert_usage_error("restaurant", args, expected);
    }
}

/// The "Metrics" row of the "Choosing a runtime" appendix: tokio reports its own worker's busy
/// time; async-std and smol report none, so the book's meter times each poll on all three.
#[test]
fn only_tokio_reports_its_own_busy_time_and_the_meter_works_everywhere() {
    let short = Evening {
        diners: 3,
        ..friday(1)
    };
    for runtime in Runtime::ALL {
        let service = loopbot(runtime, short);
        let metered = service
            .loopbot
            .as_ref()
            .expect("a LoopBot reports its whole thread")
            .work_minutes;
        assert!(metered > 0.0, "{runtime}: the meter saw no work");
        match (runtime, service.tokio_busy_minutes) {
            // Our polls are a part of what tokio's worker does, and our meter counts only the
            // CPU time in them: it can never see more than tokio's busy time.
            (Runtime::Tokio, Some(busy)) => assert!(metered <= busy, "{metered} > {busy}"),
            (Runtime::Tokio, None) => panic!("tokio reported no metrics"),
            (_, reported) => assert_eq!(reported, None, "{runtime}"),
        }
    }
}
