//! The Restaurant of ThreadBots: one busy Friday evening, staffed two ways.
//!
//! ```text
//! cargo run --example restaurant -- --staff threadbots
//! cargo run --example restaurant -- --staff loopbot --runtime all
//! cargo run --example restaurant -- --staff loopbot --chatty-guest 4
//! cargo run --example restaurant -- --staff loopbot --chatty-guest 4 --chat-off-loop
//! ```
//!
//! Diners arrive on a seeded schedule; they are greeted and seated, order food and a drink,
//! eat, pay and leave. The same seven jobs (2 GreetBots, 3 WaitBots, a ChefBot, a WineBot) run
//! either as seven ThreadBots, one OS thread each, or as seven tasks on one LoopBot: a
//! single-threaded executor of tokio, async-std or smol. The book's chapter "The Restaurant of
//! ThreadBots" tells the story; `tests/restaurant.rs` checks every number it gives.

use std::collections::VecDeque;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::{Duration, Instant};

use clap::Parser;
use loopbot::cli::{self, StoryArgs};
use loopbot::meter::Meter;
use loopbot::{Runtime, StoryClock, Timeline};
use serde::Serialize;

// The evening's timings, in story minutes. Robots are fast: their work takes a second or two.
// Humans are slow: robots spend most of the evening waiting for them and for the oven.
/// How often a robot with nothing to do looks around again.
pub const TICK: f64 = 0.1;
/// Walking to a table: robot work, and the moment a ThreadBot's decision goes stale.
pub const WALK: f64 = 0.02;
/// Wiping a table clean.
pub const WIPE: f64 = 0.01;
/// Writing an order into the kitchen's book, plating a dish, pouring a drink.
pub const HANDLE: f64 = 0.005;
/// A guest thinking: window or bar, and what to eat.
pub const GUEST_THINKS: f64 = 0.5;
/// The payment terminal talking to the bank.
pub const PAYMENT: f64 = 0.5;
/// A dish in the oven.
pub const COOK: f64 = 8.0;
/// A diner eating.
pub const EAT: f64 = 10.0;
/// Tables in the restaurant.
pub const TABLES: usize = 6;
/// The soufflé must leave the oven at this story minute...
pub const SOUFFLE_DUE: f64 = 12.0;
/// ...give or take this much, or it flops.
pub const SOUFFLE_TOLERANCE: f64 = 1.0;
/// When the chatty guest takes WaitBot 1 by the hand.
pub const CHAT_STARTS: f64 = 10.0;

#[derive(Parser)]
#[command(about = "One busy Friday evening, staffed by seven ThreadBots or by one LoopBot")]
struct Args {
    #[command(flatten)]
    story: StoryArgs,
    /// Who works tonight: seven robots on seven threads, or one LoopBot doing all seven jobs.
    #[arg(long, value_enum, default_value_t = Staff::Loopbot)]
    staff: Staff,
    /// How many diners come tonight.
    #[arg(long, default_value_t = 20, value_parser = clap::value_parser!(u32).range(1..=500))]
    diners: u32,
    /// The seed for the diners' arrival times: the same seed, the same evening.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// A guest who holds WaitBot 1 by the hand for this many story minutes, from minute 10.
    #[arg(long, value_name = "MINUTES", default_value_t = 0.0, value_parser = parse_chat_minutes, allow_negative_numbers = true)]
    chatty_guest: f64,
    /// Let another thread listen to the chatty guest (tokio's spawn_blocking, async-std's
    /// spawn_blocking, smol's unblock), so the LoopBot's own thread stays free.
    #[arg(long)]
    chat_off_loop: bool,
    /// Also draw the evening as an SVG timeline into FILE (needs a single runtime).
    #[arg(long, value_name = "FILE")]
    svg: Option<std::path::PathBuf>,
}

fn parse_chat_minutes(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(minutes) if (0.0..=60.0).contains(&minutes) => Ok(minutes),
        _ => Err("the chatty guest talks for 0 to 60 story minutes".to_string()),
    }
}

