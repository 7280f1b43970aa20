//! The restaurant opens its doors: a TCP server on 127.0.0.1 speaking the line protocol of
//! `menu.rs`, served by the ThreadBots (a thread per diner) or by a LoopBot (one thread) on
//! tokio, async-std or smol, and a party of diners who connect all at once and order.
//!
//! ```text
//! cargo run --release --example doors -- --staff loopbot --runtime all --diners 1000
//! cargo run --release --example doors -- --staff threadbots --diners 1000
//! cargo run --example doors -- --serve 7878          # then: nc 127.0.0.1 7878
//! cargo run --release --example doors -- --bench     # the chapter's table
//! ```
//!
//! Each evening runs the server in a fresh copy of this program (`--job serve`), so that its
//! threads and memory can be read from outside; the diners run in this process.

mod bench;
mod diners;
mod evening;
mod house;
mod menu;
mod on_async_std;
mod on_smol;
mod on_tokio;
mod staff;
mod threadbots;

use std::process::ExitCode;
use std::time::Duration;

use clap::Parser;
use loopbot::Runtime;
use loopbot::cli::{StoryArgs, parse_or_exit};
use loopbot::myself::{self, JobArgs};

pub use diners::{Evening, OPENING_AT_ONCE, Party, dine};
pub use evening::Measured;
pub use house::{ChatOn, House, Ledger};
pub use menu::{CHAT, MAX_LINE, MENU};
pub use staff::{Open, Staff};

/// How long a diner may take over one line, unless `--patience-ms` says otherwise: long
/// enough for 10,000 diners to sit down before the first of them orders.
pub const DEFAULT_PATIENCE_MS: u64 = 30_000;

/// The restaurant as a TCP server on 127.0.0.1, and a party of diners.
#[derive(Parser)]
#[command(name = "doors")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// Who serves: a thread per diner, or one LoopBot thread on --runtime.
    #[arg(long, value_enum, default_value_t = StaffChoice::Loopbot)]
    staff: StaffChoice,
    /// How many diners come, each on a connection of their own.
    #[arg(long, default_value_t = 100, value_parser = clap::value_parser!(u64).range(1..=10_000))]
    diners: u64,
    /// How many dishes each diner orders.
    #[arg(long, default_value_t = 2, value_parser = clap::value_parser!(u64).range(1..=100))]
    orders: u64,
    /// How long a diner thinks between two orders, in real milliseconds.
    #[arg(long, value_name = "MS", default_value_t = 0, value_parser = clap::value_parser!(u64).range(0..=10_000))]
    think_ms: u64,
    /// Picks the diners' dishes.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A chatty guest comes too, and says CHAT as the others sit down.
    #[arg(long)]
    chatty_guest: bool,
    /// Where a LoopBot runs the chat: on its own thread, or on the runtime's blocking pool.
    #[arg(long, value_enum, default_value_t = ChatChoice::Loop)]
    chat_on: ChatChoice,
    /// How long a diner may take over one line before being shown the door, in real ms.
    #[arg(long, value_name = "MS", default_value_t = DEFAULT_PATIENCE_MS, value_parser = clap::value_parser!(u64).range(1..=600_000))]
    patience_ms: u64,
    /// Instead of a party of diners: serve on this port of 127.0.0.1 until --close-after,
    /// for you to try with `nc 127.0.0.1 PORT`.
    #[arg(long, value_name = "PORT")]
    serve: Option<u16>,
    /// With --serve: close the house after this many story minutes.
    #[arg(long, value_name = "MINUTES", default_value_t = 600, value_parser = clap::value_parser!(u64).range(1..=100_000))]
    close_after: u64,
    /// Instead of one evening: the chapter's table, for 100, 1,000 and 10,000 diners
    /// (build with --release).
    #[arg(long)]
    bench: bool,
    #[command(flatten)]
    job: JobArgs,
}

/// `--chat-on`: the house's [`ChatOn`], as the command line spells it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum ChatChoice {
    /// On the LoopBot's own thread.
    Loop,
    /// On the runtime's blocking threads.
    Pool,
}

/// `--staff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
enum StaffChoice {
    Threadbots,
    Loopbot,
}

impl Args {
    /// The servers this run asks for.
    fn staff(&self) -> Vec<Staff> {
        match self.staff {
            StaffChoice::Threadbots => vec![Staff::ThreadBots],
            StaffChoice::Loopbot => self
                .story
                .runtime
                .runtimes()
                .into_iter()
                .map(loop_bot)
                .collect(),
        }
    }

    fn minute(&self) -> Duration {
        Duration::from_millis(self.story.minute_ms)
    }

    /// The house this run's server keeps.
    fn house(&self) -> House {
        House {
            minute: Duration::from_millis(self.story.minute_ms),
            patience: Duration::from_millis(self.patience_ms),
            chat: CHAT,
            chat_on: match self.chat_on {
                ChatChoice::Loop => ChatOn::Loop,
                ChatChoice::Pool => ChatOn::Pool,
            },
            ledger: Ledger::default(),
        }
    }

    fn party(&self) -> Party {
        Party {
            diners: self.diners as usize,
            orders: self.orders as usize,
            think: Duration::from_millis(self.think_ms),
            seed: self.seed,
            dishes: MENU.iter().map(|(dish, _)| *dish).collect(),
            chatty_guest: self.chatty_guest,
            chat_head_start: Duration::from_millis(10),
        }
    }
}

