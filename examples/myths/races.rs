//! Myth 4, "async prevents race conditions": two futures joined in one task, on one thread,
//! each add 1 to a shared counter 10 times, with an `.await` between reading the counter and
//! writing it back. Without a lock updates are lost (the count ends under 20); with an async
//! lock held across the `.await`, none is. `join!` polls the two in turn inside one task, so
//! they interleave at their `.await`s exactly as two tasks spawned on one thread would.

use std::time::Duration;

// ANCHOR: race_tokio
/// Two futures joined in one task add 1 ten times each, with an `.await` in the middle.
/// Returns the final count.
pub fn race_tokio() -> u32 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    rt.block_on(async {
        let counter = &std::cell::Cell::new(0);
        let add_ten = || async move {
            for _ in 0..10 {
                let read = counter.get();
                tokio::time::sleep(Duration::from_millis(1)).await; // the other future runs here
                counter.set(read + 1);
            }
        };
        tokio::join!(add_ten(), add_ten());
        counter.get()
    })
}
// ANCHOR_END: race_tokio

// ANCHOR: race_async_std
/// Two futures joined in one task add 1 ten times each, with an `.await` in the middle.
/// Returns the final count.
pub fn race_async_std() -> u32 {
    async_std::task::block_on(async {
        let counter = &std::cell::Cell::new(0);
        let add_ten = || async move {
            for _ in 0..10 {
                let read = counter.get();
                async_std::task::sleep(Duration::from_millis(1)).await; // the other future runs here
                counter.set(read + 1);
            }
        };
        futures::join!(add_ten(), add_ten());
        counter.get()
    })
}
// ANCHOR_END: race_async_std

// ANCHOR: race_smol
/// Two futures joined in one task add 1 ten times each, with an `.await` in the middle.
/// Returns the final count.
pub fn race_smol() -> u32 {
    smol::block_on(async {
        let counter = &std::cell::Cell::new(0);
        let add_ten = || async move {
            for _ in 0..10 {
                let read = counter.get();
                smol::Timer::after(Duration::from_millis(1)).await; // the other future runs here
                counter.set(read + 1);
            }
        };
        futures::join!(add_ten(), add_ten());
        counter.get()
    })
}
// ANCHOR_END: race_smol

// ANCHOR: race_fixed_tokio
/// The same two joined futures, each holding an async lock from the read to the write.
pub fn race_locked_tokio() -> u32 {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .build()
        .expect("tokio starts");
    rt.block_on(async {
        let counter = &tokio::sync::Mutex::new(0);
        let add_ten = || async move {
            for _ in 0..10 {
                let mut count = counter.lock().await; // held across the .await below
                let read = *count;
                tokio::time::sleep(Duration::from_millis(1)).await;
                *count = read + 1;
            }
        };
        tokio::join!(add_ten(), add_ten());
        *counter.lock().await
    })
}
// ANCHOR_END: race_fixed_tokio

// ANCHOR: race_fixed_async_std
/// The same two joined futures, each holding an async lock from the read to the write.
pub fn race_locked_async_std() -> u32 {
    async_std::task::block_on(async {
        let counter = &async_std::sync::Mutex::new(0);
        let add_ten = || async move {
            for _ in 0..10 {
                let mut count = counter.lock().await; // held across the .await below
                let read = *count;
                async_std::task::sleep(Duration::from_millis(1)).await;
                *count = read + 1;
            }
        };
        futures::join!(add_ten(), add_ten());
        *counter.lock().await
    })
}
// ANCHOR_END: race_fixed_async_std

// ANCHOR: race_fixed_smol
/// The same two joined futures, each holding an async lock from the read to the write.
pub fn race_locked_smol() -> u32 {
    smol::block_on(async {
        let counter = &smol::lock::Mutex::new(0);
        let add_ten = || async move {
            for _ in 0..10 {
                let mut count = counter.lock().await; // held across the .await below
                let read = *count;
                smol::Timer::after(Duration::from_millis(1)).await;
                *count = read + 1;
            }
        };
        futures::join!(add_ten(), add_ten());
        *counter.lock().await
    })
}
// ANCHOR_END: race_fixed_smol
