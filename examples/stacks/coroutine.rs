//! Subroutine or coroutine: one computation in three steps (start from 12, take 2 away, triple
//! it), written as a subroutine, as a coroutine by hand, and as an `async fn`. The coroutines
//! stop after each step, and their caller notes each time it gets control back.
//!
//! No runtime here: `drive` is the caller, and it polls by hand.

// ANCHOR: by_hand
use std::cell::RefCell;
use std::future::Future;
use std::pin::{Pin, pin};
use std::task::{Context, Poll, Waker};

/// Where each version writes what it did, so that the three can be compared line by line.
pub type Log = RefCell<Vec<String>>;

fn note(log: &Log, line: String) {
    log.borrow_mut().push(line);
}

/// The subroutine: once called, it runs all three steps and returns.
pub fn three_steps(log: &Log) -> i32 {
    let value = 12;
    note(log, format!("step 1: start from {value}"));
    let value = value - 2;
    note(log, format!("step 2: take 2 away: {value}"));
    let value = value * 3;
    note(log, format!("step 3: triple it: {value}"));
    value
}

/// The coroutine, by hand. Each variant is a place where it can stop, and holds the values it
/// needs to go on from there.
pub enum ThreeSteps<'a> {
    Start { log: &'a Log },
    AfterStep1 { log: &'a Log, value: i32 },
    AfterStep2 { log: &'a Log, value: i32 },
    Done,
}

impl Future for ThreeSteps<'_> {
    type Output = i32;

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<i32> {
        match *self {
            ThreeSteps::Start { log } => {
                let value = 12;
                note(log, format!("step 1: start from {value}"));
                *self = ThreeSteps::AfterStep1 { log, value };
            }
            ThreeSteps::AfterStep1 { log, value } => {
                let value = value - 2;
                note(log, format!("step 2: take 2 away: {value}"));
                *self = ThreeSteps::AfterStep2 { log, value };
            }
            ThreeSteps::AfterStep2 { log, value } => {
                let value = value * 3;
                note(log, format!("step 3: triple it: {value}"));
                *self = ThreeSteps::Done;
                return Poll::Ready(value);
            }
            ThreeSteps::Done => panic!("polled after it returned"),
        }
        // Not waiting for anything: ready to go on as soon as the caller asks again.
        context.waker().wake_by_ref();
        Poll::Pending
    }
}
// ANCHOR_END: by_hand

// ANCHOR: by_the_compiler
/// Stops once: the smallest `.await` that hands control back to the caller.
pub struct Pause(pub bool);

impl Future for Pause {
    type Output = ();

    fn poll(mut self: Pin<&mut Self>, context: &mut Context<'_>) -> Poll<()> {
        if self.0 {
            return Poll::Ready(());
        }
        self.0 = true;
        context.waker().wake_by_ref();
        Poll::Pending
    }
}

/// The same coroutine, as the compiler writes it from an `async fn`.
pub async fn three_steps_async(log: &Log) -> i32 {
    let value = 12;
    note(log, format!("step 1: start from {value}"));
    Pause(false).await;
    let value = value - 2;
    note(log, format!("step 2: take 2 away: {value}"));
    Pause(false).await;
    let value = value * 3;
    note(log, format!("step 3: triple it: {value}"));
    value
}

/// The caller: resumes the coroutine until it is done, noting each time it gets control back.
pub fn drive(log: &Log, coroutine: impl Future<Output = i32>) -> i32 {
    let mut coroutine = pin!(coroutine);
    let mut context = Context::from_waker(Waker::noop());
    loop {
        match coroutine.as_mut().poll(&mut context) {
            Poll::Ready(value) => return value,
            Poll::Pending => note(log, "  caller: my turn".to_string()),
        }
    }
}
// ANCHOR_END: by_the_compiler

/// What each version returned and logged.
#[derive(Debug)]
pub struct ThreeWays {
    /// The answers of the hand-written coroutine, the `async fn` and the subroutine.
    pub answers: [i32; 3],
    pub by_hand: Vec<String>,
    pub by_the_compiler: Vec<String>,
    pub subroutine: Vec<String>,
}

/// Runs the computation the three ways.
pub fn three_ways() -> ThreeWays {
    let (by_hand, by_the_compiler, subroutine) = (Log::default(), Log::default(), Log::default());
    let answers = [
        drive(&by_hand, ThreeSteps::Start { log: &by_hand }),
        drive(&by_the_compiler, three_steps_async(&by_the_compiler)),
        three_steps(&subroutine),
    ];
    ThreeWays {
        answers,
        by_hand: by_hand.into_inner(),
        by_the_compiler: by_the_compiler.into_inner(),
        subroutine: subroutine.into_inner(),
    }
}
