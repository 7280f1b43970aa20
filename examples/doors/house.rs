//! The house: what every server shares with each diner's handler. The evening's settings (how
//! long a story minute lasts, how long a diner may take over a line, where the chat runs) and
//! the ledger of what happened.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use super::menu::{TOO_LONG, TOO_SLOW};

// ANCHOR: house
/// What every diner's handler needs to know.
#[derive(Debug)]
pub struct House {
    /// How long one story minute of cooking lasts.
    pub minute: Duration,
    /// How long a diner may take over one line before being shown the door.
    pub patience: Duration,
    /// How long the chatty guest talks, holding whoever serves it.
    pub chat: Duration,
    /// Where a LoopBot runs the chatty guest's talk (the ThreadBots always run it on the
    /// diner's own thread).
    pub chat_on: ChatOn,
    /// What happened, counted.
    pub ledger: Ledger,
}

/// Where a LoopBot runs the chat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChatOn {
    /// On the loop's own thread: every other diner waits.
    Loop,
    /// On the runtime's blocking threads (`spawn_blocking`, `unblock`).
    Pool,
}
// ANCHOR_END: house

/// What the house counts over an evening, shared by every connection's handler.
#[derive(Debug, Default)]
pub struct Ledger {
    /// Diners let in.
    pub seated: AtomicU64,
    /// Orders read and sent to the kitchen.
    pub taken: AtomicU64,
    /// Orders cooked and delivered: `SERVED` written to the diner.
    pub served: AtomicU64,
    /// Orders cooked for a diner who had left: the reply could not be written.
    pub walked_out: AtomicU64,
    /// Lines answered with `ERROR`.
    pub errors: AtomicU64,
    /// Diners shown the door for a line too long or too slow.
    pub shown_out: AtomicU64,
}

impl Ledger {
    /// Adds one to `counter`.
    pub fn add(counter: &AtomicU64) {
        counter.fetch_add(1, Ordering::SeqCst);
    }

    /// Counts what `reply` means, `delivered` or not, and says whether the diner stays: not
    /// after a reply that could not be written, nor after being shown the door.
    pub fn note(&self, reply: &str, delivered: bool) -> bool {
        let shown_out = reply == TOO_LONG || reply == TOO_SLOW;
        if reply.starts_with("SERVED") {
            Self::add(if delivered {
                &self.served
            } else {
                &self.walked_out
            });
        }
        if reply.starts_with("ERROR") {
            Self::add(&self.errors);
        }
        if shown_out {
            Self::add(&self.shown_out);
        }
        delivered && !shown_out
    }

    /// The counts as they stand.
    pub fn counts(&self) -> Counts {
        let read = |counter: &AtomicU64| counter.load(Ordering::SeqCst);
        Counts {
            seated: read(&self.seated),
            taken: read(&self.taken),
            served: read(&self.served),
            walked_out: read(&self.walked_out),
            errors: read(&self.errors),
            shown_out: read(&self.shown_out),
        }
    }
}

/// A [`Ledger`]'s counts at one moment.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Counts {
    pub seated: u64,
    pub taken: u64,
    pub served: u64,
    pub walked_out: u64,
    pub errors: u64,
    pub shown_out: u64,
}
