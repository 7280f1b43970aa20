//! Every chapter's claims, in one test binary, so that `cargo test` runs them side by side
//! instead of one chapter after another: most of them wait on timers, and a busy machine may
//! only make a run longer, never flip a claim. Each chapter keeps its own file (`lunch.rs`
//! tests `lunch.md`); `cargo test --test chapters lunch::` runs one of them.

mod common;

#[path = "bench.rs"]
mod bench;
#[path = "bestiary.rs"]
mod bestiary;
#[path = "cli.rs"]
mod cli;
#[path = "closing.rs"]
mod closing;
#[path = "doors.rs"]
mod doors;
#[path = "glossary.rs"]
mod glossary;
#[path = "introduction.rs"]
mod introduction;
#[path = "lunch.rs"]
mod lunch;
#[path = "myths.rs"]
mod myths;
#[path = "practice.rs"]
mod practice;
#[path = "quickstart.rs"]
mod quickstart;
#[path = "racing.rs"]
mod racing;
#[path = "restaurant.rs"]
mod restaurant;
#[path = "stacks.rs"]
mod stacks;
#[path = "streams.rs"]
mod streams;
#[path = "testing.rs"]
mod testing;
#[path = "threads.rs"]
mod threads;
#[path = "traits.rs"]
mod traits;
#[path = "watching.rs"]
mod watching;
