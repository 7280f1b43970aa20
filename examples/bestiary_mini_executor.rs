//! A LoopBot built from scratch: a run queue, wakers, a timer, `spawn` and `block_on`, with
//! nothing but the standard library. Then the Lunch story runs on it.
//!
//! ```text
//! cargo run --example bestiary_mini_executor
//! cargo run --example bestiary_mini_executor -- --json --minute-ms 20
//! ```
//!
//! It takes no `--runtime`: it is its own runtime.
//!
//! The last page of the book's chapter "A Bestiary", "Callbacks and the Event Loop"
//! (`src/bestiary-loop.md`), walks through it; `tests/bestiary.rs` checks that lunch on it keeps
//! the order and the 10 minutes it has on tokio, async-std and smol.

// The executor: the standard library only.
// ANCHOR: shared
use std::cell::RefCell;
use std::collections::{BTreeMap, VecDeque};
use std::future::Future;
use std::pin::{Pin, pin};
use std::sync::{Arc, Condvar, Mutex, Weak};
use std::task::{Context, Poll, Wake, Waker};
use std::time::{Duration, Instant};

/// What the loop and every waker share. Wakers may be called from any thread (a cleaner
/// finishing a shirt), so it sits behind a mutex, with a bell to wake an idle loop.
struct Shared {
    state: Mutex<State>,
    bell: Condvar,
}

#[derive(Default)]
struct State {
    /// Tasks that were woken and wait for their turn to be polled.
    run_queue: VecDeque<Arc<Task>>,
    /// Futures asleep until a deadline, with the waker to call then, sorted by deadline (a
    /// number tells apart two sleeps with the same deadline): the earliest wakes first.
    sleepers: BTreeMap<(Instant, u64), Waker>,
    /// The number the next sleep gets.
    next_sleeper: u64,
    /// Every task spawned, so that the loop can drop what is left of them when it ends.
    tasks: Vec<Weak<Task>>,
    /// Whether the future given to `block_on` was woken.
    main_woken: bool,
}

thread_local! {
    // The loop running on this thread, so `spawn` and `sleep` can find it.
    static CURRENT: RefCell<Option<Arc<Shared>>> = const { RefCell::new(None) };
}

fn current() -> Arc<Shared> {
    CURRENT
        .with(|current| current.borrow().clone())
        .expect("spawn and sleep work only inside block_on")
}
// ANCHOR_END: shared

// ANCHOR: task
/// A spawned future. Its waker is the task itself: waking it puts it back in the run queue.
struct Task {
    future: Mutex<Option<Pin<Box<dyn Future<Output = ()> + Send>>>>,
    shared: Arc<Shared>,
}

impl Wake for Task {
    fn wake(self: Arc<Self>) {
        let shared = self.shared.clone();
        shared.state.lock().unwrap().run_queue.push_back(self);
        shared.bell.notify_one();
    }
}

/// The waker of the future given to `block_on`, which is not a task in the queue.
struct MainWaker(Arc<Shared>);

impl Wake for MainWaker {
    fn wake(self: Arc<Self>) {
        self.0.state.lock().unwrap().main_woken = true;
        self.0.bell.notify_one();
    }
}
// ANCHOR_END: task

// ANCHOR: spawn
/// The receipt for a spawned task: await it for the task's output.
pub struct JoinHandle<T> {
    slot: Arc<Mutex<(Option<T>, Option<Waker>)>>,
}

/// Hands `future` to the loop and returns at once; the loop polls it when it gets a turn.
pub fn spawn<F>(future: F) -> JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    let slot = Arc::new(Mutex::new((None, None::<Waker>)));
    let receipt = slot.clone();
    let future = async move {
        let output = future.await;
        let mut slot = receipt.lock().unwrap();
        slot.0 = Some(output);
        // Whoever awaits the handle is told that the result is in.
        if let Some(waker) = slot.1.take() {
            waker.wake();
        }
    };
    let task = Arc::new(Task {
        future: Mutex::new(Some(Box::pin(future))),
        shared: current(),
    });
    {
        let mut state = task.shared.state.lock().unwrap();
        state.tasks.retain(|task| task.strong_count() > 0); // forget the finished
        state.tasks.push(Arc::downgrade(&task));
    }
    task.wake(); // a new task is ready to run
    JoinHandle { slot }
}

