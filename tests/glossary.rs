//! The glossary cannot rot: every Rust name in its table is compiled here.
//!
//! `checked!` turns each path into a `use` (which compiles only if the item exists in the
//! pinned crate versions) and into the text the table must show. The test then reads the
//! table in `src/glossary.md` and fails if a cell names something not compiled here, if a
//! compiled name is no longer in the table, or if a row appears that this file does not know.

use crate::common;

use common::claim;

macro_rules! checked {
    ($($first:ident $(:: $rest:ident)*),* $(,)?) => {
        #[allow(unused_imports)]
        mod compiled {
            $(use $first $(:: $rest)* as _;)*
        }
        const CHECKED: &[&str] = &[$(concat!(stringify!($first) $(, "::", stringify!($rest))*)),*];
    };
}

checked![
    // Tests, and watching a runtime.
    tokio::test,
    tokio::time::pause,
    tokio_metrics::TaskMonitor,
    // Starting a runtime.
    tokio::main,
    async_std::task::block_on,
    smol::block_on,
    // Tasks.
    tokio::spawn,
    tokio::task::spawn_local,
    tokio::task::AbortHandle,
    tokio::task::JoinSet,
    tokio_util::task::TaskTracker,
    tokio_util::sync::CancellationToken,
    tokio::task::spawn_blocking,
    async_std::task::spawn,
    async_std::task::spawn_local,
    async_std::task::spawn_blocking,
    smol::spawn,
    smol::LocalExecutor,
    smol::Executor,
    smol::Task,
    smol::unblock,
    // Waiting for many, and for a while.
    tokio::join,
    tokio::try_join,
    futures::join,
    futures::future::join_all,
    futures::stream::FuturesUnordered,
    smol::future::zip,
    smol::future::or,
    tokio::time::timeout,
    tokio::select,
    futures::future::select,
    futures::select,
    smol::future::race,
    tokio::task::JoinHandle,
    async_std::task::JoinHandle,
    std::ops::Drop,
    tokio::time::timeout_at,
    tokio::time::Instant,
    tokio::time::sleep,
    async_std::future::timeout,
    async_std::task::sleep,
    smol::Timer,
    // Futures, queues and locks.
    std::future::Future,
    tokio::sync::oneshot,
    futures::channel::oneshot,
    tokio::sync::mpsc,
    tokio::sync::mpsc::channel,
    tokio::sync::mpsc::unbounded_channel,
    async_std::channel::bounded,
    async_std::channel::unbounded,
    smol::channel::unbounded,
    async_std::channel::Receiver,
    smol::channel::Receiver,
    futures::StreamExt,
    smol::stream::StreamExt,
    async_std::channel,
    smol::channel,
    smol::channel::bounded,
    tokio::sync::Mutex,
    async_std::sync::Mutex,
    smol::lock::Mutex,
    tokio::sync::Notify,
    tokio::sync::watch,
    async_std::sync::Condvar,
    tokio::sync::Semaphore,
    smol::lock::Semaphore,
];

/// Methods cannot be imported with `use`: each becomes a function pointer instead, with
/// enough type arguments to pin it down.
macro_rules! checked_methods {
    ($($first:ident $(:: $rest:ident)* $(<$($generic:ty),*>)? . $method:ident $(::<$($method_generic:ty),*>)?);* $(;)?) => {
        #[allow(dead_code)]
        fn methods_compile() {
            $(let _ = <$first $(:: $rest)* $(<$($generic),*>)?>::$method $(::<$($method_generic),*>)?;)*
        }
        const CHECKED_METHODS: &[&str] = &[$(concat!(stringify!($first) $(, "::", stringify!($rest))*, "::", stringify!($method))),*];
    };
}

