//! One evening measured from outside: the server runs in a child process (this example again,
//! with `--job serve`, or Python's asyncio), the diners run here, and this process reads the
//! server's threads and resident memory from `/proc/<pid>/status` before anyone comes and
//! once everyone is seated.

use std::io::{BufRead, BufReader, Write};
use std::net::SocketAddr;
use std::process::{Child, ChildStdout, Command, Stdio};

use loopbot::process::ProcessStatus;
use serde::{Deserialize, Serialize};

use super::diners::{self, Evening, Party};
use super::house::Counts;

/// The line a server job prints first: where it listens.
#[derive(Serialize, Deserialize)]
pub struct Listening {
    pub port: u16,
}

/// A server running in a child process.
pub struct ServerProcess {
    child: Child,
    replies: BufReader<ChildStdout>,
    pub address: SocketAddr,
}

/// Starts `command` (a server job), and reads the port it listens on.
pub fn start(mut command: Command) -> Result<ServerProcess, String> {
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|error| format!("could not start the server: {error}"))?;
    let mut replies = BufReader::new(child.stdout.take().expect("stdout is piped"));
    let mut line = String::new();
    replies.read_line(&mut line).map_err(|e| e.to_string())?;
    let listening: Listening =
        serde_json::from_str(&line).map_err(|e| format!("the server said {line:?}: {e}"))?;
    let address = SocketAddr::from(([127, 0, 0, 1], listening.port));
    Ok(ServerProcess {
        child,
        replies,
        address,
    })
}

impl ServerProcess {
    /// The server's status now.
    pub fn status(&self) -> ProcessStatus {
        let path = format!("/proc/{}/status", self.child.id());
        ProcessStatus::parse(&std::fs::read_to_string(path).unwrap_or_default())
    }

    /// Closes the server's standard input, its sign to close the house, and reads its counts.
    pub fn close(mut self) -> Result<Counts, String> {
        drop(self.child.stdin.take());
        let mut line = String::new();
        self.replies
            .read_line(&mut line)
            .map_err(|e| e.to_string())?;
        let status = self.child.wait().map_err(|e| e.to_string())?;
        if !status.success() {
            return Err(format!("the server ended with {status}"));
        }
        serde_json::from_str(&line).map_err(|e| format!("the server said {line:?}: {e}"))
    }
}

/// In a server job: says where it listens, waits until standard input closes, and returns.
pub fn announce_and_wait(port: u16) {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{}",
        serde_json::to_string(&Listening { port }).unwrap()
    )
    .unwrap();
    out.flush().unwrap();
    drop(out);
    let _ = std::io::copy(&mut std::io::stdin().lock(), &mut std::io::sink());
}

/// What one evening measured.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Measured {
    pub server: String,
    pub diners: usize,
    pub seated: usize,
    pub served: usize,
    pub refused: usize,
    pub wrong_replies: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    pub orders_per_second: f64,
    pub threads_seated: u64,
    pub resident_before_kb: u64,
    pub resident_seated_kb: u64,
    /// The most the server ever had in RAM at once, read as the last diner leaves.
    pub peak_resident_kb: u64,
    pub bytes_per_diner: f64,
    pub chat_ms: Option<f64>,
    pub house: Counts,
}

/// Runs `party` against the server `command` starts, and measures it.
pub fn measure(server: &str, command: Command, party: &Party) -> Result<Measured, String> {
    let child = start(command)?;
    let before = child.status();
    let mut seated = before;
    let evening = diners::dine(child.address, party, || seated = child.status());
    let after = child.status();
    let house = child.close()?;
    let mut measured = summarize(server, party, &evening, before, seated, house);
    measured.peak_resident_kb = after.peak_resident / 1024;
    Ok(measured)
}

/// The figures of one evening.
fn summarize(
    server: &str,
    party: &Party,
    evening: &Evening,
    before: ProcessStatus,
    seated: ProcessStatus,
    house: Counts,
) -> Measured {
    let mut ms: Vec<f64> = evening
        .latencies
        .iter()
        .map(|d| d.as_secs_f64() * 1e3)
        .collect();
    ms.sort_by(f64::total_cmp);
    let grown = seated.resident.saturating_sub(before.resident) as f64;
    Measured {
        server: server.to_string(),
        diners: party.diners,
        seated: evening.seated,
        served: evening.served,
        refused: evening.refused,
        wrong_replies: evening.wrong_replies,
        p50_ms: quantile(&ms, 0.50),
        p99_ms: quantile(&ms, 0.99),
        max_ms: ms.last().copied().unwrap_or(0.0),
        orders_per_second: evening.served as f64 / evening.dining.as_secs_f64().max(1e-9),
        threads_seated: seated.threads,
        resident_before_kb: before.resident / 1024,
        resident_seated_kb: seated.resident / 1024,
        peak_resident_kb: seated.peak_resident / 1024,
        bytes_per_diner: grown / evening.seated.max(1) as f64,
        chat_ms: evening
            .chat
            .map(|(said, heard)| (heard - said).as_secs_f64() * 1e3),
        house,
    }
}

/// The value below which `fraction` of the sorted `values` lie (0 for none).
pub fn quantile(sorted: &[f64], fraction: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}