impl<T> Future for JoinHandle<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        let mut slot = self.slot.lock().unwrap();
        match slot.0.take() {
            Some(output) => Poll::Ready(output),
            None => {
                slot.1 = Some(cx.waker().clone());
                Poll::Pending
            }
        }
    }
}
// ANCHOR_END: spawn

// ANCHOR: sleep
/// A future that is ready once its deadline has passed.
pub struct Sleep {
    deadline: Instant,
    /// Its place in the loop's timer, once it has been polled.
    key: Option<(Instant, u64)>,
}

/// Waits for `duration` without holding the thread.
pub fn sleep(duration: Duration) -> Sleep {
    Sleep {
        deadline: Instant::now() + duration,
        key: None,
    }
}

impl Future for Sleep {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<()> {
        let deadline = self.deadline;
        if Instant::now() >= deadline {
            return Poll::Ready(());
        }
        // Not yet: leave the waker with the loop, which calls it at the deadline. Polled again
        // before then, the sleep keeps its one place and only swaps in the newest waker.
        let shared = current();
        let mut state = shared.state.lock().unwrap();
        let key = *self.key.get_or_insert_with(|| {
            state.next_sleeper += 1;
            (deadline, state.next_sleeper)
        });
        state.sleepers.insert(key, cx.waker().clone());
        Poll::Pending
    }
}
// ANCHOR_END: sleep

// ANCHOR: block_on
/// Runs `future` and every task it spawns on this thread, until `future` is done.
pub fn block_on<F: Future>(future: F) -> F::Output {
    let shared = Arc::new(Shared {
        state: Mutex::new(State {
            main_woken: true, // poll the main future once to start
            ..State::default()
        }),
        bell: Condvar::new(),
    });
    let previous = CURRENT.replace(Some(shared.clone()));
    let main_waker = Waker::from(Arc::new(MainWaker(shared.clone())));
    let mut main = pin!(future);
    let output = loop {
        let (main_woken, next_task) = {
            let mut state = shared.state.lock().unwrap();
            let main_woken = std::mem::take(&mut state.main_woken);
            (main_woken, state.run_queue.pop_front())
        };
        if main_woken
            && let Poll::Ready(output) = main.as_mut().poll(&mut Context::from_waker(&main_waker))
        {
            break output;
        }
        if let Some(task) = next_task {
            let waker = Waker::from(task.clone());
            let mut future = task.future.lock().unwrap();
            if let Some(running) = future.as_mut()
                && running
                    .as_mut()
                    .poll(&mut Context::from_waker(&waker))
                    .is_ready()
            {
                *future = None; // done: a late wake-up finds nothing to poll
            }
            continue;
        }
        if !main_woken {
            wait_for_work(&shared);
        }
    };
    drop_unfinished_tasks(&shared);
    CURRENT.set(previous);
    output
}

/// Tasks still running when the main future is done are dropped with the loop. Their futures
/// are dropped with the lock released: dropping one may wake another task, and that waker takes
/// the lock (a `std::sync::Mutex` taken twice on one thread deadlocks). Dropping each future
/// also breaks the cycles of tasks that hold one another's wakers, which would otherwise keep
/// them alive for ever.
fn drop_unfinished_tasks(shared: &Shared) {
    let tasks = std::mem::take(&mut shared.state.lock().unwrap().tasks);
    for task in tasks.iter().filter_map(Weak::upgrade) {
        let future = task.future.lock().unwrap().take();
        drop(future); // with no lock held
    }
    let mut state = shared.state.lock().unwrap();
    let leftovers = (
        std::mem::take(&mut state.run_queue),
        std::mem::take(&mut state.sleepers),
    );
    drop(state);
    drop(leftovers);
}

