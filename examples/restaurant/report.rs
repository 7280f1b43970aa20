//! What an evening produced, and how it is shown: the figures, the staff bill, the printed
//! report, JSON lines and the SVG timeline.

use std::path::Path;
use std::time::Duration;

use loopbot::meter::Meter;
use loopbot::process::ProcessStatus;
use loopbot::{Runtime, Timeline};
use serde::Serialize;

use super::evening::{Collisions, DinerTimes, Souffle};
use super::floor::Floor;
use super::jobs::ROSTER;
use super::staff::Staff;

/// One robot's figures for the evening.
#[derive(Clone, Debug, Serialize)]
pub struct RobotFigures {
    /// The robot's job name.
    pub robot: String,
    /// Story minutes spent working (inside `poll`).
    pub work_minutes: f64,
    /// The share of the service spent waiting, 0 to 1.
    pub idle: f64,
}

/// What the staff costs while the service runs, read from the operating system.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct StaffBill {
    /// Threads the process runs during service, minus those it ran before the staff started.
    pub staff_threads: i64,
    /// Growth of the address space reserved during service, in KiB (thread stacks live here).
    pub address_space_kib: i64,
    /// Growth of resident memory during service, in KiB.
    pub resident_kib: i64,
}

/// Everything an evening produced.
pub struct Service {
    /// The staff that worked.
    pub staff: Staff,
    /// The runtime, for a LoopBot.
    pub runtime: Option<Runtime>,
    /// Who did what, when.
    pub timeline: Timeline,
    /// Each robot's work and idle time.
    pub robots: Vec<RobotFigures>,
    /// The LoopBot's whole thread: all seven jobs together (None for ThreadBots).
    pub loopbot: Option<RobotFigures>,
    /// tokio's own count of its worker's busy time, beside our meter (tokio only).
    pub tokio_busy_minutes: Option<f64>,
    /// The evening's collisions.
    pub collisions: Collisions,
    /// The soufflé.
    pub souffle: Option<Souffle>,
    /// Every diner, by number.
    pub diners: Vec<DinerTimes>,
    /// What the staff cost.
    pub bill: StaffBill,
    /// Story minutes from opening to the last diner leaving.
    pub length: f64,
}

/// How an evening went, as far as the meters and the floor can tell.
pub struct Closing<'a> {
    /// The staff that worked.
    pub staff: Staff,
    /// The runtime, for a LoopBot.
    pub runtime: Option<Runtime>,
    /// The floor after the last diner left.
    pub floor: &'a Floor,
    /// One meter per robot, in the roster's order.
    pub meters: &'a [Meter],
    /// Real time from opening to the last diner leaving.
    pub wall: Duration,
    /// tokio's own count of its worker's busy time (tokio only).
    pub tokio_busy: Option<Duration>,
    /// What the staff cost.
    pub bill: StaffBill,
}

impl Service {
    /// Reads the meters and the floor into the evening's figures.
    pub fn tally(closing: Closing<'_>) -> Service {
        let Closing {
            staff,
            runtime,
            floor,
            meters,
            wall,
            tokio_busy,
            bill,
        } = closing;
        let clock = *floor.timeline.clock();
        let figures = |robot: String, meter: &Meter| RobotFigures {
            robot,
            work_minutes: clock.to_story_minutes(meter.busy()),
            idle: meter.idle_fraction(wall),
        };
        let robots: Vec<RobotFigures> = ROSTER
            .iter()
            .zip(meters)
            .map(|(job, meter)| figures(job.name(), meter))
            .collect();
        let loopbot = runtime.map(|_| {
            let busy: Duration = meters.iter().map(Meter::busy).sum();
            RobotFigures {
                robot: "LoopBot (all seven jobs)".to_string(),
                work_minutes: clock.to_story_minutes(busy),
                idle: 1.0 - busy.as_secs_f64() / wall.as_secs_f64(),
            }
        });
        let state = floor.lock();
        Service {
            staff,
            runtime,
            timeline: floor.timeline.clone(),
            robots,
            loopbot,
            tokio_busy_minutes: tokio_busy.map(|busy| clock.to_story_minutes(busy)),
            collisions: state.collisions,
            souffle: state.souffle,
            diners: state.diners.clone(),
            bill,
            length: clock.to_story_minutes(wall),
        }
    }
}

/// Keeps the larger of each figure in `peak`: what the process held at its busiest so far.
pub fn raise_to(peak: &mut ProcessStatus, now: &ProcessStatus) {
    peak.threads = peak.threads.max(now.threads);
    peak.address_space = peak.address_space.max(now.address_space);
    peak.resident = peak.resident.max(now.resident);
}

/// What grew from `before` to `peak`: the staff's bill.
pub fn bill(peak: &ProcessStatus, before: &ProcessStatus) -> StaffBill {
    let growth = |peak: u64, before: u64| peak as i64 - before as i64;
    StaffBill {
        staff_threads: growth(peak.threads, before.threads),
        address_space_kib: growth(peak.address_space, before.address_space) / 1024,
        resident_kib: growth(peak.resident, before.resident) / 1024,
    }
}

