//! Your exercises. Each one is a file in `tests/exercises/` that you edit; its check is in
//! `tests/exercises/checks/`, and runs with
//!
//! ```text
//! cargo test --test exercises <name>
//! ```
//!
//! It fails until your answer is right. The pages that set the exercises show a solution you
//! can open once you have tried (they are in `tests/exercises/solutions/`). Plain `cargo test`
//! skips this target, because every exercise starts out failing; the book's own tests
//! (`tests/practice.rs`) check every solution against its check, and that every starter fails.

macro_rules! exercise {
    ($name:ident) => {
        mod $name {
            #[allow(dead_code, unused, clippy::all)]
            mod under_test {
                include!(concat!("exercises/", stringify!($name), ".rs"));
            }
            mod check {
                include!(concat!("exercises/checks/", stringify!($name), ".rs"));
            }
            #[test]
            fn $name() {
                check::check()
            }
        }
    };
}

// Lunch
exercise!(avocado);
exercise!(unblock);
// The Restaurant of ThreadBots
exercise!(take_order);
exercise!(six_tables);
// The Truth about Threads
exercise!(cutlery);
// A Bestiary
exercise!(join_all);
exercise!(counting_waker);
// Stacks and Frames
exercise!(courses);
exercise!(detach);