checked_methods![
    tokio::runtime::Runtime.block_on::<std::future::Ready<()>>;
    tokio::runtime::Handle.current;
    tokio::task::JoinSet<()>.join_next;
    tokio::task::JoinSet<()>.shutdown;
    tokio::sync::mpsc::Receiver<()>.recv;
    tokio::task::JoinHandle<()>.abort;
    async_std::task::JoinHandle<()>.cancel;
    smol::Task<()>.cancel;
    tokio::sync::Mutex<()>.lock;
    async_std::sync::Mutex<()>.lock;
    smol::lock::Mutex<()>.lock;
    tokio::runtime::RuntimeMetrics.worker_total_busy_duration;
];

/// The language's own words in the table, not a library's: `keywords_compile` is their check.
const KEYWORDS: [&str; 4] = ["async fn", ".await", "&mut", "while let"];

#[allow(dead_code)]
async fn keywords_compile() -> u8 {
    async fn seven() -> u8 {
        7
    }
    let mut later = std::pin::pin!(seven());
    let borrowed: &mut std::pin::Pin<&mut _> = &mut later;
    let (mut plates, mut counted) = (vec![borrowed.await], 0);
    while let Some(plate) = plates.pop() {
        counted += plate;
    }
    counted
}

/// The asyncio names the table has rows for, in order. A new row must be added here too.
const ASYNCIO_ROWS: [&str; 25] = [
    "async def / await",
    "asyncio.run",
    "asyncio.create_task",
    "asyncio.gather",
    "asyncio.wait_for",
    "asyncio.timeout",
    "asyncio.timeout_at",
    "asyncio.sleep",
    "asyncio.to_thread, loop.run_in_executor",
    "asyncio.TaskGroup",
    "asyncio.as_completed",
    "Task.cancel",
    "async for",
    "asyncio.wait / FIRST_COMPLETED",
    "asyncio.shield",
    "asyncio.CancelledError",
    "asyncio.Future",
    "asyncio.Queue",
    "asyncio.Lock",
    "asyncio.Event",
    "asyncio.Semaphore",
    "asyncio.get_running_loop",
    "async with",
    "loop.slow_callback_duration",
    "unittest.IsolatedAsyncioTestCase",
];

/// The version `Cargo.toml` asks for `crate_name` (its first entry, without a leading `=`).
fn pinned(crate_name: &str) -> String {
    let manifest = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/Cargo.toml"))
        .expect("the manifest exists");
    let line = manifest
        .lines()
        .find(|line| line.starts_with(&format!("{crate_name} = ")))
        .unwrap_or_else(|| panic!("Cargo.toml does not depend on {crate_name}"));
    let after = line
        .split_once("version = ")
        .map_or(line, |(_, version)| version);
    let version = after.split('"').nth(1).expect("a quoted version");
    version.trim_start_matches('=').to_string()
}

/// The glossary names the versions its table was compiled against: the ones `Cargo.toml` pins.
#[test]
fn the_versions_the_glossary_names_are_the_ones_the_book_pins() {
    for (crate_name, named) in [
        ("tokio", claim("glossary.pins.tokio", 1.54)),
        ("async-std", claim("glossary.pins.async-std", 1.13)),
        ("smol", claim("glossary.pins.smol", 2.0)),
        ("futures", claim("glossary.pins.futures", 0.3)),
    ] {
        let pinned = pinned(crate_name);
        assert!(
            pinned.starts_with(&format!("{named}.")),
            "glossary.md names {crate_name} {named}, and Cargo.toml pins {pinned}"
        );
    }
}

/// The text between backticks in `cell`.
fn code_spans(cell: &str) -> Vec<&str> {
    cell.split('`').skip(1).step_by(2).collect()
}