/// Who staffs the restaurant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Staff {
    /// Seven robots, each on an OS thread of its own.
    Threadbots,
    /// One robot doing all seven jobs: seven tasks on one single-threaded executor.
    Loopbot,
}

/// What to serve and how.
#[derive(Clone, Copy, Debug)]
pub struct Evening {
    /// How many diners come.
    pub diners: u32,
    /// The arrival schedule's seed.
    pub seed: u64,
    /// How long the chatty guest talks, in story minutes (0: no chatty guest).
    pub chatty_guest: f64,
    /// Whether the talk is listened to on another thread.
    pub chat_off_loop: bool,
    /// How long one story minute lasts.
    pub minute: Duration,
}

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

/// The collisions of an evening, counted as they happen.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Collisions {
    /// Order slips that reached the kitchen for a diner who had already ordered.
    pub duplicate_orders: u32,
    /// Tables that got new diners while a WaitBot was on its way to wipe them.
    pub seated_while_cleaning: u32,
}

/// What happened to the soufflé.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct Souffle {
    /// The story minute it left the oven.
    pub out_at: f64,
    /// Minutes past its due time.
    pub late: f64,
    /// Whether it was late by more than the tolerance.
    pub flopped: bool,
}

/// One diner's evening, in story minutes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct DinerTimes {
    /// When the diner arrived.
    pub arrived: f64,
    /// When the diner sat down.
    pub seated: Option<f64>,
    /// When the first plate reached the table.
    pub served: Option<f64>,
    /// When the diner left.
    pub left: Option<f64>,
}

/// One robot's figures for the evening.
#[derive(Clone, Debug, Serialize)]
pub struct RobotFigures {
    /// The robot's job name.
    pub robot: String,
    /// Story minutes spent working (inside `poll`).
    pub work_minutes: f64,
    /// The share of the service spent waiting, 0 to 1.
    pub idle: f64,
}

/// What the staff costs while the service runs, read from the operating system.
#[derive(Clone, Copy, Debug, Default, Serialize)]
pub struct StaffBill {
    /// Threads the process runs during service, minus those it ran before the staff started.
    pub staff_threads: i64,
    /// Growth of the address space reserved during service, in KiB (thread stacks live here).
    pub address_space_kib: i64,
    /// Growth of resident memory during service, in KiB.
    pub resident_kib: i64,
}

/// Everything an evening produced.
pub struct Service {
    /// The staff that worked.
    pub staff: Staff,
    /// The runtime, for a LoopBot.
    pub runtime: Option<Runtime>,
    /// Who did what, when.
    pub timeline: Timeline,
    /// Each robot's work and idle time.
    pub robots: Vec<RobotFigures>,
    /// The LoopBot's whole thread: all seven jobs together (None for ThreadBots).
    pub loopbot: Option<RobotFigures>,
    /// tokio's own count of its worker's busy time, beside our meter (tokio only).
    pub tokio_busy_minutes: Option<f64>,
    /// The evening's collisions.
    pub collisions: Collisions,
    /// The soufflé.
    pub souffle: Option<Souffle>,
    /// Every diner, by number.
    pub diners: Vec<DinerTimes>,
    /// What the staff cost.
    pub bill: StaffBill,
    /// Story minutes from opening to the last diner leaving.
    pub length: f64,
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Phase {
    /// Nobody at the table.
    Empty,
    /// Diners sat down and are ready to order.
    ReadyToOrder,
    /// A WaitBot is taking the order.
    Ordering,
    /// The order is in; the diners wait for food.
    WaitingForFood,
    /// Eating until the given minute.
    Eating(f64),
}

#[derive(Clone, Copy, Debug)]
struct Table {
    diner: Option<usize>,
    phase: Phase,
    dirty: bool,
}

/// The restaurant's shared state. Every robot step locks it, does one thing, and lets go.
struct Restaurant {
    door: VecDeque<usize>,
    lounge: VecDeque<usize>,
    tables: Vec<Table>,
    order_book: VecDeque<usize>,
    orders_per_diner: Vec<u32>,
    drink_orders: VecDeque<usize>,
    oven: Vec<(usize, f64)>,
    pass: VecDeque<usize>,
    bar: VecDeque<usize>,
    till: VecDeque<usize>,
    diners: Vec<DinerTimes>,
    left: usize,
    collisions: Collisions,
    souffle: Option<Souffle>,
    chat_done: bool,
}

/// What every robot shares: the restaurant, the clock, the timeline, and how to wait.
struct Floor {
    state: Mutex<Restaurant>,
    timeline: Timeline,
    evening: Evening,
    /// The runtime a LoopBot waits on; ThreadBots wait by parking their own thread.
    runtime: Option<Runtime>,
}

impl Floor {
    fn lock(&self) -> MutexGuard<'_, Restaurant> {
        self.state
            .lock()
            .expect("no robot panics while holding the restaurant")
    }