/// Prints the evening: the timeline and the figures, as text or as JSON lines.
pub fn print_service(service: &Service, json: bool) {
    if json {
        print_json(service);
    } else {
        print_text(service);
    }
}

/// One JSON object per event, then one per figure, each tagged with the staff and runtime.
fn print_json(service: &Service) {
    print!("{}", service.timeline.to_json_lines());
    let tag = serde_json::json!({
        "staff": format!("{:?}", service.staff).to_lowercase(),
        "runtime": service.runtime.map(Runtime::name),
    });
    let mut figures = vec![
        serde_json::json!({"figure": "collisions", "counts": service.collisions}),
        serde_json::json!({"figure": "souffle", "souffle": service.souffle}),
        serde_json::json!({"figure": "staff_bill", "bill": service.bill}),
        serde_json::json!({"figure": "length", "minutes": service.length}),
    ];
    for robot in service.robots.iter().chain(&service.loopbot) {
        figures.push(serde_json::json!({"figure": "robot", "robot": robot}));
    }
    if let Some(busy) = service.tokio_busy_minutes {
        figures.push(serde_json::json!({"figure": "tokio_busy", "minutes": busy}));
    }
    for (number, diner) in service.diners.iter().enumerate() {
        figures.push(serde_json::json!({"figure": "diner", "diner": number + 1, "times": diner}));
    }
    for mut figure in figures {
        figure["staff"] = tag["staff"].clone();
        figure["runtime"] = tag["runtime"].clone();
        println!("{figure}");
    }
}

/// The timeline, then collisions, soufflé, diners, each robot's work and the staff bill.
fn print_text(service: &Service) {
    print!("{}", service.timeline.to_text());
    println!();
    println!("{}", collisions_line(service.collisions));
    if let Some(souffle) = service.souffle {
        println!("{}", souffle_line(souffle));
    }
    let waits: Vec<f64> = service
        .diners
        .iter()
        .filter_map(|d| d.served.map(|served| served - d.arrived))
        .collect();
    let average = waits.iter().sum::<f64>() / waits.len().max(1) as f64;
    println!("{}", diners_line(waits.len(), average));
    print_robots(service);
    println!("\n{}", bill_line(service.bill));
}

/// Each robot's work and idle time, and tokio's own busy count where there is one.
fn print_robots(service: &Service) {
    println!("\n{:<26} {:>12} {:>8}", "Robot", "work (min)", "idle");
    for robot in service.robots.iter().chain(&service.loopbot) {
        println!("{}", robot_row(robot));
    }
    if let Some(busy) = service.tokio_busy_minutes {
        println!("{}", tokio_busy_row(busy));
    }
}

// The report's lines, one function each, so that the chapter's tests can check that a run the
// pages show reads exactly as the example prints it.

/// `Collisions: 2 duplicate orders, 1 table seated while being wiped.`
pub fn collisions_line(c: Collisions) -> String {
    format!(
        "Collisions: {}, {} seated while being wiped.",
        count(
            c.duplicate_orders.into(),
            "duplicate order",
            "duplicate orders"
        ),
        count(c.seated_while_cleaning.into(), "table", "tables")
    )
}

/// `Soufflé: out at minute 12.0, 0.0 minutes late: perfect.`
pub fn souffle_line(souffle: Souffle) -> String {
    let verdict = if souffle.flopped {
        "flopped"
    } else {
        "perfect"
    };
    format!(
        "Soufflé: out at minute {:.1}, {:.1} minutes late: {verdict}.",
        souffle.out_at, souffle.late
    )
}

/// `Diners: 20 served, 21.5 minutes on average from the door to their dinner.`
pub fn diners_line(served: usize, average: f64) -> String {
    format!(
        "Diners: {served} served, {average:.1} minutes on average from the door to their dinner."
    )
}

/// One robot's row: its name, its work in story minutes and its idle share.
pub fn robot_row(robot: &RobotFigures) -> String {
    format!(
        "{:<26} {:>12.2} {:>7.1}%",
        robot.robot,
        robot.work_minutes,
        robot.idle * 100.0
    )
}

/// tokio's own count of its worker's busy time, in story minutes, under the robots' rows.
pub fn tokio_busy_row(busy: f64) -> String {
    format!("{:<26} {:>12.2}", "tokio's own busy metric", busy)
}

/// The staff bill's one line.
pub fn bill_line(bill: StaffBill) -> String {
    format!(
        "Staff bill while serving: {} more {}, {} KiB more address space, {} KiB more resident memory.",
        bill.staff_threads,
        if bill.staff_threads == 1 {
            "thread"
        } else {
            "threads"
        },
        bill.address_space_kib,
        bill.resident_kib
    )
}

/// `1 table`, `2 tables`.
fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Draws the evening as an SVG timeline into `path`, titled with the diners and the staff.
pub fn write_svg(path: &Path, service: &Service, diners: u32) -> std::io::Result<()> {
    let who = match service.runtime {
        None => "seven ThreadBots".to_string(),
        Some(runtime) => format!("one LoopBot on {runtime}"),
    };
    let title = format!("{diners} diners, {who}");
    std::fs::write(path, service.timeline.to_svg(&title))
}
