//! Every claim the chapters "Stacks and Frames" and "Event Loops and Tasks" make, checked on the
//! runtimes they name.
//!
//! The experiments are the example itself (`examples/stacks/main.rs` and its modules, one per
//! experiment), included here as a module, so the tests run exactly the code a reader runs with
//! `cargo run --example stacks` and reads in the chapters.

use crate::common;
#[allow(dead_code)]
#[path = "../examples/stacks/main.rs"]
mod example;

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::future::Future;
use std::marker::PhantomData;
use std::pin::Pin;
use std::sync::{Mutex, MutexGuard};
use std::time::Duration;

use common::{assert_claim, assert_no_sooner, claim};
use example::{
    CRUNCH_MINUTES, FutureSizes, LARGE_STACK, SMALL_STACK, TICK_MINUTES, TICKS, future_sizes,
    measure_stack, tick_beside_a_cruncher,
};
use loopbot::Runtime;

/// A story minute in the tests: long enough that scheduling jitter on a busy machine (tens of
/// milliseconds) stays well inside the slack of every bound.
const MINUTE: Duration = Duration::from_millis(100);

/// The tests that keep a core busy take turns: on a small machine, two crunchers computing at
/// once could keep the ticker's thread off the CPU and blur what the test measures.
fn one_cruncher_at_a_time() -> MutexGuard<'static, ()> {
    static CPU: Mutex<()> = Mutex::new(());
    CPU.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn gaps(ticks: &[f64]) -> Vec<f64> {
    ticks.windows(2).map(|pair| pair[1] - pair[0]).collect()
}

/// How many times the ticker ticks, as the page says and the example does.
fn ticks() -> usize {
    let ticks = claim("stacks.ticks", 6.0);
    assert_eq!(TICKS as f64, ticks, "the example's TICKS");
    TICKS
}

/// How long the cruncher computes, in story minutes, as the page says and the example does.
fn crunch_minutes() -> f64 {
    let minutes = claim("stacks.crunch-minutes", 4.0);
    assert_eq!(
        f64::from(CRUNCH_MINUTES),
        minutes,
        "the example's CRUNCH_MINUTES"
    );
    minutes
}

/// The longest gap between ticks beside a cruncher that never yields: the whole computation.
fn held_back() -> f64 {
    claim("stacks.never-yields.gap", 4.0)
}

/// Checks that a run ticked as often as the page says and computed for as long, on a busy
/// machine too: the computation ends at its deadline, so it may run late but never short.
fn assert_ticked_and_computed(runtime: Runtime, run: &example::TickerRun) {
    assert_eq!(run.ticks.len(), ticks(), "{runtime}: the ticks in {run:?}");
    let computed = run.crunch_end - run.crunch_start;
    let what = format!("{runtime}: the computation");
    assert_no_sooner(&what, computed, crunch_minutes(), MINUTE);
}

#[test]
fn a_cruncher_that_never_yields_holds_the_ticker_back_for_as_long_as_it_computes() {
    let _cpu = one_cruncher_at_a_time();
    for runtime in Runtime::ALL {
        let run = tick_beside_a_cruncher(runtime, MINUTE, false);
        assert_ticked_and_computed(runtime, &run);
        // The ticker should tick after 1 minute, and waits the whole computation instead.
        let what = format!("{runtime}: the longest gap");
        assert_no_sooner(&what, run.longest_gap, held_back(), MINUTE);
        assert_eq!(run.ticks_during_crunch, 0, "{runtime}: {run:?}");
        // The second tick comes only once the computation is over.
        assert!(run.ticks[1] >= run.crunch_end, "{runtime}: {run:?}");
    }
}

/// The upper bound the page quotes for the held-back gap is the one `assert_no_sooner` uses:
/// half as much again, or twice the least slack, whichever is more.
#[test]
fn the_bound_the_page_quotes_for_a_held_back_ticker_is_the_one_the_test_uses() {
    let least = 2.0 * common::LEAST_SLACK.as_secs_f64() / MINUTE.as_secs_f64();
    let under = held_back() + (held_back() / 2.0).max(least);
    assert_eq!(claim("stacks.never-yields.gap.under", 6.0), under);
}

