//! Every claim the chapter "Streams, Channels and Backpressure" makes, checked on tokio,
//! async-std and smol.
//!
//! The scenes are the example itself (`examples/streams/`), included here as a module, so the
//! tests run exactly the code a reader runs with `cargo run --example streams`. The heap is
//! counted only in the example's own binary, so the memory figures are read from its `--json`.

use crate::common;
#[allow(dead_code)]
#[path = "../examples/streams/main.rs"]
mod example;

use std::time::Duration;

use common::claim;
use loopbot::Runtime;

/// A story minute in the tests, where no order of events turns on it: the tightest bound
/// (twelve diners in 4 minutes, vs the 24 of one table: under 14) sits 300 ms above its claim.
const MINUTE: Duration = Duration::from_millis(30);

#[test]
fn the_host_greets_every_arrival_in_order() {
    let diners = claim("streams.arrivals", 6.0);
    for runtime in Runtime::ALL {
        let (greeted, last) = example::arrivals(runtime, MINUTE);
        assert_eq!(
            greeted,
            (1..=diners as u32).collect::<Vec<_>>(),
            "{runtime}"
        );
        // One a minute: the last comes no sooner than minute 6.
        common::assert_no_sooner(
            &format!("{runtime}: the last arrival"),
            last,
            diners,
            MINUTE,
        );
    }
}

#[test]
fn dishes_come_as_they_are_done_all_at_once_in_6_minutes_and_on_two_burners_in_11() {
    let all_at_once = claim("streams.all-at-once.minutes", 6.0);
    let two_burners = claim("streams.two-burners.minutes", 11.0);
    let cooking: f64 = example::ORDERS.iter().map(|(_, m)| *m as f64).sum();
    let one_by_one = claim("streams.one-by-one.minutes", cooking);
    assert_eq!(claim("streams.burners", example::BURNERS as f64), 2.0);
    // The order of service turns on dishes done a minute apart, so a minute here is 100 ms,
    // more than a busy machine's delay; the runtimes cook side by side to keep it short.
    let minute = Duration::from_millis(100);
    let kitchens: Vec<_> = std::thread::scope(|scope| {
        let cooking: Vec<_> = Runtime::ALL
            .map(|runtime| scope.spawn(move || (runtime, example::kitchen(runtime, minute))))
            .into_iter()
            .collect();
        cooking
            .into_iter()
            .map(|kitchen| kitchen.join().unwrap())
            .collect()
    });
    for (runtime, ((at_once, took), (burners, burners_took))) in kitchens {
        let tables = |served: &[(u32, f64, f64)]| served.iter().map(|d| d.0).collect::<Vec<_>>();
        let (order, burners_order) = (tables(&at_once), tables(&burners));
        // Every dish at once: in the order of their cooking times.
        assert_eq!(order, [2, 4, 3, 6, 1, 5], "{runtime}: all at once");
        common::assert_claim(
            &format!("{runtime}: all at once"),
            took,
            all_at_once,
            two_burners,
            minute,
        );
        // Two burners: table 1's 5 minutes hold one burner while 2, 3 and 4 pass on the other.
        assert_eq!(burners_order, [2, 3, 1, 4, 6, 5], "{runtime}: two burners");
        common::assert_claim(
            &format!("{runtime}: two burners"),
            burners_took,
            two_burners,
            one_by_one,
            minute,
        );
    }
}

#[test]
fn a_bounded_rail_never_holds_more_than_its_capacity_and_an_unbounded_one_holds_the_backlog() {
    let capacity = claim("streams.rail.capacity", 8.0) as usize;
    let slips = 1_000;
    for runtime in Runtime::ALL {
        let bounded = example::rail(runtime, slips, Some(capacity));
        assert_eq!(bounded.cooked, slips as usize, "{runtime}");
        assert_eq!(bounded.most_on_rail, capacity, "{runtime}: bounded");
        let unbounded = example::rail(runtime, slips, None);
        assert_eq!(unbounded.cooked, slips as usize, "{runtime}");
        // The WaitBot never waits, and hangs every slip before the ChefBot takes one.
        assert_eq!(
            unbounded.most_on_rail, slips as usize,
            "{runtime}: unbounded"
        );
    }
}

