//! The event loop cannot interrupt a task: three tasks on one thread, each taking three steps
//! and yielding between them, share a log through an `Rc`. With the yields, the steps come in
//! rounds; without them, each task runs to its end before the next one starts.

// ANCHOR: shared
use std::cell::RefCell;
use std::rc::Rc;
// ANCHOR_END: shared

// ANCHOR: tokio
/// Writes `A1`, `A2`, `A3` (for `name` A) to the log, yielding after each step if `yields`.
async fn three_steps_tokio(name: &'static str, log: Rc<RefCell<Vec<String>>>, yields: bool) {
    for step in 1..=3 {
        log.borrow_mut().push(format!("{name}{step}"));
        if yields {
            tokio::task::yield_now().await; // the Rc is held across this .await
        }
    }
}

/// Tasks A, B and C on one thread; returns the log they wrote.
pub fn three_tasks_tokio(yields: bool) -> Vec<String> {
    // A local runtime: one thread, and tasks that must stay on it.
    let runtime = tokio::runtime::Builder::new_current_thread()
        .build_local(tokio::runtime::LocalOptions::default())
        .expect("tokio starts");
    let log = Rc::new(RefCell::new(Vec::new()));
    runtime.block_on(async {
        let tasks = ["A", "B", "C"]
            .map(|name| tokio::task::spawn_local(three_steps_tokio(name, log.clone(), yields)));
        for task in tasks {
            task.await.expect("no task panics");
        }
    });
    log.take()
}
// ANCHOR_END: tokio

// ANCHOR: async_std
/// Writes `A1`, `A2`, `A3` (for `name` A) to the log, yielding after each step if `yields`.
async fn three_steps_async_std(name: &'static str, log: Rc<RefCell<Vec<String>>>, yields: bool) {
    for step in 1..=3 {
        log.borrow_mut().push(format!("{name}{step}"));
        if yields {
            async_std::task::yield_now().await; // the Rc is held across this .await
        }
    }
}

/// Tasks A, B and C on one thread; returns the log they wrote.
pub fn three_tasks_async_std(yields: bool) -> Vec<String> {
    let log = Rc::new(RefCell::new(Vec::new()));
    // spawn_local (behind async-std's "unstable" feature) keeps each task on this thread.
    async_std::task::block_on(async {
        let tasks = ["A", "B", "C"].map(|name| {
            async_std::task::spawn_local(three_steps_async_std(name, log.clone(), yields))
        });
        for task in tasks {
            task.await;
        }
    });
    log.take()
}
// ANCHOR_END: async_std

// ANCHOR: smol
/// Writes `A1`, `A2`, `A3` (for `name` A) to the log, yielding after each step if `yields`.
async fn three_steps_smol(name: &'static str, log: Rc<RefCell<Vec<String>>>, yields: bool) {
    for step in 1..=3 {
        log.borrow_mut().push(format!("{name}{step}"));
        if yields {
            smol::future::yield_now().await; // the Rc is held across this .await
        }
    }
}

/// Tasks A, B and C on one thread; returns the log they wrote.
pub fn three_tasks_smol(yields: bool) -> Vec<String> {
    let log = Rc::new(RefCell::new(Vec::new()));
    // A LocalExecutor runs tasks that must stay on this thread.
    let executor = smol::LocalExecutor::new();
    smol::block_on(executor.run(async {
        let tasks =
            ["A", "B", "C"].map(|name| executor.spawn(three_steps_smol(name, log.clone(), yields)));
        for task in tasks {
            task.await;
        }
    }));
    log.take()
}
// ANCHOR_END: smol