#[test]
fn a_cruncher_that_yields_lets_the_ticker_keep_its_pace() {
    let _cpu = one_cruncher_at_a_time();
    let gap = claim("stacks.yields.gap", 1.0);
    assert_eq!(
        gap, TICK_MINUTES,
        "the ticker asks for the gap the page says it gets"
    );
    // Held back, the gap would be the whole computation: the bound stops halfway to it.
    let wrong = held_back();
    assert_eq!(claim("stacks.yields.gap.under", 2.5), (gap + wrong) / 2.0);
    // Tick k comes k minutes in; held back, it would come after the computation, at
    // (k - 1) + 4, as the run that never yields shows.
    let on_time = [
        claim("stacks.yields.tick-1", 1.0),
        claim("stacks.yields.tick-2", 2.0),
        claim("stacks.yields.tick-3", 3.0),
    ];
    let while_computing = claim("stacks.yields.ticks-while-computing", 3.0);
    for runtime in Runtime::ALL {
        let run = tick_beside_a_cruncher(runtime, MINUTE, true);
        assert_ticked_and_computed(runtime, &run);
        for measured in gaps(&run.ticks) {
            let what = format!("{runtime}: a gap between ticks");
            assert_claim(&what, measured, gap, wrong, MINUTE);
        }
        for (k, at) in on_time.into_iter().enumerate() {
            let tick = k + 1;
            let what = format!("{runtime}: tick {tick}");
            assert_claim(&what, run.ticks[tick], at, at - 1.0 + wrong, MINUTE);
        }
        // Those ticks come while the computation is still going.
        assert!(
            run.ticks_during_crunch as f64 >= while_computing,
            "{runtime}: {} ticks while it computed, expected at least {while_computing}: {run:?}",
            run.ticks_during_crunch
        );
    }
}

#[test]
fn a_hand_written_coroutine_and_an_async_fn_stop_at_the_same_places() {
    let ways = example::three_ways();
    let answer = claim("stacks.three-ways.answer", 30.0);
    assert_eq!(ways.answers.map(f64::from), [answer; 3]);
    assert_eq!(ways.by_hand, ways.by_the_compiler);
    assert_eq!(
        ways.by_hand,
        [
            "step 1: start from 12",
            "  caller: my turn",
            "step 2: take 2 away: 10",
            "  caller: my turn",
            "step 3: triple it: 30",
        ]
    );
    // The subroutine takes the same three steps, with nobody in between.
    let steps: Vec<&String> = ways
        .by_hand
        .iter()
        .filter(|l| l.starts_with("step"))
        .collect();
    assert_eq!(steps, ways.subroutine.iter().collect::<Vec<_>>());
}

/// Whether a value's type is `Unpin`, known from the type alone: the method found first is
/// `Unpin`'s when the bound holds, the fallback's (one reference further) when it does not.
struct Probe<T>(PhantomData<T>);
trait IsUnpin {
    fn unpin(&self) -> bool {
        true
    }
}
impl<T: Unpin> IsUnpin for Probe<T> {}
trait NotUnpin {
    fn unpin(&self) -> bool {
        false
    }
}
impl<T> NotUnpin for &Probe<T> {}
fn probe<T>(_: &T) -> Probe<T> {
    Probe(PhantomData)
}
/// `is_unpin!(value)`: whether the type of `value` is `Unpin`. The `&` must stay: without it,
/// a type that is not `Unpin` would find no method at all.
macro_rules! is_unpin {
    ($value:expr) => {
        (&probe(&$value)).unpin()
    };
}

#[test]
fn hand_written_futures_are_unpin_and_the_compilers_are_not() {
    let log = example::coroutine::Log::default();
    let by_hand = example::ThreeSteps::Start { log: &log };
    assert!(is_unpin!(by_hand));
    assert!(is_unpin!(example::coroutine::Pause(false)));
    // Every future the compiler writes, even one that keeps nothing, is not Unpin.
    assert!(!is_unpin!(async {}));
    assert!(!is_unpin!(example::coroutine::three_steps_async(&log)));
    assert!(!is_unpin!(
        example::future_size::keeps_a_buffer_across_the_await()
    ));
}

