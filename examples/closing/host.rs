//! Closing time on each runtime: the host seats diners as they arrive until the manager says
//! the house is closing, then waits until every seated diner has finished, or drops the
//! diners' handles and goes home (which each runtime takes to mean something else), or sends
//! the diners home and sees the last one out.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

// ANCHOR: evening
/// A diner arrives every 4 minutes from minute 2 to minute 30, and eats for 8 minutes.
pub const ARRIVALS: [u32; 8] = [2, 6, 10, 14, 18, 22, 26, 30];
pub const EATING: u32 = 8;
/// The manager closes the house at minute 20.
pub const CLOSING: u32 = 20;

/// What the house counts, and its book: who did what, and when.
#[derive(Debug)]
pub struct Ledger {
    pub opened: Instant,
    pub seated: AtomicU32,
    /// Diners with a booking after closing time: phoned, and told not to come.
    pub phoned: AtomicU32,
    pub served: AtomicU32,
    /// Diners whose meal was dropped before they finished it.
    pub left_hungry: AtomicU32,
    pub book: Mutex<Vec<(Duration, String, &'static str)>>,
}

impl Ledger {
    pub fn new() -> Ledger {
        Ledger {
            opened: Instant::now(),
            seated: AtomicU32::new(0),
            phoned: AtomicU32::new(0),
            served: AtomicU32::new(0),
            left_hungry: AtomicU32::new(0),
            book: Mutex::new(Vec::new()),
        }
    }

    /// Writes in the book that `who` did `what`, now.
    pub fn note(&self, who: String, what: &'static str) {
        let entry = (self.opened.elapsed(), who, what);
        self.book
            .lock()
            .expect("no one panics while writing")
            .push(entry);
    }
}

/// What the host does at closing time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Policy {
    /// Waits until every seated diner has finished.
    Wait,
    /// Drops the diners' handles and goes home.
    Drop,
    /// Cancels every meal still going, and waits until each diner has left.
    Cancel,
}

/// Held by a diner at the table. If the meal is dropped before it is over, this is dropped
/// with it, and counts a diner who left hungry.
struct AtTable {
    diner: u32,
    finished: bool,
    ledger: Arc<Ledger>,
}

impl Drop for AtTable {
    fn drop(&mut self) {
        let (count, what) = match self.finished {
            true => (&self.ledger.served, "finishes"),
            false => (&self.ledger.left_hungry, "leaves hungry"),
        };
        count.fetch_add(1, Ordering::SeqCst);
        self.ledger.note(format!("Diner {}", self.diner), what);
    }
}

/// Counts `n` into `counter`.
fn add(counter: &AtomicU32, n: usize) {
    counter.fetch_add(n as u32, Ordering::SeqCst);
}
// ANCHOR_END: evening

// ANCHOR: tokio
/// One diner's meal.
async fn dine_tokio(minute: Duration, diner: u32, ledger: Arc<Ledger>) {
    ledger.note(format!("Diner {diner}"), "sits down");
    let mut table = AtTable {
        diner,
        finished: false,
        ledger,
    };
    tokio::time::sleep(EATING * minute).await; // dropped here if the meal is cancelled
    table.finished = true;
}

/// The host's evening, from opening to going home.
async fn host_tokio(minute: Duration, policy: Policy, ledger: Arc<Ledger>) {
    let opened = tokio::time::Instant::now();
    let closing = tokio_util::sync::CancellationToken::new();
    let manager = closing.clone();
    tokio::spawn(async move {
        tokio::time::sleep_until(opened + CLOSING * minute).await;
        manager.cancel(); // "We're closing."
    });
    let mut diners = tokio::task::JoinSet::new();
    for (seated, arrival) in ARRIVALS.into_iter().enumerate() {
        tokio::select! {
            () = tokio::time::sleep_until(opened + arrival * minute) => {
                diners.spawn(dine_tokio(minute, seated as u32 + 1, ledger.clone()));
                add(&ledger.seated, 1);
            }
            () = closing.cancelled() => {
                add(&ledger.phoned, ARRIVALS.len() - seated);
                ledger.note("Host".into(), "closes the door");
                break;
            }
        }
    }
    match policy {
        Policy::Wait => {
            while let Some(meal) = diners.join_next().await {
                meal.expect("no diner panics");
            }
        }
        Policy::Drop => drop(diners), // a dropped JoinSet aborts every task in it
        Policy::Cancel => diners.shutdown().await, // aborts them all, and waits for each
    }
    ledger.note("Host".into(), "goes home");
}
// ANCHOR_END: tokio

// ANCHOR: async_std
/// One diner's meal.
async fn dine_async_std(minute: Duration, diner: u32, ledger: Arc<Ledger>) {
    ledger.note(format!("Diner {diner}"), "sits down");
    let mut table = AtTable {
        diner,
        finished: false,
        ledger,
    };
    async_std::task::sleep(EATING * minute).await; // dropped here if the meal is cancelled
    table.finished = true;
}

