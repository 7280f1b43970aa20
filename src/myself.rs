//! Running this very example again, in a fresh process, for one job.
//!
//! Some measurements must not share a process: memory freed by one would flatter the next, a
//! stack overflow ends the process that has it, and a listing that only prints lines is
//! easiest to time from outside. An example that needs this flattens [`JobArgs`] into its
//! parser (one hidden flag, `--job <JOB>`), starts itself with [`myself`], and in the child
//! does that one job and nothing else. A job that measures prints one JSON row with
//! [`send_row`]; the parent reads it with [`one_json_row`].
//!
//! ```no_run
//! use clap::Parser;
//! use loopbot::myself::{self, JobArgs};
//!
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     job: JobArgs,
//! }
//!
//! let args = Args::parse();
//! if let Some(job) = args.job.job {
//!     myself::send_row(&job.len()); // the child: one job, one row
//!     return;
//! }
//! let length: usize = myself::one_json_row("demo", "four", &mut myself::myself("four"));
//! assert_eq!(length, 4);
//! ```

use std::path::Path;
use std::process::Command;

use serde::Serialize;
use serde::de::DeserializeOwned;

/// The hidden flag by which an example asks a fresh copy of itself to do one job.
#[derive(Clone, Debug, Default, clap::Args)]
pub struct JobArgs {
    /// Internal: do this one job and print its result (the example runs itself with it).
    #[arg(long, hide = true, value_name = "JOB")]
    pub job: Option<String>,
}

/// A command that runs this program again with `--job <job>`; add arguments before running it.
pub fn myself(job: &str) -> Command {
    job_for(
        &std::env::current_exe().expect("a program knows its own path"),
        job,
    )
}

/// A command that runs this program again as `<program> <word> --job <job>`: for a job that is
/// a listing of the book's own, which reads its first word as a reader would type it after
/// `cargo run --`.
pub fn myself_with_word(word: &str, job: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("a program knows its own path"));
    command.args([word, "--job", job]);
    command
}

/// A command that runs `program` (an example that takes [`JobArgs`]) with `--job <job>`: what
/// a test uses to start an example's job itself.
pub fn job_for(program: &Path, job: &str) -> Command {
    let mut command = Command::new(program);
    command.args(["--job", job]);
    command
}

/// Prints `row` as one line of JSON on standard output: what a job sends back.
pub fn send_row<T: Serialize>(row: &T) {
    println!("{}", serde_json::to_string(row).expect("a row serializes"));
}

/// Runs `command`, a child that does one job and prints one JSON row, and returns that row.
/// A child that fails ends this program with exit code 1 and one line naming `example`, the
/// `job` and what the child said.
pub fn one_json_row<T: DeserializeOwned>(example: &str, job: &str, command: &mut Command) -> T {
    let output = match command.output() {
        Ok(output) => output,
        Err(error) => fail(example, job, &format!("could not start: {error}")),
    };
    if !output.status.success() {
        let said = String::from_utf8_lossy(&output.stderr);
        let last = said.lines().rev().find(|line| !line.trim().is_empty());
        fail(example, job, last.unwrap_or("ended without a word").trim());
    }
    match serde_json::from_slice(&output.stdout) {
        Ok(row) => row,
        Err(error) => fail(example, job, &format!("printed no JSON row: {error}")),
    }
}

fn fail(example: &str, job: &str, why: &str) -> ! {
    eprintln!("{example}: the job {job} failed: {why}");
    std::process::exit(1);
}