#[test]
fn a_larger_stack_holds_deeper_recursion() {
    const KIB: usize = 1024;
    let small_kib = claim("stacks.small-stack-kib", 64.0);
    let large_mib = claim("stacks.large-stack-mib", 1.0);
    assert_eq!(
        (SMALL_STACK / KIB) as f64,
        small_kib,
        "the example's SMALL_STACK in KiB"
    );
    assert_eq!(
        (LARGE_STACK / KIB / KIB) as f64,
        large_mib,
        "the example's LARGE_STACK in MiB"
    );
    assert_eq!(LARGE_STACK % (KIB * KIB), 0, "LARGE_STACK is whole MiB");
    let small = measure_stack(SMALL_STACK);
    let large = measure_stack(LARGE_STACK);
    eprintln!("small: {small:?}\nlarge: {large:?}");
    assert!(large.depth > small.depth, "{small:?} {large:?}");
    assert!(small.depth > 1, "{small:?}");
    // Each call's frame holds at least its bytes of locals.
    let locals = claim("stacks.locals-per-call", 512.0);
    for stack in [&small, &large] {
        assert!(
            stack.frame_bytes as f64 >= locals,
            "{stack:?}, expected {locals} or more"
        );
    }
    assert!(large.capacity > small.capacity, "{small:?} {large:?}");
}

#[test]
fn recursing_without_end_kills_the_process() {
    let overflow = example::overflow_in_a_child(&common::example("stacks"));
    assert!(!overflow.exited_normally, "{overflow:?}");
    assert!(
        overflow.last_words.contains("has overflowed its stack"),
        "{overflow:?}"
    );
}

#[test]
fn a_future_holds_what_it_keeps_across_an_await_and_nothing_else() {
    let FutureSizes {
        empty,
        empty_closure,
        keeps_a_buffer_across_the_await: keeps,
        drops_the_buffer_before_the_await: drops,
        awaits_the_buffer_keeper: awaits,
        ..
    } = future_sizes();
    // The 1 KiB buffer kept across the `.await` is inside the future.
    let buffer = claim("stacks.kept-buffer-bytes", 1024.0);
    assert!(
        keeps as f64 >= buffer,
        "{keeps}, expected at least {buffer}"
    );
    // The buffer dropped before the `.await` is not.
    assert!((drops as f64) < buffer, "{drops}, expected under {buffer}");
    // An awaited future lives inside its caller's future.
    assert!(awaits >= keeps, "{awaits} < {keeps}");
    // A future with nothing to keep still has its state; a closure with nothing has nothing.
    assert!(empty >= 1, "{empty}");
    assert_eq!(empty_closure, 0);
}

#[test]
fn a_recursive_future_holds_a_pointer_to_a_box() {
    let sizes = future_sizes();
    let word = std::mem::size_of::<usize>();
    // Boxing the call (Rust 1.77): the box of a future whose type is known is one word...
    assert_eq!(sizes.box_of_a_known_future, word);
    // ...and count_down's own future holds it, with its n and its state, not the call's future.
    assert!(sizes.count_down > sizes.box_of_a_known_future, "{sizes:?}");
    assert!(sizes.count_down <= 4 * word, "{sizes:?}");
    // Boxing the body behind `dyn Future`: a fat pointer, the data's address and the vtable's.
    assert_eq!(
        sizes.count_down_boxed,
        std::mem::size_of::<Pin<Box<dyn Future<Output = u32>>>>()
    );
    assert_eq!(sizes.count_down_boxed, 2 * word);
    // In bytes, on the 64-bit machine the page names.
    let thin = claim("stacks.thin-box-bytes", 8.0);
    let fat = claim("stacks.fat-box-bytes", 16.0);
    if cfg!(target_pointer_width = "64") {
        assert_eq!(sizes.box_of_a_known_future as f64, thin, "{sizes:?}");
        assert_eq!(sizes.count_down_boxed as f64, fat, "{sizes:?}");
    }
}

#[test]
fn the_futures_run_to_their_answers() {
    use example::future_size::*;
    let counted = claim("stacks.count-down.answer", 5.0) as u32;
    for runtime in Runtime::ALL {
        let answers = runtime.block_on(async {
            (
                keeps_a_buffer_across_the_await().await,
                drops_the_buffer_before_the_await().await,
                awaits_the_buffer_keeper().await,
                count_down(5).await,
                count_down_boxed(5).await,
            )
        });
        assert_eq!(answers, (7, 7, 8, counted, counted), "{runtime}");
    }
}

