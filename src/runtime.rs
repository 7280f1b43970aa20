//! The runtime switch: tokio, async-std or smol, each driven from a single thread.
//!
//! A LoopBot is one thread running many tasks. [`Runtime::block_on`] gives every runtime
//! that shape: tokio's `LocalRuntime` (a `current_thread` runtime that runs `!Send` tasks),
//! async-std's `block_on` (whose thread-local executor runs `spawn_local` tasks), and smol's
//! `LocalExecutor`.
//! Inside it, [`Runtime::sleep`], [`Runtime::spawn_local`] and [`Runtime::unblock`] call the
//! matching function of the chosen runtime and nothing more.
//!
//! ```
//! use loopbot::Runtime;
//! use std::time::{Duration, Instant};
//!
//! for runtime in Runtime::ALL {
//!     let started = Instant::now();
//!     runtime.block_on(async move {
//!         // Two 100 ms naps on one thread overlap: the pair takes 100 ms, not 200.
//!         futures::join!(
//!             runtime.sleep(Duration::from_millis(100)),
//!             runtime.sleep(Duration::from_millis(100)),
//!         );
//!     });
//!     let elapsed = started.elapsed();
//!     assert!(elapsed >= Duration::from_millis(100), "{runtime}: {elapsed:?}");
//!     assert!(elapsed < Duration::from_millis(150), "{runtime}: {elapsed:?}");
//! }
//! ```

use std::cell::RefCell;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::str::FromStr;
use std::task::{Context, Poll};
use std::time::Duration;

/// One of the three async runtimes the book runs every story on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Runtime {
    /// tokio, the most used runtime.
    Tokio,
    /// async-std: discontinued, its 1.13 line is final; kept because much code still uses it.
    AsyncStd,
    /// smol, a small runtime built from small crates; async-std's successor.
    Smol,
}

thread_local! {
    // smol's executor for tasks that stay on this thread. `spawn_local` needs to reach it from
    // inside the future that `block_on` runs, so it lives here rather than on the stack.
    static SMOL_LOCAL: RefCell<Option<std::rc::Rc<smol::LocalExecutor<'static>>>> =
        const { RefCell::new(None) };
}

impl Runtime {
    /// All three runtimes, in the order the book shows them.
    pub const ALL: [Runtime; 3] = [Runtime::Tokio, Runtime::AsyncStd, Runtime::Smol];

