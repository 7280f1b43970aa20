//! Every number the chapter "Lunch" gives, checked on tokio, async-std and smol.
//!
//! The lunch is the example itself (`examples/lunch.rs`), included here as a module, so the
//! tests run exactly the code a reader runs with `cargo run --example lunch`.

mod common;
#[allow(dead_code)]
#[path = "../examples/lunch.rs"]
mod lunch;

use std::time::Duration;

use loopbot::Runtime;
use lunch::{Menu, Peel, cook, cook_lunch};

/// A story minute in the tests: long enough that every upper bound below sits at least
/// `common::LEAST_SLACK` above its claim (the tightest, 10 vs 12 minutes, needs 50 ms).
const MINUTE: Duration = Duration::from_millis(50);
/// The story minute the example is run with from the command line.
const MINUTE_MS: &str = "50";

use common::LUNCH_ORDER as CONCURRENT_ORDER;

fn order_and_total(timeline: &loopbot::Timeline) -> (Vec<(String, String)>, f64) {
    let mut order = timeline.order();
    let (actor, event) = order.pop().expect("a lunch has events");
    assert_eq!((actor.as_str(), event.as_str()), ("lunch", "total"));
    let total = timeline.events().last().unwrap().t;
    (order, total)
}

fn owned(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(actor, event)| (actor.to_string(), event.to_string()))
        .collect()
}

use common::{assert_claim, assert_no_sooner};

#[test]
fn concurrent_lunch_takes_10_minutes_in_asyncio_order() {
    for runtime in Runtime::ALL {
        let (order, total) = order_and_total(&cook_lunch(runtime, MINUTE, Menu::STORY));
        assert_eq!(order, owned(&CONCURRENT_ORDER), "{runtime}");
        assert_claim(
            &format!("{runtime}: the concurrent lunch"),
            total,
            10.0,
            15.0,
            MINUTE,
        );
    }
}

#[test]
fn sequential_lunch_takes_15_minutes_one_dish_after_another() {
    let menu = Menu {
        sequential: true,
        ..Menu::STORY
    };
    let expected = [
        ("pasta", "start"),
        ("pasta", "done"),
        ("meatloaf", "start"),
        ("meatloaf", "done"),
        ("avocado", "start"),
        ("avocado", "done"),
    ];
    for runtime in Runtime::ALL {
        let (order, total) = order_and_total(&cook_lunch(runtime, MINUTE, menu));
        assert_eq!(order, owned(&expected), "{runtime}");
        assert_no_sooner(
            &format!("{runtime}: the sequential lunch"),
            total,
            15.0,
            MINUTE,
        );
    }
}

#[test]
fn an_awaited_avocado_keeps_the_same_order_and_total() {
    let menu = Menu {
        avocado: Peel::Awaited,
        ..Menu::STORY
    };
    for runtime in Runtime::ALL {
        let (order, total) = order_and_total(&cook_lunch(runtime, MINUTE, menu));
        assert_eq!(order, owned(&CONCURRENT_ORDER), "{runtime}");
        assert_claim(
            &format!("{runtime}: the awaited avocado"),
            total,
            10.0,
            15.0,
            MINUTE,
        );
    }
}

#[test]
fn a_blocking_avocado_first_holds_everything_back_two_minutes() {
    let menu = Menu {
        avocado_first: true,
        ..Menu::STORY
    };
    let expected = [
        ("avocado", "start"),
        ("avocado", "done"),
        ("pasta", "start"),
        ("meatloaf", "start"),
        ("meatloaf", "done"),
        ("pasta", "done"),
    ];
    for runtime in Runtime::ALL {
        let timeline = cook_lunch(runtime, MINUTE, menu);
        let pasta_start = timeline.events()[2].t;
        let meatloaf_done = timeline.events()[4].t;
        let (order, total) = order_and_total(&timeline);
        assert_eq!(order, owned(&expected), "{runtime}");
        let who = |what: &str| format!("{runtime}: {what}");
        assert_no_sooner(&who("the pasta's start"), pasta_start, 2.0, MINUTE);
        assert_no_sooner(&who("the meatloaf"), meatloaf_done, 5.0, MINUTE);
        // Held back 2 minutes, not cooked one dish after another (15).
        assert_claim(&who("the avocado-first lunch"), total, 12.0, 15.0, MINUTE);
    }
}

#[test]
fn an_awaited_avocado_first_costs_nothing() {
    let menu = Menu {
        avocado_first: true,
        avocado: Peel::Awaited,
        ..Menu::STORY
    };
    for runtime in Runtime::ALL {
        let (_, total) = order_and_total(&cook_lunch(runtime, MINUTE, menu));
        // Awaited, the avocado holds nothing back: 10, not the blocking avocado's 12.
        let what = format!("{runtime}: the awaited avocado-first lunch");
        assert_claim(&what, total, 10.0, 12.0, MINUTE);
    }
}

