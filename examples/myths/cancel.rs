//! Myth 5, "async makes concurrency easy": any `.await` can be the last one. Three dishes,
//! three trips; the second trip is given only a tenth of a minute, so its one-minute walk is
//! still far from over when the timeout fires, even on a busy machine.

use std::time::Duration;

// ANCHOR: carry
use std::cell::RefCell;
use std::collections::VecDeque;

/// How a trip moves a dish from the pass to the shelf.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Carry {
    /// Take the dish off the queue, then walk: a timeout during the walk drops the dish.
    TakeThenWalk,
    /// Look at the dish, walk, then take it and shelve it in one step with no `.await` between.
    WalkThenTake,
}
// ANCHOR_END: carry

// ANCHOR: move_one_tokio
/// Moves one dish from `queue` to `shelf`; the walk in between takes one minute.
async fn move_one_tokio(
    minute: Duration,
    carry: Carry,
    queue: &RefCell<VecDeque<&'static str>>,
    shelf: &RefCell<Vec<&'static str>>,
) {
    match carry {
        Carry::TakeThenWalk => {
            let Some(dish) = queue.borrow_mut().pop_front() else {
                return;
            };
            tokio::time::sleep(minute).await; // dropped here, the dish is gone
            shelf.borrow_mut().push(dish);
        }
        Carry::WalkThenTake => {
            if queue.borrow().is_empty() {
                return;
            }
            tokio::time::sleep(minute).await; // dropped here, the dish is still queued
            let dish = queue
                .borrow_mut()
                .pop_front()
                .expect("only this task takes dishes");
            shelf.borrow_mut().push(dish);
        }
    }
}
// ANCHOR_END: move_one_tokio

// ANCHOR: move_one_async_std
/// Moves one dish from `queue` to `shelf`; the walk in between takes one minute.
async fn move_one_async_std(
    minute: Duration,
    carry: Carry,
    queue: &RefCell<VecDeque<&'static str>>,
    shelf: &RefCell<Vec<&'static str>>,
) {
    match carry {
        Carry::TakeThenWalk => {
            let Some(dish) = queue.borrow_mut().pop_front() else {
                return;
            };
            async_std::task::sleep(minute).await; // dropped here, the dish is gone
            shelf.borrow_mut().push(dish);
        }
        Carry::WalkThenTake => {
            if queue.borrow().is_empty() {
                return;
            }
            async_std::task::sleep(minute).await; // dropped here, the dish is still queued
            let dish = queue
                .borrow_mut()
                .pop_front()
                .expect("only this task takes dishes");
            shelf.borrow_mut().push(dish);
        }
    }
}
// ANCHOR_END: move_one_async_std

// ANCHOR: move_one_smol
/// Moves one dish from `queue` to `shelf`; the walk in between takes one minute.
async fn move_one_smol(
    minute: Duration,
    carry: Carry,
    queue: &RefCell<VecDeque<&'static str>>,
    shelf: &RefCell<Vec<&'static str>>,
) {
    match carry {
        Carry::TakeThenWalk => {
            let Some(dish) = queue.borrow_mut().pop_front() else {
                return;
            };
            smol::Timer::after(minute).await; // dropped here, the dish is gone
            shelf.borrow_mut().push(dish);
        }
        Carry::WalkThenTake => {
            if queue.borrow().is_empty() {
                return;
            }
            smol::Timer::after(minute).await; // dropped here, the dish is still queued
            let dish = queue
                .borrow_mut()
                .pop_front()
                .expect("only this task takes dishes");
            shelf.borrow_mut().push(dish);
        }
    }
}
// ANCHOR_END: move_one_smol

// ANCHOR: trips_tokio
/// Three trips for soup, fish and cake; the second is hurried by a timeout of a tenth of a
/// minute. Returns the dishes still queued and the dishes on the shelf.
pub fn three_trips_tokio(minute: Duration, carry: Carry) -> (Vec<&'static str>, Vec<&'static str>) {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    rt.block_on(async {
        let queue = RefCell::new(VecDeque::from(["soup", "fish", "cake"]));
        let shelf = RefCell::new(Vec::new());
        move_one_tokio(minute, carry, &queue, &shelf).await;
        let hurried = move_one_tokio(minute, carry, &queue, &shelf);
        let timed_out = tokio::time::timeout(minute / 10, hurried).await.is_err();
        assert!(timed_out, "a one-minute walk outlasts a tenth of a minute");
        move_one_tokio(minute, carry, &queue, &shelf).await;
        (queue.into_inner().into(), shelf.into_inner())
    })
}
// ANCHOR_END: trips_tokio

// ANCHOR: trips_async_std
/// Three trips for soup, fish and cake; the second is hurried by a timeout of a tenth of a
/// minute. Returns the dishes still queued and the dishes on the shelf.
pub fn three_trips_async_std(
    minute: Duration,
    carry: Carry,
) -> (Vec<&'static str>, Vec<&'static str>) {
    async_std::task::block_on(async {
        let queue = RefCell::new(VecDeque::from(["soup", "fish", "cake"]));
        let shelf = RefCell::new(Vec::new());
        move_one_async_std(minute, carry, &queue, &shelf).await;
        let hurried = move_one_async_std(minute, carry, &queue, &shelf);
        let timed_out = async_std::future::timeout(minute / 10, hurried)
            .await
            .is_err();
        assert!(timed_out, "a one-minute walk outlasts a tenth of a minute");
        move_one_async_std(minute, carry, &queue, &shelf).await;
        (queue.into_inner().into(), shelf.into_inner())
    })
}
// ANCHOR_END: trips_async_std

// ANCHOR: trips_smol
/// Three trips for soup, fish and cake; the second is hurried by a timeout of a tenth of a
/// minute. Returns the dishes still queued and the dishes on the shelf.
pub fn three_trips_smol(minute: Duration, carry: Carry) -> (Vec<&'static str>, Vec<&'static str>) {
    smol::block_on(async {
        let queue = RefCell::new(VecDeque::from(["soup", "fish", "cake"]));
        let shelf = RefCell::new(Vec::new());
        move_one_smol(minute, carry, &queue, &shelf).await;
        // smol has no timeout function: race the trip against a timer with `or`.
        let hurried = async {
            move_one_smol(minute, carry, &queue, &shelf).await;
            false
        };
        let timer = async {
            smol::Timer::after(minute / 10).await;
            true
        };
        let timed_out = smol::future::or(hurried, timer).await;
        assert!(timed_out, "a one-minute walk outlasts a tenth of a minute");
        move_one_smol(minute, carry, &queue, &shelf).await;
        (queue.into_inner().into(), shelf.into_inner())
    })
}
// ANCHOR_END: trips_smol