    /// The name used on the command line and in JSON: `tokio`, `async-std` or `smol`.
    pub fn name(self) -> &'static str {
        match self {
            Runtime::Tokio => "tokio",
            Runtime::AsyncStd => "async-std",
            Runtime::Smol => "smol",
        }
    }

    /// Runs `future` to completion on the calling thread, and every task it spawns with
    /// [`Runtime::spawn_local`] on that same thread: one LoopBot.
    ///
    /// The future need not be `Send`, because it never leaves this thread.
    pub fn block_on<F: Future>(self, future: F) -> F::Output {
        match self {
            Runtime::Tokio => {
                let runtime = tokio::runtime::Builder::new_current_thread()
                    .enable_time()
                    .build_local(tokio::runtime::LocalOptions::default())
                    .expect("a local tokio runtime builds with the time driver");
                runtime.block_on(future)
            }
            // async-std's block_on also runs the thread-local executor that spawn_local feeds.
            Runtime::AsyncStd => async_std::task::block_on(future),
            Runtime::Smol => {
                let executor = std::rc::Rc::new(smol::LocalExecutor::new());
                let previous = SMOL_LOCAL.with(|slot| slot.borrow_mut().replace(executor.clone()));
                let output = smol::block_on(executor.run(future));
                SMOL_LOCAL.with(|slot| *slot.borrow_mut() = previous);
                output
            }
        }
    }

    /// Waits for `duration` without holding the thread: other tasks run meanwhile.
    ///
    /// On tokio this must run inside [`Runtime::block_on`] (or another tokio runtime).
    pub async fn sleep(self, duration: Duration) {
        match self {
            Runtime::Tokio => tokio::time::sleep(duration).await,
            Runtime::AsyncStd => async_std::task::sleep(duration).await,
            Runtime::Smol => {
                smol::Timer::after(duration).await;
            }
        }
    }

    /// Spawns a task on the current thread's executor; call it inside [`Runtime::block_on`].
    ///
    /// What dropping the returned [`Task`] does is the runtime's own rule: tokio and async-std
    /// let the task run on (detached), smol cancels it. Call [`Task::detach`] to let it run on
    /// every runtime.
    ///
    /// ```
    /// use loopbot::Runtime;
    ///
    /// for runtime in Runtime::ALL {
    ///     let answer = runtime.block_on(async move { runtime.spawn_local(async { 6 * 7 }).await });
    ///     assert_eq!(answer, 42);
    /// }
    /// ```
    pub fn spawn_local<F>(self, future: F) -> Task<F::Output>
    where
        F: Future + 'static,
        F::Output: 'static,
    {
        match self {
            Runtime::Tokio => Task::Tokio(tokio::task::spawn_local(future)),
            Runtime::AsyncStd => Task::AsyncStd(async_std::task::spawn_local(future)),
            Runtime::Smol => {
                let executor = SMOL_LOCAL.with(|slot| slot.borrow().clone()).expect(
                    "Runtime::Smol.spawn_local must be called inside Runtime::Smol.block_on",
                );
                Task::Smol(executor.spawn(future))
            }
        }
    }

    /// Runs a blocking closure on the runtime's pool of blocking threads and waits for it
    /// without holding this thread: tokio's `spawn_blocking`, async-std's `spawn_blocking`,
    /// smol's `unblock`.
    ///
    /// ```
    /// use loopbot::Runtime;
    /// use std::time::{Duration, Instant};
    ///
    /// for runtime in Runtime::ALL {
    ///     let started = Instant::now();
    ///     runtime.block_on(async move {
    ///         // The blocking nap runs on another thread while this one serves the timer.
    ///         futures::join!(
    ///             runtime.unblock(|| std::thread::sleep(Duration::from_millis(100))),
    ///             runtime.sleep(Duration::from_millis(100)),
    ///         );
    ///     });
    ///     // 100 ms side by side, not 200 one after the other.
    ///     assert!(started.elapsed() < Duration::from_millis(150), "{runtime}");
    /// }
    /// ```
    pub async fn unblock<T, F>(self, work: F) -> T
    where
        F: FnOnce() -> T + Send + 'static,
        T: Send + 'static,
    {
        match self {
            Runtime::Tokio => match tokio::task::spawn_blocking(work).await {
                Ok(value) => value,
                Err(error) => std::panic::resume_unwind(error.into_panic()),
            },
            Runtime::AsyncStd => async_std::task::spawn_blocking(work).await,
            Runtime::Smol => smol::unblock(work).await,
        }
    }
}

impl fmt::Display for Runtime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Runtime {
    type Err = String;

    /// Parses `tokio`, `async-std` or `smol`.
    ///
    /// ```
    /// use loopbot::Runtime;
    ///
    /// assert_eq!("async-std".parse::<Runtime>(), Ok(Runtime::AsyncStd));
    /// assert!("trio".parse::<Runtime>().unwrap_err().contains("tokio, async-std, smol"));
    /// ```
    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Runtime::ALL
            .into_iter()
            .find(|runtime| runtime.name() == name)
            .ok_or_else(|| {
                format!("unknown runtime '{name}' (expected one of: tokio, async-std, smol)")
            })
    }
}

/// A handle to a task spawned with [`Runtime::spawn_local`]; await it for the task's output.
#[derive(Debug)]
pub enum Task<T> {
    /// A tokio task: dropping the handle detaches it.
    Tokio(tokio::task::JoinHandle<T>),
    /// An async-std task: dropping the handle detaches it.
    AsyncStd(async_std::task::JoinHandle<T>),
    /// A smol task: dropping the handle cancels it.
    Smol(smol::Task<T>),
}

impl<T> Task<T> {
    /// Lets the task run to the end without anyone awaiting it, on every runtime.
    pub fn detach(self) {
        match self {
            Task::Tokio(_) | Task::AsyncStd(_) => {}
            Task::Smol(task) => task.detach(),
        }
    }
}

impl<T> Future for Task<T> {
    type Output = T;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<T> {
        match self.get_mut() {
            Task::Tokio(handle) => match Pin::new(handle).poll(cx) {
                Poll::Ready(Ok(value)) => Poll::Ready(value),
                // A task that panicked passes its panic on to whoever awaits it, as on the others.
                Poll::Ready(Err(error)) if error.is_panic() => {
                    std::panic::resume_unwind(error.into_panic())
                }
                Poll::Ready(Err(error)) => panic!("tokio task ended without a value: {error}"),
                Poll::Pending => Poll::Pending,
            },
            Task::AsyncStd(handle) => Pin::new(handle).poll(cx),
            Task::Smol(task) => Pin::new(task).poll(cx),
        }
    }
}
