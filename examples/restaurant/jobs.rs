//! The robots' jobs: the same code whoever runs them, seven ThreadBots or one LoopBot.

use std::sync::Arc;

use super::evening::{
    CHAT_STARTS, COOK, EAT, GUEST_THINKS, HANDLE, PAYMENT, SOUFFLE_DUE, SOUFFLE_TOLERANCE, Souffle,
    TABLES, TICK, WALK, WIPE,
};
use super::floor::{Floor, Phase, Table};

/// The seven jobs of the busy-Friday staff, in the order the tables list them.
pub const ROSTER: [Job; 7] = [
    Job::Greet(1),
    Job::Greet(2),
    Job::Wait(1),
    Job::Wait(2),
    Job::Wait(3),
    Job::Chef,
    Job::Wine,
];

/// One robot's job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Job {
    /// Greets and seats arriving diners, takes payment from leaving ones.
    Greet(u8),
    /// Takes orders, brings food and drinks, clears and wipes tables.
    Wait(u8),
    /// Cooks, and takes the soufflé out on time.
    Chef,
    /// Pours drinks.
    Wine,
}

impl Job {
    /// The robot's name: `GreetBot 1`, `ChefBot`.
    pub fn name(self) -> String {
        match self {
            Job::Greet(n) => format!("GreetBot {n}"),
            Job::Wait(n) => format!("WaitBot {n}"),
            Job::Chef => "ChefBot".to_string(),
            Job::Wine => "WineBot".to_string(),
        }
    }
}

/// One robot's shift: look around, do the first thing that needs doing, repeat until the last
/// diner has left. With nothing to do, wait a tick.
pub async fn work_shift(job: Job, floor: Arc<Floor>) {
    let me = job.name();
    // Robots look around at their own rhythm, not in step with each other.
    let index = ROSTER.iter().position(|j| *j == job).unwrap_or(0) as u64;
    let mut rhythm = fastrand::Rng::with_seed(floor.evening.seed ^ ((index + 1) * 0x9e37_79b9));
    while !floor.closed() {
        let did_something = match job {
            Job::Greet(_) => greet(&floor, &me).await,
            Job::Wait(n) => wait_tables(&floor, &me, n).await,
            Job::Chef => cook(&floor, &me),
            Job::Wine => pour(&floor, &me),
        };
        if !did_something {
            let pause = match job {
                // The chef keeps an eye on the clock so the soufflé comes out on time.
                Job::Chef => chef_pause(&floor),
                _ => TICK * (0.5 + rhythm.f64()),
            };
            floor.wait(pause).await;
        }
    }
}

/// GreetBot: take the next payment, seat a diner from the lounge at a free table, or greet
/// the next diner at the door.
async fn greet(floor: &Floor, me: &str) -> bool {
    take_payment(floor, me).await || seat_from_lounge(floor, me) || greet_at_door(floor, me).await
}

/// The next diner at the till pays, while the terminal talks to the bank, and leaves.
async fn take_payment(floor: &Floor, me: &str) -> bool {
    let paying = floor.lock().till.pop_front();
    let Some(diner) = paying else { return false };
    floor.wait(PAYMENT).await;
    let now = floor.now();
    let mut state = floor.lock();
    state.diners[diner].left = Some(now);
    state.left += 1;
    drop(state);
    floor.say(me, "bill", format!("Diner {} pays and leaves.", diner + 1));
    true
}

/// The next diner in the lounge gets a free table, a clean one if there is one.
fn seat_from_lounge(floor: &Floor, me: &str) -> bool {
    // Choosing a table and claiming it is one step: no other GreetBot can take it.
    let seating = {
        let mut state = floor.lock();
        let free = |t: &Table| t.diner.is_none() && t.phase == Phase::Empty;
        let table = (0..TABLES)
            .find(|&i| free(&state.tables[i]) && !state.tables[i].dirty)
            .or_else(|| (0..TABLES).find(|&i| free(&state.tables[i])));
        match (table, state.lounge.front().copied()) {
            (Some(table), Some(diner)) => {
                state.lounge.pop_front();
                state.tables[table].diner = Some(diner);
                Some((table, diner))
            }
            _ => None,
        }
    };
    let Some((table, diner)) = seating else {
        return false;
    };
    floor.work(WALK);
    let now = floor.now();
    let mut state = floor.lock();
    let seated = &mut state.tables[table];
    seated.phase = Phase::ReadyToOrder;
    // A table that still needs wiping is wiped as the guests sit down.
    seated.dirty = false;
    state.diners[diner].seated = Some(now);
    drop(state);
    floor.say(
        me,
        "seats",
        format!("Diner {} sits at table {}.", diner + 1, table + 1),
    );
    true
}