#[test]
fn three_tasks_on_one_thread_take_turns_only_where_they_yield() {
    for runtime in Runtime::ALL {
        let yielding = example::three_tasks(runtime, true);
        // Rounds: every task's step 1, then every step 2, then every step 3.
        let entries: Vec<&str> = yielding.split(' ').collect();
        assert_eq!(entries.len(), 9, "{runtime}: {yielding}");
        for (index, entry) in entries.iter().enumerate() {
            let round = (index / 3 + 1).to_string();
            assert!(entry.ends_with(&round), "{runtime}: {yielding}");
        }
        // The order inside a round is each executor's own: tokio wakes the last yielder first.
        let expected = match runtime {
            Runtime::Tokio => "A1 B1 C1 C2 B2 A2 A3 B3 C3",
            Runtime::AsyncStd | Runtime::Smol => "A1 B1 C1 A2 B2 C2 A3 B3 C3",
        };
        assert_eq!(yielding, expected, "{runtime}");
        // Without yielding, nobody interrupts a task: each runs to its end.
        let not_yielding = example::three_tasks(runtime, false);
        assert_eq!(not_yielding, "A1 A2 A3 B1 B2 B3 C1 C2 C3", "{runtime}");
    }
}

#[test]
fn two_tasks_meet_on_two_threads_and_not_on_one() {
    let _cpu = one_cruncher_at_a_time();
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
    for runtime in Runtime::ALL {
        let [two_threads, one_thread] = example::meetings(runtime);
        // async-std's pool has one thread per core: on one core its tasks could not meet.
        if runtime != Runtime::AsyncStd || cores >= 2 {
            assert_eq!(two_threads, (true, true), "{runtime}");
        }
        // On one thread the first waits its whole second alone; the second finds it gone.
        assert_eq!(one_thread, (false, true), "{runtime}");
    }
}

#[test]
fn json_output_has_one_object_per_measurement() {
    let _cpu = one_cruncher_at_a_time();
    let objects = common::json_lines(
        "stacks",
        &["--runtime", "all", "--json", "--minute-ms", "20"],
    );
    let kinds: Vec<&str> = objects
        .iter()
        .map(|object| object["measurement"].as_str().unwrap())
        .collect();
    let mut expected = vec!["ticker"; 6];
    expected.extend(["three_ways", "stack", "stack", "overflow", "future_sizes"]);
    expected.extend(["rounds"; 3]);
    expected.extend(["meeting"; 3]);
    assert_eq!(kinds, expected, "{objects:?}");
    for (pair, runtime) in objects.chunks(2).zip(Runtime::ALL) {
        assert_eq!(pair[0]["runtime"], runtime.name());
        assert_eq!(pair[0]["cruncher_yields"], false);
        assert_eq!(pair[1]["cruncher_yields"], true);
        assert_eq!(pair[0]["ticks_during_crunch"], 0);
    }
    assert_eq!(objects[6]["answers"], serde_json::json!([30, 30, 30]));
    assert_eq!(objects[7]["stack_bytes"], SMALL_STACK);
    assert!(objects[8]["depth"].as_u64() > objects[7]["depth"].as_u64());
    assert_eq!(objects[9]["exited_normally"], false);
    let kept = objects[10]["keeps_a_buffer_across_the_await"].as_u64();
    assert!(kept.unwrap() >= 1024);
    for (object, runtime) in objects[11..14].iter().zip(Runtime::ALL) {
        assert_eq!(object["runtime"], runtime.name());
        assert_eq!(object["not_yielding"], "A1 A2 A3 B1 B2 B3 C1 C2 C3");
    }
    for (object, runtime) in objects[14..].iter().zip(Runtime::ALL) {
        assert_eq!(object["runtime"], runtime.name());
        assert_eq!(object["one_thread"], serde_json::json!([false, true]));
    }
}

#[test]
fn readable_output_names_every_measurement() {
    let _cpu = one_cruncher_at_a_time();
    let output = common::run_example("stacks", &["--runtime", "smol", "--minute-ms", "20"]);
    assert!(output.status.success(), "{output:?}");
    let stdout = String::from_utf8(output.stdout).unwrap();
    for expected in [
        "1 story minute = 20 ms",
        "smol       cruncher never yields",
        "smol       cruncher yields",
        "  caller: my turn",
        "   64 KiB stack:",
        " 1024 KiB stack:",
        "has overflowed its stack",
        "keeps a 1 KiB buffer across its .await",
        "count_down_boxed(3), a Pin<Box<dyn Future>>",
        "smol       yielding: A1 B1 C1 A2 B2 C2 A3 B3 C3",
        "smol       on two threads: (true, true); on one thread: (false, true)",
    ] {
        assert!(stdout.contains(expected), "no '{expected}' in:\n{stdout}");
    }
}