/// The host's evening, from opening to going home.
async fn host_async_std(minute: Duration, policy: Policy, ledger: Arc<Ledger>) {
    use futures::future::{Either, select};
    let opened = Instant::now();
    // No token: closing a channel is the sign, since every `recv` then fails at once.
    let (manager, closing) = async_std::channel::bounded::<()>(1);
    async_std::task::spawn(async move {
        async_std::task::sleep(CLOSING * minute).await;
        manager.close(); // "We're closing."
    });
    let mut diners = Vec::new();
    for (seated, arrival) in ARRIVALS.into_iter().enumerate() {
        let until_arrival = (opened + arrival * minute).saturating_duration_since(Instant::now());
        let arrives = std::pin::pin!(async_std::task::sleep(until_arrival));
        match select(arrives, std::pin::pin!(closing.recv())).await {
            Either::Left(_) => {
                let diner = dine_async_std(minute, seated as u32 + 1, ledger.clone());
                diners.push(async_std::task::spawn(diner));
                add(&ledger.seated, 1);
            }
            Either::Right(_) => {
                add(&ledger.phoned, ARRIVALS.len() - seated);
                ledger.note("Host".into(), "closes the door");
                break;
            }
        }
    }
    match policy {
        Policy::Wait => futures::future::join_all(diners)
            .await
            .into_iter()
            .collect(),
        Policy::Drop => drop(diners), // a dropped JoinHandle detaches: the diners eat on
        Policy::Cancel => {
            for diner in diners {
                diner.cancel().await; // cancels the task, and waits until it has stopped
            }
        }
    }
    ledger.note("Host".into(), "goes home");
}
// ANCHOR_END: async_std

// ANCHOR: smol
/// One diner's meal.
async fn dine_smol(minute: Duration, diner: u32, ledger: Arc<Ledger>) {
    ledger.note(format!("Diner {diner}"), "sits down");
    let mut table = AtTable {
        diner,
        finished: false,
        ledger,
    };
    smol::Timer::after(EATING * minute).await; // dropped here if the meal is cancelled
    table.finished = true;
}

/// The host's evening, from opening to going home.
async fn host_smol(minute: Duration, policy: Policy, ledger: Arc<Ledger>) {
    let opened = Instant::now();
    // No token: closing a channel is the sign, since every `recv` then fails at once.
    let (manager, closing) = smol::channel::bounded::<()>(1);
    smol::spawn(async move {
        smol::Timer::at(opened + CLOSING * minute).await;
        manager.close(); // "We're closing."
    })
    .detach();
    let mut diners = Vec::new();
    for (seated, arrival) in ARRIVALS.into_iter().enumerate() {
        let arrives = async {
            smol::Timer::at(opened + arrival * minute).await;
            true
        };
        let closes = async {
            let _ = closing.recv().await; // fails once the channel is closed
            false
        };
        if smol::future::or(closes, arrives).await {
            diners.push(smol::spawn(dine_smol(
                minute,
                seated as u32 + 1,
                ledger.clone(),
            )));
            add(&ledger.seated, 1);
        } else {
            add(&ledger.phoned, ARRIVALS.len() - seated);
            ledger.note("Host".into(), "closes the door");
            break;
        }
    }
    match policy {
        Policy::Wait => futures::future::join_all(diners)
            .await
            .into_iter()
            .collect(),
        Policy::Drop => drop(diners), // a dropped smol Task is cancelled
        Policy::Cancel => {
            for diner in diners {
                diner.cancel().await; // cancels the task, and waits until it has stopped
            }
        }
    }
    ledger.note("Host".into(), "goes home");
}
// ANCHOR_END: smol

/// What one evening showed, in story minutes from opening.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Evening {
    pub seated: u32,
    pub phoned: u32,
    /// Diners who finished their meal by the time the host went home.
    pub served: u32,
    /// Diners whose meal was dropped, by the time the host went home and the runtime with it.
    pub left_hungry: u32,
    /// When the host went home.
    pub went_home_at: f64,
    /// Diners who finished their meal after the host went home.
    pub served_after: u32,
    /// The house's book: story minute, who, what.
    #[serde(skip)]
    pub book: Vec<(f64, String, &'static str)>,
}

/// Runs one evening: `host` on its runtime's `block_on`, then a wait of `after`, to see who
/// still finishes with nobody waiting for them.
pub fn evening(minute: Duration, after: Duration, run: impl FnOnce(Arc<Ledger>)) -> Evening {
    let ledger = Arc::new(Ledger::new());
    run(ledger.clone());
    let went_home = ledger.opened.elapsed();
    let served = ledger.served.load(Ordering::SeqCst);
    std::thread::sleep(after);
    Evening {
        seated: ledger.seated.load(Ordering::SeqCst),
        phoned: ledger.phoned.load(Ordering::SeqCst),
        served,
        left_hungry: ledger.left_hungry.load(Ordering::SeqCst),
        went_home_at: went_home.as_secs_f64() / minute.as_secs_f64(),
        served_after: ledger.served.load(Ordering::SeqCst) - served,
        book: ledger
            .book
            .lock()
            .expect("no one panics while writing")
            .iter()
            .map(|(at, who, what)| (at.as_secs_f64() / minute.as_secs_f64(), who.clone(), *what))
            .collect(),
    }
}

/// The evening on a current-thread tokio runtime, which is dropped when the host goes home.
pub fn on_tokio(minute: Duration, policy: Policy, after: Duration) -> Evening {
    evening(minute, after, |ledger| {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("tokio starts");
        runtime.block_on(host_tokio(minute, policy, ledger));
    })
}

/// The evening inside async-std's `block_on`; the diners run on its global executor.
pub fn on_async_std(minute: Duration, policy: Policy, after: Duration) -> Evening {
    evening(minute, after, |ledger| {
        async_std::task::block_on(host_async_std(minute, policy, ledger));
    })
}

/// The evening inside smol's `block_on`; the diners run on its global executor.
pub fn on_smol(minute: Duration, policy: Policy, after: Duration) -> Evening {
    evening(minute, after, |ledger| {
        smol::block_on(host_smol(minute, policy, ledger));
    })
}