/// Nothing is ready: wake the sleepers whose deadline has passed, earliest deadline first, or
/// else sleep until the next deadline or until a waker rings the bell, whichever comes first.
fn wait_for_work(shared: &Shared) {
    let mut state = shared.state.lock().unwrap();
    if state.main_woken || !state.run_queue.is_empty() {
        return;
    }
    let now = Instant::now();
    // Everything before `(now, u64::MAX)` is due; it stays sorted, so a loop held up past
    // several deadlines still serves the 3-minute dish before the 10-minute one.
    let waiting = state.sleepers.split_off(&(now, u64::MAX));
    let due = std::mem::replace(&mut state.sleepers, waiting);
    let next_deadline = state.sleepers.keys().next().map(|(deadline, _)| *deadline);
    if !due.is_empty() {
        drop(state); // a waker takes the lock itself
        due.into_values().for_each(Waker::wake);
    } else if let Some(deadline) = next_deadline {
        drop(shared.bell.wait_timeout(state, deadline - now).unwrap());
    } else {
        drop(shared.bell.wait(state).unwrap());
    }
}
// ANCHOR_END: block_on

// The story: Lunch, as in examples/lunch.rs, on the executor above.
use clap::Parser;
use loopbot::cli::{self, ClockArgs};
use loopbot::{StoryClock, Timeline};

/// The dishes and how long each takes, in story minutes.
pub const PASTA_MINUTES: f64 = 10.0;
pub const MEATLOAF_MINUTES: f64 = 3.0;
pub const AVOCADO_MINUTES: f64 = 2.0;

/// What the timeline calls this executor, in JSON and in the heading.
pub const NAME: &str = "mini-executor";

#[derive(Parser)]
#[command(about = "Cook lunch on a LoopBot built from the standard library alone")]
struct Args {
    #[command(flatten)]
    story: ClockArgs,
}

// ANCHOR: lunch
/// A dish a machine cooks: start it, then wait without holding the thread.
async fn machine_cooks(timeline: Timeline, dish: &str, minutes: f64, start: &str, done: &str) {
    timeline.record(dish, "start", start);
    sleep(timeline.clock().minutes(minutes)).await;
    timeline.record(dish, "done", done);
}

/// The avocado: peeled by hand, so the thread is busy and nothing else on it runs.
async fn peel_avocado(timeline: Timeline) {
    timeline.record("avocado", "start", "Peeling and slicing the avocado.");
    std::thread::sleep(timeline.clock().minutes(AVOCADO_MINUTES));
    timeline.record("avocado", "done", "The avocado is sliced.");
}

/// Cooks the three dishes as three tasks on the mini executor and returns the timeline; its
/// last event is the `"total"`, in story minutes.
pub fn cook_lunch(minute: Duration) -> Timeline {
    block_on(async move {
        let timeline = Timeline::on_runtime(StoryClock::new(minute), NAME);
        let pasta = spawn(machine_cooks(
            timeline.clone(),
            "pasta",
            PASTA_MINUTES,
            "The pasta goes into the boiling water.",
            "The pasta is ready.",
        ));
        let meatloaf = spawn(machine_cooks(
            timeline.clone(),
            "meatloaf",
            MEATLOAF_MINUTES,
            "The meatloaf goes into the microwave.",
            "The meatloaf is hot.",
        ));
        let avocado = spawn(peel_avocado(timeline.clone()));
        pasta.await;
        meatloaf.await;
        avocado.await;
        timeline.finish("lunch", |t| {
            format!("Lunch is ready after {t:.1} story minutes.")
        });
        timeline
    })
}
// ANCHOR_END: lunch

fn main() {
    let args: Args = cli::parse_or_exit();
    let timeline = cook_lunch(Duration::from_millis(args.story.minute_ms));
    if args.story.json {
        print!("{}", timeline.to_json_lines());
    } else {
        println!(
            "Lunch on {NAME}: all at once; avocado blocking, last; 1 story minute = {} ms",
            args.story.minute_ms
        );
        print!("{}", timeline.to_text());
    }
}
