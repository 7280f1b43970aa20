//! The command line the examples share: `--runtime`, `--minute-ms`, `--json`.
//!
//! A story example flattens [`StoryArgs`] into its own clap parser and calls
//! [`parse_or_exit`]; a benchmark takes [`RuntimeArgs`] (no story minutes), the mini executor
//! [`ClockArgs`] (no runtime to choose), so that no example accepts a flag that means nothing
//! to it.
//! Bad input (an unknown runtime, a zero or absurd minute, an unknown flag) ends the program
//! with one line on standard error and exit code 2, never a panic.
//!
//! ```
//! use clap::Parser;
//! use loopbot::cli::StoryArgs;
//! use loopbot::Runtime;
//!
//! #[derive(Parser)]
//! struct Args {
//!     #[command(flatten)]
//!     story: StoryArgs,
//! }
//!
//! let args = Args::try_parse_from(["lunch", "--runtime", "all", "--minute-ms", "20"]).unwrap();
//! assert_eq!(args.story.runtime.runtimes(), Runtime::ALL.to_vec());
//! assert_eq!(args.story.minute_ms, 20);
//! assert!(Args::try_parse_from(["lunch", "--minute-ms", "0"]).is_err());
//! ```
//!
//! `tests/cli.rs` runs every example with bad input and checks the one line each prints.

use clap::error::ErrorKind;

use crate::clock::StoryClock;
use crate::runtime::Runtime;

/// The options every example takes.
#[derive(Clone, Debug, clap::Args)]
pub struct StoryArgs {
    /// Which runtime runs the story, or `all` for each of them in turn.
    #[arg(long, value_enum, default_value_t = RuntimeChoice::Tokio)]
    pub runtime: RuntimeChoice,
    /// How many real milliseconds one story minute lasts.
    #[arg(long, value_name = "MS", default_value_t = 100, value_parser = parse_minute_ms, allow_negative_numbers = true)]
    pub minute_ms: u64,
    /// Print one JSON object per line instead of the readable account.
    #[arg(long)]
    pub json: bool,
}

/// The options of an example that runs on the runtimes but tells no story in minutes: the
/// benchmarks.
#[derive(Clone, Debug, clap::Args)]
pub struct RuntimeArgs {
    /// Which runtime to measure, or `all` for each of them in turn.
    #[arg(long, value_enum, default_value_t = RuntimeChoice::Tokio)]
    pub runtime: RuntimeChoice,
    /// Print one JSON object per line instead of the readable account.
    #[arg(long)]
    pub json: bool,
}

/// The options of an example that tells a story on an executor of its own, so that no runtime
/// can be chosen: the mini executor.
#[derive(Clone, Debug, clap::Args)]
pub struct ClockArgs {
    /// How many real milliseconds one story minute lasts.
    #[arg(long, value_name = "MS", default_value_t = 100, value_parser = parse_minute_ms, allow_negative_numbers = true)]
    pub minute_ms: u64,
    /// Print one JSON object per line instead of the readable account.
    #[arg(long)]
    pub json: bool,
}

/// `--runtime`: one runtime or all three.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum RuntimeChoice {
    /// tokio only.
    Tokio,
    /// async-std only.
    AsyncStd,
    /// smol only.
    Smol,
    /// Each runtime in turn.
    All,
}

impl RuntimeChoice {
    /// The runtimes to run, in order.
    pub fn runtimes(self) -> Vec<Runtime> {
        match self {
            RuntimeChoice::Tokio => vec![Runtime::Tokio],
            RuntimeChoice::AsyncStd => vec![Runtime::AsyncStd],
            RuntimeChoice::Smol => vec![Runtime::Smol],
            RuntimeChoice::All => Runtime::ALL.to_vec(),
        }
    }
}

/// Parses `--minute-ms`: a whole number of milliseconds from 1 to one hour.
fn parse_minute_ms(text: &str) -> Result<u64, String> {
    let range = StoryClock::MIN_MINUTE_MS..=StoryClock::MAX_MINUTE_MS;
    match text.parse::<u64>() {
        Ok(ms) if range.contains(&ms) => Ok(ms),
        _ => Err(format!(
            "a story minute must last {} to {} ms (one hour)",
            range.start(),
            range.end()
        )),
    }
}

/// Parses the process's arguments into `T`. Help and version print as usual and exit 0; any
/// other error prints [`one_line_error`] and exits with code 2.
pub fn parse_or_exit<T: clap::Parser>() -> T {
    match T::try_parse() {
        Ok(args) => args,
        Err(error)
            if matches!(
                error.kind(),
                ErrorKind::DisplayHelp | ErrorKind::DisplayVersion
            ) =>
        {
            error.exit()
        }
        Err(error) => {
            let program = std::env::args()
                .next()
                .and_then(|path| {
                    std::path::Path::new(&path)
                        .file_name()
                        .map(|name| name.to_string_lossy().into_owned())
                })
                .unwrap_or_else(|| "example".to_string());
            exit_with_usage_error(&one_line_error(&program, &error))
        }
    }
}

/// Prints `message` on standard error and exits with code 2, the code for bad input.
pub fn exit_with_usage_error(message: &str) -> ! {
    eprintln!("{message}");
    std::process::exit(2)
}

/// Says clap's error in one line, prefixed with the program's name: what was wrong, with the
/// values that would be right or a suggestion where clap has one, and no usage block.
fn one_line_error(program: &str, error: &clap::Error) -> String {
    use clap::error::ContextKind;
    let context = |kind| error.get(kind).map(ToString::to_string);
    let argument = context(ContextKind::InvalidArg).unwrap_or_default();
    let mut line = match error.kind() {
        ErrorKind::UnknownArgument => match context(ContextKind::SuggestedArg) {
            Some(like) => {
                format!("unexpected argument '{argument}' found (did you mean '{like}'?)")
            }
            None => format!("unexpected argument '{argument}' found"),
        },
        ErrorKind::InvalidValue | ErrorKind::ValueValidation => {
            let value = context(ContextKind::InvalidValue).unwrap_or_default();
            if value.is_empty() {
                return format!("{program}: '{argument}' needs a value");
            }
            let mut line = format!("invalid value '{value}' for '{argument}'");
            if let Some(reason) = std::error::Error::source(error) {
                line.push_str(&format!(": {reason}"));
            }
            if let Some(valid) = context(ContextKind::ValidValue).filter(|v| !v.is_empty()) {
                line.push_str(&format!(" (possible values: {valid})"));
            }
            line
        }
        // Anything else: clap's own first line, which is the message.
        _ => {
            let rendered = error.render().to_string();
            let first = rendered.lines().next().unwrap_or_default();
            first.strip_prefix("error: ").unwrap_or(first).to_string()
        }
    };
    if let Some(suggested) = context(ContextKind::Suggested) {
        line.push_str(&format!(" ({suggested})"));
    }
    format!("{program}: {line}")
}