/// The table's rows after the header, each as four cells: the asyncio name, then what
/// tokio, async-std and smol offer (one line each in the page's second column).
fn rows() -> Vec<Vec<String>> {
    let page = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/src/glossary.md"))
        .expect("the glossary page exists");
    let start = page.find("<!-- glossary table").expect("the start marker");
    let end = page
        .find("<!-- end of glossary table")
        .expect("the end marker");
    page[start..end]
        .lines()
        .filter(|line| line.starts_with('|'))
        .skip(2) // the header and the |---| line
        .map(|line| {
            let (asyncio, rust) = line
                .trim_matches('|')
                .split_once(" | ")
                .expect("two columns");
            let mut cells = vec![asyncio.trim().to_string()];
            let runtimes = ["**tokio**: ", "**async-std**: ", "**smol**: "];
            for (part, runtime) in rust.trim().split("<br>").zip(runtimes) {
                let cell = part
                    .strip_prefix(runtime)
                    .unwrap_or_else(|| panic!("'{part}' should start with {runtime} in: {line}"));
                cells.push(cell.to_string());
            }
            cells
        })
        .collect()
}

#[test]
fn the_table_has_exactly_the_known_rows_each_with_four_cells() {
    let rows = rows();
    let asyncio: Vec<String> = rows
        .iter()
        .map(|row| {
            code_spans(&row[0])
                .join(" / ")
                .replace(" / loop.", ", loop.")
        })
        .collect();
    assert_eq!(
        asyncio, ASYNCIO_ROWS,
        "add new rows to ASYNCIO_ROWS and their names to checked!"
    );
    for row in &rows {
        assert_eq!(row.len(), 4, "{row:?}");
        for cell in &row[1..] {
            assert!(
                !code_spans(cell).is_empty(),
                "a cell with no Rust name: {row:?}"
            );
        }
    }
}

#[test]
fn every_rust_name_in_the_table_is_compiled_here() {
    let mut unchecked = Vec::new();
    for row in rows() {
        for cell in &row[1..] {
            for span in code_spans(cell) {
                let name = span.trim_end_matches('!');
                if !CHECKED.contains(&name)
                    && !CHECKED_METHODS.contains(&name)
                    && !KEYWORDS.contains(&name)
                {
                    unchecked.push(span.to_string());
                }
            }
        }
    }
    assert!(
        unchecked.is_empty(),
        "not checked by tests/glossary.rs: {unchecked:?}"
    );
}

#[test]
fn every_compiled_name_is_still_in_the_table() {
    let shown: Vec<String> = rows()
        .iter()
        .flat_map(|row| row[1..].to_vec())
        .flat_map(|cell| {
            code_spans(&cell)
                .into_iter()
                .map(|span| span.trim_end_matches('!').to_string())
                .collect::<Vec<_>>()
        })
        .collect();
    for name in CHECKED.iter().chain(CHECKED_METHODS).chain(KEYWORDS.iter()) {
        assert!(
            shown.iter().any(|span| span == name),
            "{name} is checked but not in the table"
        );
    }
}

/// The note under the table: `asyncio.timeout(delay)` is `timeout(delay, async { body })` and
/// `asyncio.timeout_at(when)` is `timeout_at(when, ...)`; both give `Err(Elapsed)` when time
/// runs out, and the body's value when it finishes first. Only sleeps here, so the paused clock
/// is exact.
#[tokio::test(flavor = "current_thread", start_paused = true)]
async fn tokio_timeout_and_timeout_at_give_up_on_an_async_block_in_time() {
    use std::time::Duration;
    use tokio::time::{Instant, sleep, timeout, timeout_at};
    let second = Duration::from_secs(1);
    let body = |seconds: u32| async move {
        sleep(seconds * second).await;
        seconds
    };
    let start = Instant::now();
    assert!(timeout(2 * second, body(5)).await.is_err());
    assert_eq!(start.elapsed(), 2 * second);
    assert_eq!(timeout(2 * second, body(1)).await, Ok(1));
    let deadline = Instant::now() + 2 * second;
    assert!(timeout_at(deadline, body(5)).await.is_err());
    assert_eq!(Instant::now(), deadline);
    assert_eq!(
        timeout_at(Instant::now() + 2 * second, body(1)).await,
        Ok(1)
    );
}

