//! The timed measurements: spawning, a round trip, a timer's lateness, a blocking call. The
//! chapter shows none of them as a listing; they run through `loopbot::Runtime` so that one
//! function measures all three runtimes the same way.

use std::future::Future;
use std::hint::black_box;
use std::pin::Pin;
use std::task::{Context, Waker};
use std::thread;
use std::time::{Duration, Instant};

use loopbot::Runtime;

use crate::rows::{Blocking, PingPong, Spawn, Timer, Who};
use crate::thread_cost;

/// How long the ticker sleeps between two ticks while the blocking call runs.
pub const TICK: Duration = Duration::from_millis(1);
/// How long the blocking call holds its thread.
pub const BLOCKING_CALL: Duration = Duration::from_millis(100);

/// Spawns `count` tiny tasks, then awaits each: the time per task.
pub fn spawn_and_join(runtime: Runtime, count: u32) -> Spawn {
    runtime.block_on(async move {
        let mut handles = Vec::with_capacity(count as usize);
        let start = Instant::now();
        for index in 0..count {
            handles.push(runtime.spawn_local(async move {
                black_box(index);
            }));
        }
        for handle in handles {
            handle.await;
        }
        Spawn {
            who: runtime.into(),
            count,
            ns_per_task: nanoseconds_each(start.elapsed(), count),
        }
    })
}

/// The same tiny futures, boxed into a vector and polled once each: no runtime at all.
pub fn poll_a_vector(count: u32) -> Spawn {
    let start = Instant::now();
    let mut futures: Vec<Pin<Box<dyn Future<Output = ()>>>> = (0..count)
        .map(|index| {
            Box::pin(async move {
                black_box(index);
            }) as Pin<Box<dyn Future<Output = ()>>>
        })
        .collect();
    let mut context = Context::from_waker(Waker::noop());
    for future in &mut futures {
        assert!(future.as_mut().poll(&mut context).is_ready());
    }
    drop(futures);
    Spawn {
        who: Who::Vector,
        count,
        ns_per_task: nanoseconds_each(start.elapsed(), count),
    }
}

fn nanoseconds_each(elapsed: Duration, count: u32) -> f64 {
    elapsed.as_secs_f64() * 1e9 / f64::from(count)
}

/// A message there and back `round_trips` times, between two threads or two tasks on one
/// thread (the same exchange as in `threads_cost`).
pub fn ping_pong(who: Who, round_trips: u32) -> PingPong {
    let round_trip = match who.runtime() {
        Some(runtime) => runtime
            .block_on(async move { thread_cost::task_round_trip(runtime, round_trips).await }),
        None => thread_cost::thread_round_trip(round_trips),
    };
    PingPong {
        who,
        count: round_trips,
        ns_per_round_trip: round_trip.as_secs_f64() * 1e9,
    }
}

/// The `fraction` quantile of sorted `values` (nearest rank).
fn quantile(sorted: &[f64], fraction: f64) -> f64 {
    let rank = ((sorted.len() as f64 * fraction).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// Sleeps 1 ms `samples` times and says how late each sleep woke, in microseconds.
pub fn timer_lateness(runtime: Runtime, samples: u32) -> Timer {
    let mut late: Vec<f64> = runtime.block_on(async move {
        let mut late = Vec::with_capacity(samples as usize);
        for _ in 0..samples {
            let start = Instant::now();
            runtime.sleep(Duration::from_millis(1)).await;
            let overslept = start.elapsed().saturating_sub(Duration::from_millis(1));
            late.push(overslept.as_secs_f64() * 1e6);
        }
        late
    });
    late.sort_by(f64::total_cmp);
    Timer {
        who: runtime.into(),
        count: samples,
        median_late_us: quantile(&late, 0.5),
        p99_late_us: quantile(&late, 0.99),
    }
}

/// A 1 ms ([`TICK`]) ticker runs for 150 ms; 20 ms in, a 100 ms ([`BLOCKING_CALL`]) blocking
/// call runs, either right on the loop's thread or on the runtime's blocking pool. Returns the
/// ticker's latest tick, in ms.
fn latest_tick(runtime: Runtime, offload: bool) -> f64 {
    runtime.block_on(async move {
        let ticker = runtime.spawn_local(async move {
            let end = Instant::now() + Duration::from_millis(150);
            let mut latest = Duration::ZERO;
            while Instant::now() < end {
                let start = Instant::now();
                runtime.sleep(TICK).await;
                latest = latest.max(start.elapsed().saturating_sub(TICK));
            }
            latest
        });
        runtime.sleep(Duration::from_millis(20)).await;
        let blocking_call = || thread::sleep(BLOCKING_CALL);
        if offload {
            runtime.unblock(blocking_call).await;
        } else {
            blocking_call();
        }
        ticker.await.as_secs_f64() * 1e3
    })
}

/// The ticker's latest tick with the blocking call on the loop, then on the blocking pool.
pub fn blocking(runtime: Runtime) -> Blocking {
    Blocking {
        who: runtime.into(),
        tick_ms: TICK.as_secs_f64() * 1e3,
        call_ms: BLOCKING_CALL.as_secs_f64() * 1e3,
        on_the_loop_late_ms: latest_tick(runtime, false),
        offloaded_late_ms: latest_tick(runtime, true),
    }
}
