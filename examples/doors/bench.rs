//! `--bench`: the chapter's table. For 100, 1,000 and 10,000 diners, each server (the
//! ThreadBots, the LoopBot on each runtime, and Python's asyncio when `python3` runs here)
//! serves two evenings, each in a fresh process:
//!
//! - **dinner**: every diner orders 3 dishes of the menu, thinking a second before each, so
//!   that waiting, not work, fills the evening: latency, threads and memory per diner;
//! - **rush**: 200,000 glasses of water in all, ordered without thinking (at least 20 per
//!   diner): how many orders one server answers per second when it has no time to wait.

use std::process::Command;
use std::time::Duration;

use loopbot::myself;

use super::diners::Party;
use super::evening::{self, Measured};
use super::staff::Staff;

/// The party sizes of the table.
pub const SIZES: [usize; 3] = [100, 1_000, 10_000];

/// How many glasses of water the rush orders in all: enough to take a second or more.
const RUSH_ORDERS: usize = 200_000;

/// One row of the table: one server, one size, both evenings.
#[derive(Clone, Debug, serde::Serialize, serde::Deserialize)]
pub struct Row {
    pub dinner: Measured,
    pub rush: Measured,
}

/// A server of the table: one of ours, or Python's.
#[derive(Clone, Copy, Debug)]
pub enum Server {
    Rust(Staff),
    Python,
}

impl Server {
    fn name(self) -> &'static str {
        match self {
            Server::Rust(staff) => staff.name(),
            Server::Python => "Python asyncio",
        }
    }

    /// The command that starts this server for a story minute of `minute_ms`.
    fn command(self, minute_ms: u64) -> Command {
        const PATIENCE_MS: &str = "30000";
        match self {
            Server::Rust(staff) => {
                let mut command = myself::myself(&format!("{staff:?}"));
                command.args([
                    "--minute-ms",
                    &minute_ms.to_string(),
                    "--patience-ms",
                    PATIENCE_MS,
                ]);
                command
            }
            Server::Python => {
                let mut command = Command::new("python3");
                let script = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/doors/server.py");
                command.args([script, &minute_ms.to_string(), PATIENCE_MS]);
                command
            }
        }
    }
}

/// Whether `python3` runs here at all.
pub fn python_available() -> bool {
    Command::new("python3")
        .arg("--version")
        .output()
        .is_ok_and(|output| output.status.success())
}

/// The dinner: 3 dishes each, a second of thought before each.
fn dinner(diners: usize) -> Party {
    Party {
        diners,
        orders: 3,
        think: Duration::from_secs(1),
        seed: 1,
        dishes: vec!["water", "soup", "pasta", "souffle"],
        chatty_guest: false,
        chat_head_start: Duration::ZERO,
    }
}

/// The rush: 200,000 glasses of water in all (at least 20 each), no thought.
fn rush(diners: usize) -> Party {
    Party {
        orders: (RUSH_ORDERS / diners).max(20),
        think: Duration::ZERO,
        dishes: vec!["water"],
        ..dinner(diners)
    }
}

/// Both evenings of one server at one size, the dinner with 100 ms story minutes.
pub fn row(server: Server, diners: usize) -> Result<Row, String> {
    let dinner = evening::measure(server.name(), server.command(100), &dinner(diners))?;
    let rush = evening::measure(server.name(), server.command(100), &rush(diners))?;
    Ok(Row { dinner, rush })
}

/// Every server of the table.
pub fn servers() -> Vec<Server> {
    let mut servers = vec![
        Server::Rust(Staff::ThreadBots),
        Server::Rust(Staff::Tokio),
        Server::Rust(Staff::AsyncStd),
        Server::Rust(Staff::Smol),
    ];
    if python_available() {
        servers.push(Server::Python);
    }
    servers
}

/// Prints one row as the table's line.
pub fn print_row(row: &Row) {
    let (d, r) = (&row.dinner, &row.rush);
    println!(
        "| {:>6} | {:<20} | {:>7} | {:>9.1} | {:>9.1} | {:>9.0} | {:>7.1} | {:>7.1} | {:>7.1} | {:>9.0} | {}/{} |",
        d.diners,
        d.server,
        d.threads_seated,
        d.resident_seated_kb as f64 / 1024.0,
        d.peak_resident_kb.max(r.peak_resident_kb) as f64 / 1024.0,
        d.bytes_per_diner,
        d.p50_ms,
        d.p99_ms,
        d.max_ms,
        r.orders_per_second,
        d.served + r.served,
        d.diners * 3 + r.diners * (RUSH_ORDERS / r.diners).max(20),
    );
}

/// The table's header.
pub fn print_header() {
    println!(
        "| diners | server               | threads | RSS (MiB) | peak MiB  | B/diner   | p50 ms  | p99 ms  | max ms  | orders/s  | served |"
    );
    println!(
        "|-------:|:---------------------|--------:|----------:|----------:|----------:|--------:|--------:|--------:|----------:|-------:|"
    );
}