/// With only timers in the story, tokio's paused clock jumps from one deadline to the next:
/// the answers are exact, whatever the machine is doing.
#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn on_tokios_paused_clock_the_pure_sleep_lunches_take_exactly_10_and_15() {
    let concurrent = Menu {
        avocado: Peel::Awaited,
        ..Menu::STORY
    };
    let sequential = Menu {
        sequential: true,
        ..concurrent
    };
    let local = tokio::task::LocalSet::new();
    let together = local
        .run_until(cook(Runtime::Tokio, MINUTE, concurrent))
        .await;
    let (order, total) = order_and_total(&together);
    assert_eq!(order, owned(&CONCURRENT_ORDER));
    assert_eq!(total, 10.0);
    let one_by_one = local
        .run_until(cook(Runtime::Tokio, MINUTE, sequential))
        .await;
    assert_eq!(order_and_total(&one_by_one).1, 15.0);
}

#[test]
fn json_output_has_one_object_per_event_then_the_total() {
    let objects = common::json_lines(
        "lunch",
        &["--runtime", "all", "--json", "--minute-ms", MINUTE_MS],
    );
    assert_eq!(objects.len(), 3 * 7, "{objects:?}");
    for (runtime, lines) in Runtime::ALL.iter().zip(objects.chunks(7)) {
        for (object, (actor, event)) in lines.iter().zip(CONCURRENT_ORDER) {
            assert_eq!(object["actor"], actor);
            assert_eq!(object["event"], event);
            assert_eq!(object["runtime"], runtime.name());
            assert!(object["t"].is_f64());
        }
        let total = &lines[6];
        assert_eq!(total["event"], "total");
        let what = format!("{runtime}: the JSON total");
        assert_claim(&what, total["t"].as_f64().unwrap(), 10.0, 15.0, MINUTE);
    }
}

#[test]
fn readable_output_is_a_timeline_and_a_total() {
    let output = common::run_example(
        "lunch",
        &[
            "--runtime",
            "smol",
            "--sequential",
            "--minute-ms",
            MINUTE_MS,
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    let lines: Vec<&str> = stdout.lines().collect();
    assert_eq!(lines.len(), 8, "{stdout}");
    assert!(
        lines[0].starts_with("Lunch on smol: one dish after another"),
        "{stdout}"
    );
    assert!(
        lines[1].contains("pasta") && lines[1].contains("start"),
        "{stdout}"
    );
    let total = common::printed_lunch_total(&stdout);
    assert_no_sooner("the printed total", total, 15.0, MINUTE);
}

#[test]
fn bad_input_gets_one_line_and_exit_code_2() {
    let cases: [(&[&str], &str); 1] = [(
        &["--runtime", "all", "--svg", "lunch.svg"],
        "pick one runtime",
    )];
    for (args, expected) in cases {
        common::assert_usage_error("lunch", args, expected);
    }
}

#[test]
fn svg_draws_a_bar_per_dish_from_start_to_done() {
    let path = std::env::temp_dir().join(format!("loopbot-lunch-{}.svg", std::process::id()));
    let output = common::run_example(
        "lunch",
        &[
            "--runtime",
            "async-std",
            "--minute-ms",
            MINUTE_MS,
            "--svg",
            path.to_str().unwrap(),
        ],
    );
    assert!(output.status.success(), "{output:?}");
    let svg = std::fs::read_to_string(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let bars = bars(&svg);
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
    let sequential =
        bars(&std::fs::read_to_string(format!("{root}/src/img/lunch-sequential.svg")).unwrap());
    let concurrent =
        bars(&std::fs::read_to_string(format!("{root}/src/img/lunch-concurrent.svg")).unwrap());
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

/// `(actor, start, end)` of every bar in a picture drawn by `Timeline::to_svg`.
fn bars(svg: &str) -> Vec<(String, f64, f64)> {
    let attribute = |tag: &str, name: &str| -> String {
        let from = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
        tag[from..].split('"').next().unwrap().to_string()
    };
    svg.split("<rect data-actor=")
        .skip(1)
        .map(|rest| {
            let tag = format!("data-actor={}", rest.split('>').next().unwrap());
            (
                attribute(&tag, "data-actor"),
                attribute(&tag, "data-start").parse().unwrap(),
                attribute(&tag, "data-end").parse().unwrap(),
            )
        })
        .collect()
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