/// The next diner at the door is asked "window or bar?", and goes to the lounge.
async fn greet_at_door(floor: &Floor, me: &str) -> bool {
    let next = floor.lock().door.pop_front();
    let Some(diner) = next else { return false };
    floor.say(me, "greets", format!("Window or bar, Diner {}?", diner + 1));
    floor.wait(GUEST_THINKS).await;
    floor.lock().lounge.push_back(diner);
    true
}

/// WaitBot: bring what is ready, take an order, send finished diners to pay, wipe a table.
async fn wait_tables(floor: &Floor, me: &str, number: u8) -> bool {
    if number == 1 && !floor.lock().chat_done && floor.now() >= CHAT_STARTS {
        listen_to_chatty_guest(floor, me).await;
        return true;
    }
    bring_plate(floor, me)
        || bring_drink(floor)
        || take_order(floor, me).await
        || send_to_till(floor)
        || wipe_table(floor, me)
}

/// The next plate on the pass goes to its diner's table.
fn bring_plate(floor: &Floor, me: &str) -> bool {
    let plate = floor.lock().pass.pop_front();
    let Some(diner) = plate else { return false };
    floor.work(WALK);
    let now = floor.now();
    let mut state = floor.lock();
    if let Some(table) = state.tables.iter_mut().find(|t| t.diner == Some(diner)) {
        if table.phase == Phase::WaitingForFood {
            table.phase = Phase::Eating(now + EAT);
        }
        if state.diners[diner].served.is_none() {
            state.diners[diner].served = Some(now);
            drop(state);
            floor.say(me, "serves", format!("Dinner for Diner {}.", diner + 1));
        }
    }
    true
}

/// The next drink on the bar goes out.
fn bring_drink(floor: &Floor) -> bool {
    let drink = floor.lock().bar.pop_front();
    if drink.is_some() {
        floor.work(WALK);
    }
    drink.is_some()
}

// ANCHOR: take-order
/// Decide, walk, act: the natural first attempt. Each step holds the lock, but between the
/// look and the order the WaitBot walks, and the table it chose may change meanwhile.
async fn take_order(floor: &Floor, me: &str) -> bool {
    let ready = {
        let state = floor.lock();
        state
            .tables
            .iter()
            .position(|t| t.phase == Phase::ReadyToOrder)
    };
    let Some(table) = ready else { return false };
    floor.work(WALK);
    let diner = {
        let mut state = floor.lock();
        state.tables[table].phase = Phase::Ordering;
        state.tables[table].diner
    };
    let Some(diner) = diner else { return true };
    floor.say(me, "asks", format!("What will it be, table {}?", table + 1));
    floor.wait(GUEST_THINKS).await;
    let mut state = floor.lock();
    state.order_book.push_back(diner);
    state.drink_orders.push_back(diner);
    if state.tables[table].phase == Phase::Ordering {
        state.tables[table].phase = Phase::WaitingForFood;
    }
    true
}
// ANCHOR_END: take-order

/// Diners who have finished eating get up and go to the till; the table waits for a wipe.
fn send_to_till(floor: &Floor) -> bool {
    let now = floor.now();
    let mut state = floor.lock();
    let found = state
        .tables
        .iter()
        .position(|t| matches!(t.phase, Phase::Eating(until) if until <= now));
    let Some(table) = found else { return false };
    let diner = state.tables[table]
        .diner
        .expect("an eating table has a diner");
    state.tables[table] = Table {
        diner: None,
        phase: Phase::Empty,
        dirty: true,
    };
    state.till.push_back(diner);
    true
}

