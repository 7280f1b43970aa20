//! The knives and forks, and the shift every robot works whatever the mode.

use std::ops::Add;

use serde::Serialize;

/// Knives and forks. Signed, because a racy kitchen can count pieces it never had.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Cutlery {
    pub knives: i64,
    pub forks: i64,
}

impl Cutlery {
    /// What the kitchen holds before service, as in the story.
    pub const KITCHEN: Cutlery = Cutlery {
        knives: 100,
        forks: 100,
    };
    /// What a robot takes to prepare one table, and brings back when it clears it.
    pub const TABLE: Cutlery = Cutlery {
        knives: 4,
        forks: 4,
    };
    /// The change to the kitchen when a robot prepares a table.
    pub const TAKE: Cutlery = Cutlery {
        knives: -4,
        forks: -4,
    };
}

impl Add for Cutlery {
    type Output = Cutlery;

    fn add(self, other: Cutlery) -> Cutlery {
        Cutlery {
            knives: self.knives + other.knives,
            forks: self.forks + other.forks,
        }
    }
}

// ANCHOR: shift
/// A robot's shift: `tables` times, prepare a table (take its cutlery from the kitchen), then
/// clear it (bring the cutlery back). Only `transfer`, the way to change the kitchen, differs.
pub fn shift(tables: u32, transfer: impl Fn(Cutlery)) {
    for _ in 0..tables {
        transfer(Cutlery::TAKE);
        transfer(Cutlery::TABLE);
    }
}
// ANCHOR_END: shift
