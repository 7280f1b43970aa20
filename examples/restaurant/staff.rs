//! Who runs the jobs: seven ThreadBots on seven OS threads, or one LoopBot on tokio, async-std
//! or smol, each in that runtime's own words. For each staff: how it waits, how it sends a
//! blocking call to another thread, and how it runs the seven jobs.

use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use loopbot::meter::Meter;

use super::floor::{Floor, Nap};
use super::jobs::{ROSTER, work_shift};

/// Who staffs the restaurant.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Staff {
    /// Seven robots, each on an OS thread of its own.
    Threadbots,
    /// One robot doing all seven jobs: seven tasks on one single-threaded executor.
    Loopbot,
}

// ANCHOR: threadbots
/// A ThreadBot waits on smol's timer, which needs no runtime: under `block_on` it parks the
/// robot's own thread until async-io's timer thread wakes it.
pub fn sleep_on_a_thread(real: Duration) -> Nap {
    Box::pin(async move {
        smol::Timer::after(real).await;
    })
}

/// Seven ThreadBots: each job on an OS thread of its own, under `futures`' `block_on`.
pub fn threadbots(floor: &Arc<Floor>, meters: &[Meter], street: impl Future<Output = ()>) {
    std::thread::scope(|scope| {
        for (job, meter) in ROSTER.iter().zip(meters) {
            let floor = floor.clone();
            std::thread::Builder::new()
                .name(job.name())
                .spawn_scoped(scope, move || {
                    futures::executor::block_on(meter.track(work_shift(*job, floor)))
                })
                .expect("the OS gives us a thread per robot");
        }
        // The street is not staff: diners arrive on the main thread.
        futures::executor::block_on(street);
    });
}
// ANCHOR_END: threadbots

// ANCHOR: sleep_tokio
/// A LoopBot on tokio waits on tokio's timer.
pub fn sleep_on_tokio(real: Duration) -> Nap {
    Box::pin(tokio::time::sleep(real))
}
// ANCHOR_END: sleep_tokio

// ANCHOR: sleep_async_std
/// A LoopBot on async-std waits on async-std's timer.
pub fn sleep_on_async_std(real: Duration) -> Nap {
    Box::pin(async_std::task::sleep(real))
}
// ANCHOR_END: sleep_async_std

// ANCHOR: sleep_smol
/// A LoopBot on smol waits on smol's timer.
pub fn sleep_on_smol(real: Duration) -> Nap {
    Box::pin(async move {
        smol::Timer::after(real).await;
    })
}
// ANCHOR_END: sleep_smol

// ANCHOR: loopbot_tokio
/// The LoopBot on tokio: a `LocalRuntime`, a runtime of one thread on which `spawn_local`
/// keeps all seven jobs. Returns tokio's own count of its worker's busy time.
pub fn loopbot_on_tokio(
    floor: &Arc<Floor>,
    meters: &[Meter],
    street: impl Future<Output = ()>,
) -> Duration {
    let loopbot = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build_local(tokio::runtime::LocalOptions::default())
        .expect("a local runtime builds with the time driver");
    loopbot.block_on(async {
        let shifts: Vec<_> = ROSTER
            .iter()
            .zip(meters)
            .map(|(job, meter)| {
                tokio::task::spawn_local(meter.track(work_shift(*job, floor.clone())))
            })
            .collect();
        // The street is not staff, but its diners arrive on this thread too.
        street.await;
        for shift in shifts {
            shift.await.expect("no robot panics");
        }
        tokio::runtime::Handle::current()
            .metrics()
            .worker_total_busy_duration(0)
    })
}
// ANCHOR_END: loopbot_tokio

// ANCHOR: loopbot_async_std
/// The LoopBot on async-std: `block_on` runs this thread's own executor, and `spawn_local`
/// keeps all seven jobs on it.
pub fn loopbot_on_async_std(
    floor: &Arc<Floor>,
    meters: &[Meter],
    street: impl Future<Output = ()>,
) {
    async_std::task::block_on(async {
        let shifts: Vec<_> = ROSTER
            .iter()
            .zip(meters)
            .map(|(job, meter)| {
                async_std::task::spawn_local(meter.track(work_shift(*job, floor.clone())))
            })
            .collect();
        // The street is not staff, but its diners arrive on this thread too.
        street.await;
        for shift in shifts {
            shift.await;
        }
    });
}
// ANCHOR_END: loopbot_async_std

// ANCHOR: loopbot_smol
/// The LoopBot on smol: a `LocalExecutor`, whose tasks never leave the thread that runs it.
pub fn loopbot_on_smol(floor: &Arc<Floor>, meters: &[Meter], street: impl Future<Output = ()>) {
    let loopbot = smol::LocalExecutor::new();
    smol::block_on(loopbot.run(async {
        let shifts: Vec<_> = ROSTER
            .iter()
            .zip(meters)
            .map(|(job, meter)| loopbot.spawn(meter.track(work_shift(*job, floor.clone()))))
            .collect();
        // The street is not staff, but its diners arrive on this thread too.
        street.await;
        for shift in shifts {
            shift.await;
        }
    }));
}
// ANCHOR_END: loopbot_smol

// ANCHOR: listen_tokio
/// On tokio, a thread from its blocking pool listens to the chatty guest.
pub fn listen_on_tokio(talk: Duration) -> Nap {
    Box::pin(async move {
        tokio::task::spawn_blocking(move || std::thread::sleep(talk))
            .await
            .expect("the talk ends without a panic");
    })
}
// ANCHOR_END: listen_tokio

// ANCHOR: listen_async_std
/// On async-std, a thread from its blocking pool listens to the chatty guest.
pub fn listen_on_async_std(talk: Duration) -> Nap {
    Box::pin(async_std::task::spawn_blocking(move || {
        std::thread::sleep(talk)
    }))
}
// ANCHOR_END: listen_async_std

// ANCHOR: listen_smol
/// On smol, a thread from its blocking pool listens to the chatty guest.
pub fn listen_on_smol(talk: Duration) -> Nap {
    Box::pin(smol::unblock(move || std::thread::sleep(talk)))
}
// ANCHOR_END: listen_smol