/// Counts the allocations made on each thread, so that a test can see what spawning a task
/// costs without counting what other tests' threads do meanwhile.
struct CountingAllocator;

thread_local! {
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

// SAFETY: every call is passed on to the system allocator unchanged; the count is a side note.
unsafe impl GlobalAlloc for CountingAllocator {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // A thread being torn down has no count any more; its allocations go uncounted.
        let _ = ALLOCATIONS.try_with(|count| count.set(count.get() + 1));
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, pointer: *mut u8, layout: Layout) {
        unsafe { System.dealloc(pointer, layout) }
    }
}

#[global_allocator]
static COUNTING: CountingAllocator = CountingAllocator;

fn allocations_so_far() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// The bottom of a chain of `.await`s: one real pause. Each call in a chain adds 1 to the
/// answer, so a chain's answer is how many calls deep it is.
async fn bottom() -> u32 {
    futures_lite::future::yield_now().await;
    1
}

/// A chain five `async fn` calls deep, each awaiting the next.
async fn five_deep() -> u32 {
    async fn four() -> u32 {
        three().await + 1
    }
    async fn three() -> u32 {
        two().await + 1
    }
    async fn two() -> u32 {
        bottom().await + 1
    }
    four().await + 1
}

/// How many allocations it takes to spawn a task made by `make` on `runtime`, on this thread,
/// and run it to its end, and the task's answer. An executor's queues grow now and then (a new
/// block of slots every few dozen tasks), so this spawns one task to warm up and then five,
/// and keeps the fewest: what the task itself costs.
fn allocations_per_task<F>(runtime: Runtime, make: fn() -> F) -> (usize, u32)
where
    F: Future<Output = u32> + 'static,
{
    runtime.block_on(async move {
        let answer = runtime.spawn_local(make()).await;
        let mut fewest = usize::MAX;
        for _ in 0..5 {
            let before = allocations_so_far();
            let again = runtime.spawn_local(make()).await;
            fewest = fewest.min(allocations_so_far() - before);
            assert_eq!(std::hint::black_box(again), answer);
        }
        (fewest, answer)
    })
}

#[test]
fn a_task_is_one_allocation_however_deep_its_chain_of_awaits() {
    // The count is this thread's, and a runtime's reactor may run another test's timers on it.
    if !common::in_a_process_of_its_own(
        "stacks::a_task_is_one_allocation_however_deep_its_chain_of_awaits",
    ) {
        return;
    }
    let per_task = claim("stacks-tasks.allocations-per-task", 1.0);
    let deep = claim("stacks-tasks.chain-depth", 5.0);
    let shallow = claim("stacks-tasks.shallow-depth", 1.0);
    for runtime in Runtime::ALL {
        let chains = [
            (allocations_per_task(runtime, bottom), shallow),
            (allocations_per_task(runtime, five_deep), deep),
        ];
        for ((allocations, answer), depth) in chains {
            eprintln!("{runtime}: {allocations} allocation(s), {answer} call(s) deep");
            // The answer counts the calls in the chain: the chain is as deep as the page says.
            assert_eq!(f64::from(answer), depth, "{runtime}: the chain's depth");
            assert_eq!(
                allocations as f64, per_task,
                "{runtime}: a task {answer} call(s) deep; the calls in a chain allocate nothing"
            );
        }
    }
}

/// How many allocations making a future with `make` and running it to its end takes, polled
/// by hand on this thread with a waker that does nothing: no executor, so nothing is counted
/// but the future's own.
fn allocations_to_make_and_run<F: Future>(make: impl FnOnce() -> F) -> usize {
    let before = allocations_so_far();
    let mut future = std::pin::pin!(make());
    let mut context = std::task::Context::from_waker(std::task::Waker::noop());
    while future.as_mut().poll(&mut context).is_pending() {}
    allocations_so_far() - before
}

#[test]
fn each_level_of_a_boxed_recursion_allocates_one_box() {
    use example::future_size::{count_down, count_down_boxed};
    // Boxing the call: count_down(5) calls count_down(4) ... count_down(0), five boxes.
    let boxes = claim("stacks.count-down.boxes", 5.0);
    let allocated = allocations_to_make_and_run(|| count_down(5));
    assert_eq!(allocated as f64, boxes, "count_down(5)'s boxes");
    // Boxing the body: every call returns a box, the outermost one too, six in all.
    assert_eq!(allocations_to_make_and_run(|| count_down_boxed(5)), 6);
}
