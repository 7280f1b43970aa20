//! The small library that the book's examples and tests share.
//!
//! Each chapter of the book tells a story (a lunch, a restaurant, a kitchen full of cutlery)
//! and runs it on tokio, async-std and smol. This crate holds only what every story needs and
//! what has nothing to teach: which runtime to use, how long a story minute lasts, and a
//! record of what happened when. The chapters' own snippets still call each runtime's API
//! directly, because that API is what the book teaches.
//!
//! - [`runtime`]: pick tokio, async-std or smol and run a future on one thread, with the
//!   sleep, spawn and blocking offload that runtime offers.
//! - [`clock`]: a story clock, where one story minute lasts a chosen number of milliseconds.
//! - [`timeline`]: the events of a run, printed as text, as JSON lines, or drawn as an SVG.
//! - [`meter`]: the data collection module, timing each `poll` to tell work from waiting.
//! - [`myself`]: run this example again in a fresh process for one job (a hidden `--job`).
//! - [`process`]: the threads and memory this process uses, from `/proc/self/status`.
//! - [`cli`]: the command line every example shares (`--runtime`, `--minute-ms`, `--json`).

#![warn(missing_docs)]

pub mod cli;
pub mod clock;
pub mod meter;
pub mod myself;
pub mod process;
pub mod runtime;
pub mod timeline;

pub use clock::StoryClock;
pub use runtime::{Runtime, Task};
pub use timeline::{Event, Timeline};
