//! The readable report: one table per measurement, in the shape the chapter shows.

use crate::measurements::{BLOCKING_CALL, TICK};
use crate::rows::{Blocking, Floor, FutureSize, PingPong, Row, Sleepers, Spawn, Timer};

/// Prints every table, in the chapter's order.
pub fn print(rows: &[Row], allocator: &str) {
    sleepers(rows, allocator);
    println!();
    floors(rows);
    println!();
    spawns(rows);
    println!();
    ping_pongs(rows);
    println!();
    timers(rows);
    println!();
    blocking(rows);
    println!();
    sizes(rows);
}

/// The rows of one kind, picked out by `kind` (a closure that matches one variant).
fn all<'a, T>(rows: &'a [Row], kind: impl Fn(&'a Row) -> Option<&'a T>) -> Vec<&'a T> {
    rows.iter().filter_map(kind).collect()
}

fn megabytes(bytes: u64) -> String {
    format!("{:.1} MB", bytes as f64 / 1e6)
}

/// A figure per task, or `-` where the row has none (Python's heap).
fn or_dash(figure: Option<f64>, format: impl Fn(f64) -> String) -> String {
    figure.map_or_else(|| "-".to_string(), format)
}

fn sleepers(rows: &[Row], allocator: &str) {
    println!("Sleeping tasks on one thread, each in a fresh process (allocator: {allocator})");
    println!(
        "{:<10} {:>9} {:>11} {:>12} {:>11} {:>10} {:>12}",
        "", "count", "start", "peak RSS", "RSS/task", "heap/task", "allocs/task"
    );
    let sleepers = all(rows, |row| match row {
        Row::Sleepers(sleepers) => Some(sleepers),
        _ => None,
    });
    for row in sleepers {
        let Sleepers { who, count, .. } = row;
        println!(
            "{:<10} {:>9} {:>8.1} ms {:>12} {:>9.0} B {:>10} {:>12}",
            who.name(),
            count,
            row.start_ms,
            megabytes(row.peak_rss_bytes),
            row.rss_per_task(),
            or_dash(row.heap_per_task(), |heap| format!("{heap:.0} B")),
            or_dash(row.allocations_per_task(), |count| format!("{count:.2}")),
        );
    }
}

fn floors(rows: &[Row]) {
    println!("The floor: the sleeper future plus the runtime's bookkeeping per task");
    println!(
        "{:<10} {:>9} {:>12} {:>9} {:>11} {:>9}",
        "", "future", "bookkeeping", "floor", "heap/task", "ratio"
    );
    let floors = all(rows, |row| match row {
        Row::Floor(floor) => Some(floor),
        _ => None,
    });
    for Floor {
        who,
        future_bytes,
        bookkeeping_bytes,
        floor_bytes,
        heap_per_task_bytes,
        ratio,
        ..
    } in floors
    {
        println!(
            "{:<10} {future_bytes:>7} B {bookkeeping_bytes:>10.0} B {floor_bytes:>7.0} B \
             {heap_per_task_bytes:>9.0} B {ratio:>8.2}x",
            who.name(),
        );
    }
}

fn spawns(rows: &[Row]) {
    println!("Spawn and join tiny tasks, per task; a vector of boxed futures polled once each");
    let spawns = all(rows, |row| match row {
        Row::Spawn(spawn) => Some(spawn),
        _ => None,
    });
    for Spawn {
        who,
        count,
        ns_per_task,
    } in spawns
    {
        println!("{:<10} {count:>9} tasks {ns_per_task:>9.1} ns", who.name());
    }
}

fn ping_pongs(rows: &[Row]) {
    println!("Ping-pong: one message there and back, between two threads or two tasks");
    let trips = all(rows, |row| match row {
        Row::PingPong(trip) => Some(trip),
        _ => None,
    });
    for PingPong {
        who,
        count,
        ns_per_round_trip,
    } in trips
    {
        println!(
            "{:<10} {count:>9} trips {ns_per_round_trip:>9.0} ns",
            who.name()
        );
    }
}

fn timers(rows: &[Row]) {
    println!("How late a 1 ms sleep wakes");
    let timers = all(rows, |row| match row {
        Row::Timer(timer) => Some(timer),
        _ => None,
    });
    for Timer {
        who,
        count,
        median_late_us,
        p99_late_us,
    } in timers
    {
        println!(
            "{:<10} {count:>9} sleeps  median {median_late_us:>7.0} us  \
             99th percentile {p99_late_us:>7.0} us",
            who.name(),
        );
    }
}

fn blocking(rows: &[Row]) {
    println!(
        "A {} ms ticker's latest tick while a {} ms blocking call runs",
        TICK.as_millis(),
        BLOCKING_CALL.as_millis()
    );
    let blocking = all(rows, |row| match row {
        Row::Blocking(blocking) => Some(blocking),
        _ => None,
    });
    for Blocking {
        who,
        on_the_loop_late_ms,
        offloaded_late_ms,
        ..
    } in blocking
    {
        println!(
            "{:<10} on the loop {on_the_loop_late_ms:>6.1} ms late, \
             on the blocking pool {offloaded_late_ms:>5.1} ms late",
            who.name(),
        );
    }
}

fn sizes(rows: &[Row]) {
    println!("Future sizes");
    let sizes = all(rows, |row| match row {
        Row::FutureSize(size) => Some(size),
        _ => None,
    });
    for FutureSize { future, bytes } in sizes {
        println!("{future:<34} {bytes:>6} B");
    }
}