/// The LoopBot on `runtime`.
pub fn loop_bot(runtime: Runtime) -> Staff {
    match runtime {
        Runtime::Tokio => Staff::Tokio,
        Runtime::AsyncStd => Staff::AsyncStd,
        Runtime::Smol => Staff::Smol,
    }
}

/// The job a child runs: serve until standard input closes, then print the counts.
fn serve_job(args: &Args, staff: Staff) -> ExitCode {
    let open = match Open::new(staff, 0, args.house()) {
        Ok(open) => open,
        Err(error) => return fail(&format!("cannot listen on 127.0.0.1: {error}")),
    };
    evening::announce_and_wait(open.address.port());
    myself::send_row(&open.close());
    ExitCode::SUCCESS
}

/// `--serve PORT`: serve in the foreground until `--close-after`.
fn serve_here(args: &Args, staff: Staff, port: u16) -> ExitCode {
    let open = match Open::new(staff, port, args.house()) {
        Ok(open) => open,
        Err(error) => return fail(&format!("cannot listen on 127.0.0.1:{port}: {error}")),
    };
    let close_after = args.minute() * args.close_after as u32;
    println!(
        "{} serves on {}: try `nc 127.0.0.1 {}`. The house closes in {:.1} s.",
        staff.name(),
        open.address,
        open.address.port(),
        close_after.as_secs_f64()
    );
    std::thread::sleep(close_after);
    let house = open.close();
    println!(
        "Closed: {} seated, {} orders taken, {} served, {} errors, {} shown the door.",
        house.seated, house.taken, house.served, house.errors, house.shown_out
    );
    ExitCode::SUCCESS
}

/// One evening per server: the server in a child process, the diners here.
fn evenings(args: &Args) -> ExitCode {
    raise_open_files_limit();
    for staff in args.staff() {
        let mut command = myself::myself(&format!("{staff:?}"));
        command.args(["--minute-ms", &args.story.minute_ms.to_string()]);
        command.args(["--patience-ms", &args.patience_ms.to_string()]);
        command.args([
            "--chat-on",
            if args.chat_on == ChatChoice::Loop {
                "loop"
            } else {
                "pool"
            },
        ]);
        match evening::measure(staff.name(), command, &args.party()) {
            Ok(measured) if args.story.json => myself::send_row(&measured),
            Ok(measured) => print_readable(&measured),
            Err(error) => return fail(&error),
        }
    }
    ExitCode::SUCCESS
}

fn print_readable(m: &Measured) {
    println!(
        "{}: {} diners seated of {}, {} orders served, {} refused, {} wrong replies",
        m.server, m.seated, m.diners, m.served, m.refused, m.wrong_replies
    );
    println!(
        "  latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {:.0} orders/s",
        m.p50_ms, m.p99_ms, m.max_ms, m.orders_per_second
    );
    println!(
        "  server: {} threads, {} kB resident seated ({} kB before, {} kB at most), {:.0} bytes per diner",
        m.threads_seated,
        m.resident_seated_kb,
        m.resident_before_kb,
        m.peak_resident_kb,
        m.bytes_per_diner
    );
    if let Some(chat) = m.chat_ms {
        println!("  the chatty guest's CHAT took {chat:.1} ms");
    }
    println!("  house: {:?}", m.house);
}

/// Raises the soft limit on open files to the hard limit, and returns the limit in force:
/// 10,000 diners need 10,000 connections in this process and as many in the server's.
fn raise_open_files_limit() -> u64 {
    let mut limit = libc::rlimit {
        rlim_cur: 0,
        rlim_max: 0,
    };
    // SAFETY: getrlimit and setrlimit read and write the one struct we pass.
    unsafe {
        if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
            return 0;
        }
        if limit.rlim_cur < limit.rlim_max {
            let raised = libc::rlimit {
                rlim_cur: limit.rlim_max,
                ..limit
            };
            if libc::setrlimit(libc::RLIMIT_NOFILE, &raised) == 0 {
                limit = raised;
            }
        }
    }
    limit.rlim_cur
}

/// `--bench`: the chapter's table, one row per server and size.
fn bench_table(args: &Args) -> ExitCode {
    let open_files = raise_open_files_limit();
    if !args.story.json {
        println!("Open files allowed per process: {open_files}.");
        bench::print_header();
    }
    for diners in bench::SIZES {
        // Each connection is a file in both processes, and each process needs a few more.
        if open_files < diners as u64 + 64 {
            eprintln!(
                "doors: skipping {diners} diners: only {open_files} open files allowed (ulimit -n)"
            );
            continue;
        }
        for server in bench::servers() {
            match bench::row(server, diners) {
                Ok(row) if args.story.json => myself::send_row(&row),
                Ok(row) => bench::print_row(&row),
                Err(error) => return fail(&error),
            }
        }
    }
    ExitCode::SUCCESS
}

/// One line on standard error, exit code 1.
fn fail(why: &str) -> ExitCode {
    eprintln!("doors: {why}");
    ExitCode::FAILURE
}

fn main() -> ExitCode {
    let args: Args = parse_or_exit();
    if let Some(job) = &args.job.job {
        let staff = [
            Staff::ThreadBots,
            Staff::Tokio,
            Staff::AsyncStd,
            Staff::Smol,
        ]
        .into_iter()
        .find(|staff| format!("{staff:?}") == *job)
        .expect("a job names a staff");
        return serve_job(&args, staff);
    }
    if args.bench {
        return bench_table(&args);
    }
    if let Some(port) = args.serve {
        return serve_here(&args, args.staff()[0], port);
    }
    evenings(&args)
}