/// Decide, walk, wipe: the same shape as taking an order, and the same window for a GreetBot.
fn wipe_table(floor: &Floor, me: &str) -> bool {
    let dirty = {
        let state = floor.lock();
        state
            .tables
            .iter()
            .position(|t| t.diner.is_none() && t.dirty)
    };
    let Some(table) = dirty else { return false };
    floor.work(WALK);
    let occupied = {
        let mut state = floor.lock();
        let occupied = state.tables[table].diner.is_some();
        if occupied {
            state.collisions.seated_while_cleaning += 1;
        }
        occupied
    };
    if occupied {
        floor.say(
            me,
            "collides",
            format!("Wiping table {}, where diners just sat down!", table + 1),
        );
    }
    floor.work(WIPE);
    floor.lock().tables[table].dirty = false;
    true
}

// ANCHOR: chatty-guest
/// The chatty guest holds WaitBot 1 by the hand. On a LoopBot that holds the whole loop,
/// unless another thread does the listening.
async fn listen_to_chatty_guest(floor: &Floor, me: &str) {
    floor.lock().chat_done = true;
    let minutes = floor.evening.chatty_guest;
    floor.say(
        me,
        "chat",
        format!("A chatty guest takes {me} by the hand for {minutes} minutes."),
    );
    let talk = floor.real(minutes);
    match floor.off_loop {
        // Another thread listens; this task waits for it at an `.await`.
        Some(listen_elsewhere) => listen_elsewhere(talk).await,
        // A ThreadBot is held on its own thread; a LoopBot is held on the only thread it has.
        None => std::thread::sleep(talk),
    }
    floor.say(me, "chat", "The chatty guest lets go.".to_string());
}
// ANCHOR_END: chatty-guest

/// ChefBot: take the soufflé out when it is due, plate what is done, start what is ordered.
fn cook(floor: &Floor, me: &str) -> bool {
    let now = floor.now();
    let mut state = floor.lock();
    if state.souffle.is_none() && now >= SOUFFLE_DUE {
        let late = now - SOUFFLE_DUE;
        let souffle = Souffle {
            out_at: now,
            late,
            flopped: late > SOUFFLE_TOLERANCE,
        };
        state.souffle = Some(souffle);
        drop(state);
        let verdict = if souffle.flopped {
            "it has flopped"
        } else {
            "perfect"
        };
        floor.say(
            me,
            "souffle",
            format!("The soufflé comes out {late:.1} minutes late: {verdict}."),
        );
        return true;
    }
    if let Some(index) = state.oven.iter().position(|&(_, done)| done <= now) {
        let (diner, _) = state.oven.swap_remove(index);
        drop(state);
        floor.work(HANDLE);
        floor.lock().pass.push_back(diner);
        return true;
    }
    if let Some(diner) = state.order_book.pop_front() {
        state.orders_per_diner[diner] += 1;
        let duplicate = state.orders_per_diner[diner] > 1;
        if duplicate {
            state.collisions.duplicate_orders += 1;
        }
        drop(state);
        if duplicate {
            floor.say(
                me,
                "collides",
                format!("A second order for Diner {}!", diner + 1),
            );
        }
        floor.work(HANDLE);
        let done = floor.now() + COOK;
        floor.lock().oven.push((diner, done));
        return true;
    }
    false
}

/// How long the chef may look away: a tick, or less if the soufflé is due sooner.
fn chef_pause(floor: &Floor) -> f64 {
    if floor.lock().souffle.is_some() {
        return TICK;
    }
    (SOUFFLE_DUE - floor.now()).clamp(0.001, TICK)
}

/// WineBot: pour the next drink.
fn pour(floor: &Floor, me: &str) -> bool {
    let order = floor.lock().drink_orders.pop_front();
    if let Some(diner) = order {
        floor.work(HANDLE);
        floor.lock().bar.push_back(diner);
        floor.say(me, "pours", format!("A drink for Diner {}.", diner + 1));
        return true;
    }
    false
}