    fn now(&self) -> f64 {
        self.timeline.clock().now()
    }

    fn closed(&self) -> bool {
        self.lock().left == self.evening.diners as usize
    }

    // ANCHOR: wait-and-work
    /// Waiting for someone else (a guest, the oven, the bank): the robot's thread is free.
    async fn wait(&self, minutes: f64) {
        let real = self.timeline.clock().minutes(minutes);
        match self.runtime {
            Some(runtime) => runtime.sleep(real).await,
            // A ThreadBot runs its job alone on its thread: the timer parks that thread.
            None => {
                smol::Timer::after(real).await;
            }
        }
    }

    /// Robot work: it keeps the robot's processor busy and holds its thread, with no
    /// `.await` anywhere inside.
    fn work(&self, minutes: f64) {
        let done = std::time::Instant::now() + self.timeline.clock().minutes(minutes);
        while std::time::Instant::now() < done {
            std::hint::spin_loop();
        }
    }
    // ANCHOR_END: wait-and-work

    fn say(&self, actor: &str, event: &str, line: String) {
        self.timeline.record(actor, event, &line);
    }
}

/// Runs one evening with `staff` (and, for a LoopBot, `runtime`).
pub fn serve(staff: Staff, runtime: Runtime, evening: Evening) -> Service {
    let runtime = (staff == Staff::Loopbot).then_some(runtime);
    let before = ProcessStatus::read();
    let floor = Arc::new(Floor {
        state: Mutex::new(Restaurant {
            door: VecDeque::new(),
            lounge: VecDeque::new(),
            tables: vec![
                Table {
                    diner: None,
                    phase: Phase::Empty,
                    dirty: false,
                };
                TABLES
            ],
            order_book: VecDeque::new(),
            orders_per_diner: vec![0; evening.diners as usize],
            drink_orders: VecDeque::new(),
            oven: Vec::new(),
            pass: VecDeque::new(),
            bar: VecDeque::new(),
            till: VecDeque::new(),
            diners: Vec::new(),
            left: 0,
            collisions: Collisions::default(),
            souffle: None,
            chat_done: evening.chatty_guest == 0.0,
        }),
        timeline: match runtime {
            Some(runtime) => Timeline::on_runtime(StoryClock::new(evening.minute), runtime),
            None => Timeline::on_runtime(StoryClock::new(evening.minute), "threadbots"),
        },
        evening,
        runtime,
    });
    for job in ROSTER {
        floor.say(
            &job.name(),
            "on duty",
            format!("{} is on duty.", job.name()),
        );
    }
    let meters: Vec<Meter> = ROSTER.iter().map(|_| Meter::new()).collect();
    let opened = Instant::now();
    let peak = Arc::new(Mutex::new(before));
    let mut tokio_busy = None;
    // ANCHOR: staffs
    match runtime {
        None => {
            std::thread::scope(|scope| {
                for (job, meter) in ROSTER.iter().zip(&meters) {
                    let floor = floor.clone();
                    std::thread::Builder::new()
                        .name(job.name())
                        .spawn_scoped(scope, move || {
                            futures::executor::block_on(meter.track(work_shift(*job, floor)))
                        })
                        .expect("the OS gives us a thread per robot");
                }
                // The street is not staff: diners arrive on the main thread.
                futures::executor::block_on(street(floor.clone(), peak.clone()));
            });
        }
        Some(runtime) => {
            tokio_busy = runtime.block_on({
                let floor = floor.clone();
                let meters = meters.clone();
                let peak = peak.clone();
                async move {
                    let shifts: Vec<_> = ROSTER
                        .iter()
                        .zip(&meters)
                        .map(|(job, meter)| {
                            runtime.spawn_local(meter.track(work_shift(*job, floor.clone())))
                        })
                        .collect();
                    street(floor.clone(), peak).await;
                    for shift in shifts {
                        shift.await;
                    }
                    (runtime == Runtime::Tokio).then(|| {
                        tokio::runtime::Handle::current()
                            .metrics()
                            .worker_total_busy_duration(0)
                    })
                }
            });
        }
    }
    // ANCHOR_END: staffs
    let wall = opened.elapsed();
    let clock = *floor.timeline.clock();
    let figures = |robot: String, meter: &Meter| RobotFigures {
        robot,
        work_minutes: clock.to_story_minutes(meter.busy()),
        idle: meter.idle_fraction(wall),
    };
    let robots: Vec<RobotFigures> = ROSTER
        .iter()
        .zip(&meters)
        .map(|(job, meter)| figures(job.name(), meter))
        .collect();
    let loopbot = runtime.map(|_| {
        let busy: Duration = meters.iter().map(Meter::busy).sum();
        RobotFigures {
            robot: "LoopBot (all seven jobs)".to_string(),
            work_minutes: clock.to_story_minutes(busy),
            idle: 1.0 - busy.as_secs_f64() / wall.as_secs_f64(),
        }
    });
    let peak = *peak.lock().unwrap();
    let state = floor.lock();
    Service {
        staff,
        runtime,
        timeline: floor.timeline.clone(),
        robots,
        loopbot,
        tokio_busy_minutes: tokio_busy.map(|busy| clock.to_story_minutes(busy)),
        collisions: state.collisions,
        souffle: state.souffle,
        diners: state.diners.clone(),
        bill: peak.minus(&before),
        length: clock.to_story_minutes(wall),
    }
}