#[test]
fn the_heap_shows_it_a_bounded_rail_holds_kilobytes_and_an_unbounded_one_every_slip() {
    let _cores = common::the_cores();
    let slips = claim("streams.rail.slips", 10_000.0) as usize;
    let slip_kib = claim("streams.slip.kib", example::SLIP_BYTES as f64 / 1024.0);
    let bounded_most = claim("streams.rail.bounded.kib.under", 64.0);
    let rows = common::json_lines(
        "streams",
        &["--runtime", "all", "--json", "--minute-ms", "10"],
    );
    assert_eq!(rows.len(), 3);
    for row in &rows {
        let kib = |key: &str| row[key].as_f64().unwrap() / 1024.0;
        assert_eq!(row["slips"].as_u64().unwrap() as usize, slips, "{row}");
        // Eight slips of a kilobyte, and the channel's own buffer: well under 64 KiB.
        assert!(kib("bounded_peak_heap_bytes") < bounded_most, "{row}");
        // Every slip on the rail at once: at least 10,000 KiB.
        assert!(
            kib("unbounded_peak_heap_bytes") >= slips as f64 * slip_kib,
            "{row}"
        );
    }
}

#[test]
fn six_tables_seat_no_more_than_six_and_twelve_diners_eat_in_two_rounds() {
    let tables = claim("streams.tables", example::TABLES as f64) as u32;
    let eating = claim("streams.eating", example::EATING as f64);
    assert_eq!(claim("streams.diners", example::DINERS as f64), 12.0);
    let two_rounds = claim("streams.tables.minutes", 2.0 * eating);
    let one_table = claim("streams.one-table.minutes", example::DINERS as f64 * eating);
    for runtime in Runtime::ALL {
        let (most, took) = example::tables(runtime, MINUTE);
        assert_eq!(most, tables, "{runtime}");
        common::assert_claim(
            &format!("{runtime}: twelve diners"),
            took,
            two_rounds,
            one_table,
            MINUTE,
        );
    }
}

/// The chapter's pictures were drawn by the example from a real run, at its 100 ms minute:
/// each table's bar from when its dish went on the fire to when it was served.
#[test]
fn the_chapters_pictures_show_each_dish_on_the_fire() {
    let picture = |name: &str| {
        let path = format!("{}/src/img/streams-{name}.svg", env!("CARGO_MANIFEST_DIR"));
        common::svg_bars(&std::fs::read_to_string(path).unwrap())
    };
    let drawn = Duration::from_millis(100);
    // (table, on the fire, served): every dish at once, then two burners.
    let at_once = example::ORDERS.map(|(table, minutes)| (table, 0, minutes));
    let two_burners = [
        (1, 0, 5),
        (2, 0, 1),
        (3, 1, 4),
        (4, 4, 6),
        (5, 5, 11),
        (6, 6, 10),
    ];
    for (name, expected) in [("all-at-once", at_once), ("two-burners", two_burners)] {
        let bars = picture(name);
        assert_eq!(bars.len(), expected.len(), "{name}");
        for ((actor, on, off), (table, start, end)) in bars.iter().zip(expected) {
            assert_eq!(*actor, format!("Table {table}"), "{name}");
            let what = format!("{name}: table {table}");
            common::assert_claim(
                &format!("{what} on the fire"),
                *on,
                start as f64,
                start as f64 + 1.0,
                drawn,
            );
            common::assert_claim(
                &format!("{what} served"),
                *off,
                end as f64,
                end as f64 + 1.0,
                drawn,
            );
        }
    }
}

#[test]
fn svg_draws_one_runtime() {
    common::assert_usage_error(
        "streams",
        &["--runtime", "all", "--svg", "x"],
        "--svg draws one run",
    );
}
