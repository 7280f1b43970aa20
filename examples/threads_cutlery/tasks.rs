//! `--mode loopbot`, `loopbot-await` and `loopbot-lock`: every robot a task on one thread of
//! the chosen runtime. The three modes differ only in how a robot changes the kitchen.

use std::cell::Cell;
use std::rc::Rc;
use std::time::Duration;

use loopbot::Runtime;

use super::Mode;
use super::cutlery::Cutlery;

/// The robot walks to or from the kitchen: other tasks on this thread run meanwhile.
///
/// No two walks are alike: a walk lasts from half to one and a half times `walk`, or, when
/// `walk` is zero, the robot turns around one to three times. Robots in lockstep would lose
/// a piece on the way out and find it again on the way back.
async fn walk(runtime: Runtime, walk: Duration) {
    if walk.is_zero() {
        for _ in 0..fastrand::u32(1..=3) {
            // Turning around: hand the thread to the executor once.
            futures_lite::future::yield_now().await;
        }
    } else {
        runtime.sleep(walk.mul_f64(0.5 + fastrand::f64())).await;
    }
}

/// Read and write with no `.await` in between: no other task can run in the middle.
fn change_at_once(kitchen: &Cell<Cutlery>, change: Cutlery) {
    let seen = kitchen.get();
    kitchen.set(seen + change);
}

/// Read, walk, write: other robots run during the walk, and they read the same old count.
async fn change_across_a_walk(
    kitchen: &Cell<Cutlery>,
    change: Cutlery,
    runtime: Runtime,
    time: Duration,
) {
    let seen = kitchen.get();
    walk(runtime, time).await;
    kitchen.set(seen + change);
}

/// Read, walk, write, holding an async lock the whole time: other robots wait for it at their
/// `.lock().await`, and the thread serves whoever is not waiting.
async fn change_under_a_lock(
    kitchen: &tokio::sync::Mutex<Cutlery>,
    change: Cutlery,
    runtime: Runtime,
    time: Duration,
) {
    let mut inventory = kitchen.lock().await;
    let seen = *inventory;
    walk(runtime, time).await;
    *inventory = seen + change;
}

/// The LoopBot modes: every robot a task on this one thread.
pub async fn loopbot(
    mode: Mode,
    runtime: Runtime,
    bots: u32,
    tables: u32,
    time: Duration,
) -> Cutlery {
    // `Rc` and `Cell`, not `Arc` and `Mutex`: the tasks never leave this thread.
    let kitchen = Rc::new(Cell::new(Cutlery::KITCHEN));
    // tokio's async Mutex needs no tokio runtime to work, so it serves all three.
    let locked_kitchen = Rc::new(tokio::sync::Mutex::new(Cutlery::KITCHEN));
    let robots: Vec<_> = (0..bots)
        .map(|_| {
            let kitchen = kitchen.clone();
            let locked_kitchen = locked_kitchen.clone();
            runtime.spawn_local(async move {
                for _ in 0..tables {
                    for change in [Cutlery::TAKE, Cutlery::TABLE] {
                        match mode {
                            Mode::LoopbotAwait => {
                                change_across_a_walk(&kitchen, change, runtime, time).await
                            }
                            Mode::LoopbotLock => {
                                change_under_a_lock(&locked_kitchen, change, runtime, time).await
                            }
                            _ => change_at_once(&kitchen, change),
                        }
                        // To the table and back: the other robots run meanwhile.
                        walk(runtime, time).await;
                    }
                }
            })
        })
        .collect();
    for robot in robots {
        robot.await;
    }
    match mode {
        Mode::LoopbotLock => *locked_kitchen.lock().await,
        _ => kitchen.get(),
    }
}