/// Diners arriving on the seeded schedule, half a minute to two and a half minutes apart.
async fn street(floor: Arc<Floor>, peak: Arc<Mutex<ProcessStatus>>) {
    let mut rng = fastrand::Rng::with_seed(floor.evening.seed);
    let mut due = 0.0;
    for diner in 0..floor.evening.diners as usize {
        let wait = due - floor.now();
        if wait > 0.0 {
            floor.wait(wait).await;
        }
        {
            let mut state = floor.lock();
            state.diners.push(DinerTimes {
                arrived: floor.now(),
                ..DinerTimes::default()
            });
            state.door.push_back(diner);
        }
        floor.say("street", "arrives", format!("Diner {} arrives.", diner + 1));
        // Staff are all at work by now: what the process holds now is what the staff costs.
        peak.lock().unwrap().raise_to(&ProcessStatus::read());
        due += 0.5 + 2.0 * rng.f64();
    }
}

/// One robot's shift: look around, do the first thing that needs doing, repeat until the last
/// diner has left. With nothing to do, wait a tick.
async fn work_shift(job: Job, floor: Arc<Floor>) {
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
    let paying = floor.lock().till.pop_front();
    if let Some(diner) = paying {
        floor.wait(PAYMENT).await;
        let now = floor.now();
        let mut state = floor.lock();
        state.diners[diner].left = Some(now);
        state.left += 1;
        drop(state);
        floor.say(me, "bill", format!("Diner {} pays and leaves.", diner + 1));
        return true;
    }
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
    if let Some((table, diner)) = seating {
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
        return true;
    }
    let next = floor.lock().door.pop_front();
    if let Some(diner) = next {
        floor.say(me, "greets", format!("Window or bar, Diner {}?", diner + 1));
        floor.wait(GUEST_THINKS).await;
        floor.lock().lounge.push_back(diner);
        return true;
    }
    false
}