/// The `asyncio.Future` row: smol has no one-shot channel of its own; the `futures` crate's
/// works under smol, and so does a `smol::channel` with room for one message.
#[test]
fn a_one_shot_receipt_on_smol_from_the_futures_crate_or_a_bounded_channel() {
    smol::block_on(async {
        let (counter, receipt) = futures::channel::oneshot::channel();
        std::thread::spawn(move || counter.send("a clean shirt").unwrap());
        assert_eq!(receipt.await, Ok("a clean shirt"));

        let (counter, receipt) = smol::channel::bounded(1);
        std::thread::spawn(move || counter.try_send("a clean coat").unwrap());
        assert_eq!(receipt.recv().await, Ok("a clean coat"));
    });
}

/// The newest build of `crate_name` in this test's own deps folder, for rustc's `--extern`.
fn built_library(crate_name: &str) -> std::path::PathBuf {
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    std::fs::read_dir(&deps)
        .unwrap()
        .filter_map(|entry| entry.ok().map(|entry| entry.path()))
        .filter(|path| {
            let name = path.file_name().unwrap().to_string_lossy();
            name.starts_with(&format!("lib{crate_name}-")) && name.ends_with(".rlib")
        })
        .max_by_key(|path| path.metadata().and_then(|meta| meta.modified()).ok())
        .unwrap_or_else(|| panic!("no lib{crate_name}-*.rlib in {}", deps.display()))
}

/// Compiles `main` (which may use `crate_name`) with rustc, with `--cfg borrow` or without, and
/// returns whether it compiled and what rustc printed.
fn compile_with(crate_name: &str, main: &str, borrow: bool) -> (bool, String) {
    let dir = std::env::temp_dir().join(format!(
        "loopbot-glossary-{crate_name}-{borrow}-{}",
        std::process::id()
    ));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("main.rs"), main).unwrap();
    let deps = std::env::current_exe()
        .unwrap()
        .parent()
        .unwrap()
        .to_path_buf();
    let library = built_library(crate_name);
    let mut rustc = std::process::Command::new("rustc");
    rustc
        .args([
            "--edition",
            "2024",
            "--color",
            "never",
            "--emit",
            "metadata",
        ])
        .arg("-L")
        .arg(format!("dependency={}", deps.display()))
        .arg("--extern")
        .arg(format!("{crate_name}={}", library.display()))
        .args(["main.rs", "-o", "main.rmeta"])
        .current_dir(&dir);
    if borrow {
        rustc.args(["--cfg", "borrow"]);
    }
    let output = rustc.output().expect("rustc runs");
    std::fs::remove_dir_all(&dir).unwrap();
    (
        output.status.success(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

/// The note under the table: tokio's and async-std's `spawn_local` still want `'static`. The
/// same program compiles when the task owns an `Rc`, and not when it borrows a local.
#[test]
fn tokio_and_async_std_spawn_local_still_need_static_futures() {
    for (crate_name, spawn_local) in [
        ("tokio", "tokio::task::spawn_local"),
        ("async_std", "async_std::task::spawn_local"),
    ] {
        let main = format!(
            "#![allow(unused_must_use)]\n\
             fn main() {{\n\
             \x20   let ran = std::cell::Cell::new(false);\n\
             \x20   #[cfg(borrow)]\n\
             \x20   {spawn_local}(async {{ ran.set(true) }});\n\
             \x20   #[cfg(not(borrow))]\n\
             \x20   {{\n\
             \x20       let ran = std::rc::Rc::new(ran);\n\
             \x20       {spawn_local}(async move {{ ran.set(true) }});\n\
             \x20   }}\n\
             }}\n"
        );
        let (owned, printed) = compile_with(crate_name, &main, false);
        assert!(
            owned,
            "{crate_name}: the owning task should compile:\n{printed}"
        );
        let (borrowed, printed) = compile_with(crate_name, &main, true);
        assert!(!borrowed, "{crate_name}: a borrowing task compiled");
        // E0373: the task may outlive `main`'s local, which only a 'static bound demands.
        assert!(
            printed.contains("may outlive borrowed value `ran`"),
            "{crate_name}:\n{printed}"
        );
    }
}
