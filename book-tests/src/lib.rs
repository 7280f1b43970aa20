//! The book's proofs, kept apart from the `loopbot` crate that readers build:
//!
//! - `build.rs` turns every Rust block of every page into a test (`tests/snippets.rs`);
//! - `tests/book.rs` checks that every block is tested, that compiler output shown in the book
//!   is what rustc prints, and that the table of contents matches the pages;
//! - `tests/browser.rs` builds the book and reads it in headless Chromium.
//!
//! There is no library here: the package exists for its tests.