/// WaitBot: bring what is ready, take an order, send finished diners to pay, wipe a table.
async fn wait_tables(floor: &Floor, me: &str, number: u8) -> bool {
    if number == 1 && !floor.lock().chat_done && floor.now() >= CHAT_STARTS {
        listen_to_chatty_guest(floor, me).await;
        return true;
    }
    let plate = floor.lock().pass.pop_front();
    if let Some(diner) = plate {
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
        return true;
    }
    let drink = floor.lock().bar.pop_front();
    if drink.is_some() {
        floor.work(WALK);
        return true;
    }
    // ANCHOR: take-order
    // Decide, walk, act: the natural first attempt. Each step holds
    // the lock, but between the look and the order the WaitBot walks,
    // and the table it chose may change meanwhile.
    let ready = {
        let state = floor.lock();
        state
            .tables
            .iter()
            .position(|t| t.phase == Phase::ReadyToOrder)
    };
    if let Some(table) = ready {
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
        return true;
    }
    // ANCHOR_END: take-order
    let now = floor.now();
    let finished = {
        let mut state = floor.lock();
        let found = state
            .tables
            .iter()
            .position(|t| matches!(t.phase, Phase::Eating(until) if until <= now));
        if let Some(table) = found {
            let diner = state.tables[table]
                .diner
                .expect("an eating table has a diner");
            // The diners get up and go to the till; the table waits for a wipe.
            state.tables[table] = Table {
                diner: None,
                phase: Phase::Empty,
                dirty: true,
            };
            state.till.push_back(diner);
        }
        found
    };
    if finished.is_some() {
        return true;
    }
    let dirty = {
        let state = floor.lock();
        state
            .tables
            .iter()
            .position(|t| t.diner.is_none() && t.dirty)
    };
    if let Some(table) = dirty {
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
        return true;
    }
    false
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
    let talk = floor.timeline.clock().minutes(minutes);
    match floor.runtime {
        Some(runtime) if floor.evening.chat_off_loop => {
            runtime.unblock(move || std::thread::sleep(talk)).await;
        }
        // A ThreadBot is held on its own thread; a LoopBot is held on the only thread it has.
        _ => std::thread::sleep(talk),
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

/// Threads and memory of this process, from `/proc/self/status` (zero where there is none).
#[derive(Clone, Copy, Debug, Default)]
struct ProcessStatus {
    threads: i64,
    address_space_kib: i64,
    resident_kib: i64,
}

impl ProcessStatus {
    fn read() -> Self {
        let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
        let field = |name: &str| -> i64 {
            status
                .lines()
                .find_map(|line| line.strip_prefix(name))
                .and_then(|rest| rest.split_whitespace().next())
                .and_then(|value| value.parse().ok())
                .unwrap_or(0)
        };
        ProcessStatus {
            threads: field("Threads:"),
            address_space_kib: field("VmSize:"),
            resident_kib: field("VmRSS:"),
        }
    }

    fn raise_to(&mut self, other: &ProcessStatus) {
        self.threads = self.threads.max(other.threads);
        self.address_space_kib = self.address_space_kib.max(other.address_space_kib);
        self.resident_kib = self.resident_kib.max(other.resident_kib);
    }

    fn minus(&self, before: &ProcessStatus) -> StaffBill {
        StaffBill {
            staff_threads: self.threads - before.threads,
            address_space_kib: self.address_space_kib - before.address_space_kib,
            resident_kib: self.resident_kib - before.resident_kib,
        }
    }
}

fn print_service(service: &Service, json: bool) {
    if json {
        print!("{}", service.timeline.to_json_lines());
        let tag = serde_json::json!({
            "staff": format!("{:?}", service.staff).to_lowercase(),
            "runtime": service.runtime.map(Runtime::name),
        });
        let mut figures = vec![
            serde_json::json!({"figure": "collisions", "counts": service.collisions}),
            serde_json::json!({"figure": "souffle", "souffle": service.souffle}),
            serde_json::json!({"figure": "staff_bill", "bill": service.bill}),
            serde_json::json!({"figure": "length", "minutes": service.length}),
        ];
        for robot in service.robots.iter().chain(&service.loopbot) {
            figures.push(serde_json::json!({"figure": "robot", "robot": robot}));
        }
        if let Some(busy) = service.tokio_busy_minutes {
            figures.push(serde_json::json!({"figure": "tokio_busy", "minutes": busy}));
        }
        for (number, diner) in service.diners.iter().enumerate() {
            figures
                .push(serde_json::json!({"figure": "diner", "diner": number + 1, "times": diner}));
        }
        for mut figure in figures {
            figure["staff"] = tag["staff"].clone();
            figure["runtime"] = tag["runtime"].clone();
            println!("{figure}");
        }
        return;
    }
    print!("{}", service.timeline.to_text());
    println!();
    let c = service.collisions;
    println!(
        "Collisions: {}, {} seated while being wiped.",
        count(
            c.duplicate_orders.into(),
            "duplicate order",
            "duplicate orders"
        ),
        count(c.seated_while_cleaning.into(), "table", "tables")
    );
    if let Some(souffle) = service.souffle {
        let verdict = if souffle.flopped {
            "flopped"
        } else {
            "perfect"
        };
        println!(
            "Soufflé: out at minute {:.1}, {:.1} minutes late: {verdict}.",
            souffle.out_at, souffle.late
        );
    }
    let waits: Vec<f64> = service
        .diners
        .iter()
        .filter_map(|d| d.served.map(|served| served - d.arrived))
        .collect();
    let average = waits.iter().sum::<f64>() / waits.len().max(1) as f64;
    println!(
        "Diners: {} served, {average:.1} minutes on average from the door to their dinner.",
        waits.len()
    );
    println!("\n{:<26} {:>12} {:>8}", "Robot", "work (min)", "idle");
    for robot in service.robots.iter().chain(&service.loopbot) {
        println!(
            "{:<26} {:>12.2} {:>7.1}%",
            robot.robot,
            robot.work_minutes,
            robot.idle * 100.0
        );
    }
    if let Some(busy) = service.tokio_busy_minutes {
        println!("{:<26} {:>12.2}", "tokio's own busy metric", busy);
    }
    let bill = service.bill;
    println!(
        "\nStaff bill while serving: {} more {}, {} KiB more address space, {} KiB more resident memory.",
        bill.staff_threads,
        if bill.staff_threads == 1 {
            "thread"
        } else {
            "threads"
        },
        bill.address_space_kib,
        bill.resident_kib
    );
}

/// `1 table`, `2 tables`.
fn count(n: i64, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn main() {
    let args: Args = cli::parse_or_exit();
    let evening = Evening {
        diners: args.diners,
        seed: args.seed,
        chatty_guest: args.chatty_guest,
        chat_off_loop: args.chat_off_loop,
        minute: Duration::from_millis(args.story.minute_ms),
    };
    let runtimes = match args.staff {
        Staff::Threadbots => vec![Runtime::Tokio],
        Staff::Loopbot => args.story.runtime.runtimes(),
    };
    if args.svg.is_some() && runtimes.len() > 1 {
        cli::exit_with_usage_error(
            "restaurant: --svg draws one evening: pick one runtime, not all",
        );
    }
    for (index, runtime) in runtimes.into_iter().enumerate() {
        if !args.story.json {
            if index > 0 {
                println!();
            }
            let who = match args.staff {
                Staff::Threadbots => "seven ThreadBots, one thread each".to_string(),
                Staff::Loopbot => format!("one LoopBot on {runtime}"),
            };
            println!(
                "Busy Friday: {} diners (seed {}), staffed by {who}; 1 story minute = {} ms",
                args.diners, args.seed, args.story.minute_ms
            );
        }
        let service = serve(args.staff, runtime, evening);
        print_service(&service, args.story.json);
        if let Some(path) = &args.svg {
            let who = match args.staff {
                Staff::Threadbots => "seven ThreadBots".to_string(),
                Staff::Loopbot => format!("one LoopBot on {runtime}"),
            };
            let title = format!("{} diners, {who}", args.diners);
            if let Err(error) = std::fs::write(path, service.timeline.to_svg(&title)) {
                eprintln!("restaurant: cannot write {}: {error}", path.display());
                std::process::exit(1);
            }
        }
    }
}
