//! Cancel safety: the ChefBot reads order slips off a wire, one line each, calls each order
//! back ("heard: soup"), and in the same loop answers the pass bell. The WaitBot at the other
//! end types the slips; now and then, once every whole slip it typed has been called back, it
//! rings the bell and waits for the answer before it types on, sometimes in the middle of a
//! slip. Waiting for the call-backs makes each ring fall while the read loop is idle with
//! whatever half slip the wire held, on every runtime and however busy the machine.
//!
//! The read loop races "the next slip" against "the bell", with the read first, so that the
//! read always takes what the wire holds before the bell can win. A read that is not cancel
//! safe keeps the half slip it took inside its own future, and loses it when the bell wins;
//! a cancel-safe one keeps it in the reader, which outlives the race.

/// What the WaitBot does at its end of the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Types these bytes on the wire.
    Type(String),
    /// Waits until the ChefBot has called back every whole slip typed so far, rings the pass
    /// bell, and waits until the ChefBot answers it.
    Ring,
}

/// How the ChefBot reads a slip.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Read {
    /// `read_line` in the race: not cancel safe.
    ReadLine,
    /// The next item of the reader's `lines()`: cancel safe.
    Lines,
}

/// The WaitBot's script in which a ring falls in the middle of a slip: "soup", then half of
/// "souffle", the bell, then the rest of it and "cake".
pub fn ring_mid_slip() -> Vec<Step> {
    vec![
        Step::Type("soup\nsouf".into()),
        Step::Ring,
        Step::Type("fle\ncake\n".into()),
    ]
}

/// A random script that types `slips` in pieces of `piece` bytes (the last piece may be
/// shorter), with a ring after a piece, one time in three.
pub fn random_script(
    slips: &[String],
    piece: std::ops::RangeInclusive<usize>,
    rng: &mut fastrand::Rng,
) -> Vec<Step> {
    let text: String = slips.iter().map(|slip| format!("{slip}\n")).collect();
    let mut script = Vec::new();
    let mut rest = text.as_str();
    while !rest.is_empty() {
        let cut = rng.usize(piece.clone()).min(rest.len());
        let (piece, after) = rest.split_at(cut);
        script.push(Step::Type(piece.to_string()));
        if rng.usize(0..3) == 0 {
            script.push(Step::Ring);
        }
        rest = after;
    }
    script
}

mod on_tokio {
    use super::{Read, Step};
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::UnixStream;
    use tokio::sync::mpsc;

    /// The WaitBot: follows the script, closes the wire, and returns every slip called back.
    async fn wait_bot(
        mut wire: UnixStream,
        script: Vec<Step>,
        (ring, mut answer): (mpsc::Sender<()>, mpsc::Receiver<()>),
        mut heard: mpsc::UnboundedReceiver<String>,
    ) -> Vec<String> {
        let (mut typed, mut called_back) = (0, Vec::new());
        for step in script {
            match step {
                Step::Type(text) => {
                    typed += text.matches('\n').count();
                    wire.write_all(text.as_bytes()).await.expect("typed");
                }
                Step::Ring => {
                    while called_back.len() < typed {
                        called_back.push(heard.recv().await.expect("the ChefBot calls back"));
                    }
                    ring.send(()).await.expect("the ChefBot hears the bell");
                    answer.recv().await.expect("the ChefBot answers");
                }
            }
        }
        drop(wire);
        while let Some(slip) = heard.recv().await {
            called_back.push(slip);
        }
        called_back
    }

    // ANCHOR: read_line_tokio
    /// Reads slips until the wire closes, calls each one back, and answers the bell.
    async fn chef_bot_read_line(
        wire: UnixStream,
        heard: mpsc::UnboundedSender<String>,
        mut bell: mpsc::Receiver<()>,
        answer: mpsc::Sender<()>,
    ) {
        let mut wire = BufReader::new(wire);
        let mut slip = String::new();
        loop {
            tokio::select! {
                biased; // the read goes first: it takes what the wire holds
                read = wire.read_line(&mut slip) => {
                    if read.expect("the wire works") == 0 {
                        return;
                    }
                    heard.send(slip.trim_end().to_string()).expect("the WaitBot listens");
                    slip.clear();
                }
                // If the bell wins, the read_line future is dropped, and with it the
                // half slip it had taken off the wire.
                Some(()) = bell.recv() => answer.send(()).await.expect("the WaitBot listens"),
            }
        }
    }
    // ANCHOR_END: read_line_tokio

    // ANCHOR: lines_tokio
    /// Reads slips until the wire closes, calls each one back, and answers the bell.
    async fn chef_bot_lines(
        wire: UnixStream,
        heard: mpsc::UnboundedSender<String>,
        mut bell: mpsc::Receiver<()>,
        answer: mpsc::Sender<()>,
    ) {
        // A half slip waits in `lines`, which outlives every turn of the race.
        let mut lines = BufReader::new(wire).lines();
        loop {
            tokio::select! {
                biased;
                line = lines.next_line() => match line.expect("the wire works") {
                    Some(slip) => heard.send(slip).expect("the WaitBot listens"),
                    None => return,
                },
                Some(()) = bell.recv() => answer.send(()).await.expect("the WaitBot listens"),
            }
        }
    }
    // ANCHOR_END: lines_tokio

    /// The WaitBot and the ChefBot, joined on one thread.
    pub fn run(script: Vec<Step>, read: Read) -> Vec<String> {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_io()
            .build()
            .expect("tokio starts");
        runtime.block_on(async {
            let (typing, reading) = UnixStream::pair().expect("a socket pair");
            let (call_back, heard) = mpsc::unbounded_channel();
            let (ring, bell) = mpsc::channel(1);
            let (reply, answer) = mpsc::channel(1);
            let waiter = wait_bot(typing, script, (ring, answer), heard);
            let chef = async {
                match read {
                    Read::ReadLine => chef_bot_read_line(reading, call_back, bell, reply).await,
                    Read::Lines => chef_bot_lines(reading, call_back, bell, reply).await,
                }
            };
            tokio::join!(waiter, chef).0
        })
    }
}

mod on_async_std {
    use super::{Read, Step};
    use async_std::channel::{Receiver, Sender, bounded, unbounded};
    use async_std::io::{BufReader, prelude::BufReadExt, prelude::WriteExt};
    use async_std::os::unix::net::UnixStream;
    use futures::StreamExt;
    use futures::future::{Either, select};
    use std::pin::pin;

    /// The WaitBot: follows the script, closes the wire, and returns every slip called back.
    async fn wait_bot(
        mut wire: UnixStream,
        script: Vec<Step>,
        (ring, answer): (Sender<()>, Receiver<()>),
        heard: Receiver<String>,
    ) -> Vec<String> {
        let (mut typed, mut called_back) = (0, Vec::new());
        for step in script {
            match step {
                Step::Type(text) => {
                    typed += text.matches('\n').count();
                    wire.write_all(text.as_bytes()).await.expect("typed");
                }
                Step::Ring => {
                    while called_back.len() < typed {
                        called_back.push(heard.recv().await.expect("the ChefBot calls back"));
                    }
                    ring.send(()).await.expect("the ChefBot hears the bell");
                    answer.recv().await.expect("the ChefBot answers");
                }
            }
        }
        drop(wire);
        while let Ok(slip) = heard.recv().await {
            called_back.push(slip);
        }
        called_back
    }

    // ANCHOR: read_line_async_std
    /// Reads slips until the wire closes, calls each one back, and answers the bell.
    async fn chef_bot_read_line(
        wire: UnixStream,
        heard: Sender<String>,
        bell: Receiver<()>,
        answer: Sender<()>,
    ) {
        let mut wire = BufReader::new(wire);
        let mut slip = String::new();
        loop {
            // `select` polls its first future first: the read takes what the wire holds.
            let read = pin!(wire.read_line(&mut slip));
            match select(read, pin!(bell.recv())).await {
                Either::Left((read, _bell)) => {
                    if read.expect("the wire works") == 0 {
                        return;
                    }
                    heard
                        .send(slip.trim_end().to_string())
                        .await
                        .expect("the WaitBot listens");
                    slip.clear();
                }
                // The bell won: the read is dropped at the end of this turn, and with it
                // the half slip it had taken off the wire.
                Either::Right((rung, _read)) => {
                    rung.expect("the WaitBot keeps the bell while it types");
                    answer.send(()).await.expect("the WaitBot listens");
                }
            }
        }
    }
    // ANCHOR_END: read_line_async_std

    // ANCHOR: lines_async_std
    /// Reads slips until the wire closes, calls each one back, and answers the bell.
    async fn chef_bot_lines(
        wire: UnixStream,
        heard: Sender<String>,
        bell: Receiver<()>,
        answer: Sender<()>,
    ) {
        // A half slip waits in `lines`, which outlives every turn of the race.
        let mut lines = BufReader::new(wire).lines();
        loop {
            match select(lines.next(), pin!(bell.recv())).await {
                Either::Left((Some(slip), _bell)) => {
                    let slip = slip.expect("the wire works");
                    heard.send(slip).await.expect("the WaitBot listens");
                }
                Either::Left((None, _bell)) => return,
                Either::Right((rung, _next)) => {
                    rung.expect("the WaitBot keeps the bell while it types");
                    answer.send(()).await.expect("the WaitBot listens");
                }
            }
        }
    }
    // ANCHOR_END: lines_async_std

    /// The WaitBot and the ChefBot, joined on one thread.
    pub fn run(script: Vec<Step>, read: Read) -> Vec<String> {
        async_std::task::block_on(async {
            let (typing, reading) = UnixStream::pair().expect("a socket pair");
            let (call_back, heard) = unbounded();
            let (ring, bell) = bounded(1);
            let (reply, answer) = bounded(1);
            let waiter = wait_bot(typing, script, (ring, answer), heard);
            let chef = async {
                match read {
                    Read::ReadLine => chef_bot_read_line(reading, call_back, bell, reply).await,
                    Read::Lines => chef_bot_lines(reading, call_back, bell, reply).await,
                }
            };
            futures::join!(waiter, chef).0
        })
    }
}

mod on_smol {
    use super::{Read, Step};
    use smol::channel::{Receiver, Sender, bounded, unbounded};
    use smol::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use smol::net::unix::UnixStream;
    use smol::stream::StreamExt;

    /// The WaitBot: follows the script, closes the wire, and returns every slip called back.
    async fn wait_bot(
        mut wire: UnixStream,
        script: Vec<Step>,
        (ring, answer): (Sender<()>, Receiver<()>),
        heard: Receiver<String>,
    ) -> Vec<String> {
        let (mut typed, mut called_back) = (0, Vec::new());
        for step in script {
            match step {
                Step::Type(text) => {
                    typed += text.matches('\n').count();
                    wire.write_all(text.as_bytes()).await.expect("typed");
                }
                Step::Ring => {
                    while called_back.len() < typed {
                        called_back.push(heard.recv().await.expect("the ChefBot calls back"));
                    }
                    ring.send(()).await.expect("the ChefBot hears the bell");
                    answer.recv().await.expect("the ChefBot answers");
                }
            }
        }
        drop(wire);
        while let Ok(slip) = heard.recv().await {
            called_back.push(slip);
        }
        called_back
    }

    // ANCHOR: read_line_smol
    /// What came first in one turn of the race.
    enum Heard<T> {
        Slip(T),
        Bell,
    }

    /// Reads slips until the wire closes, calls each one back, and answers the bell.
    async fn chef_bot_read_line(
        wire: UnixStream,
        heard: Sender<String>,
        bell: Receiver<()>,
        answer: Sender<()>,
    ) {
        let mut wire = BufReader::new(wire);
        let mut slip = String::new();
        loop {
            // `or` polls its first future first: the read takes what the wire holds.
            let read = async { Heard::Slip(wire.read_line(&mut slip).await) };
            let rung = async {
                bell.recv()
                    .await
                    .expect("the WaitBot keeps the bell while it types");
                Heard::Bell
            };
            // If the bell wins, `or` drops the read, and the half slip it had taken.
            match smol::future::or(read, rung).await {
                Heard::Slip(read) => {
                    if read.expect("the wire works") == 0 {
                        return;
                    }
                    heard
                        .send(slip.trim_end().to_string())
                        .await
                        .expect("the WaitBot listens");
                    slip.clear();
                }
                Heard::Bell => answer.send(()).await.expect("the WaitBot listens"),
            }
        }
    }
    // ANCHOR_END: read_line_smol

    // ANCHOR: lines_smol
    /// Reads slips until the wire closes, calls each one back, and answers the bell.
    async fn chef_bot_lines(
        wire: UnixStream,
        heard: Sender<String>,
        bell: Receiver<()>,
        answer: Sender<()>,
    ) {
        // A half slip waits in `lines`, which outlives every turn of the race.
        let mut lines = BufReader::new(wire).lines();
        loop {
            let next = async { Heard::Slip(lines.next().await) };
            let rung = async {
                bell.recv()
                    .await
                    .expect("the WaitBot keeps the bell while it types");
                Heard::Bell
            };
            match smol::future::or(next, rung).await {
                Heard::Slip(Some(slip)) => {
                    let slip = slip.expect("the wire works");
                    heard.send(slip).await.expect("the WaitBot listens");
                }
                Heard::Slip(None) => return,
                Heard::Bell => answer.send(()).await.expect("the WaitBot listens"),
            }
        }
    }
    // ANCHOR_END: lines_smol

    /// The WaitBot and the ChefBot, joined on one thread.
    pub fn run(script: Vec<Step>, read: Read) -> Vec<String> {
        smol::block_on(async {
            let (typing, reading) = UnixStream::pair().expect("a socket pair");
            let (call_back, heard) = unbounded();
            let (ring, bell) = bounded(1);
            let (reply, answer) = bounded(1);
            let waiter = wait_bot(typing, script, (ring, answer), heard);
            let chef = async {
                match read {
                    Read::ReadLine => chef_bot_read_line(reading, call_back, bell, reply).await,
                    Read::Lines => chef_bot_lines(reading, call_back, bell, reply).await,
                }
            };
            smol::future::zip(waiter, chef).await.0
        })
    }
}

pub use on_async_std::run as on_async_std;
pub use on_smol::run as on_smol;
pub use on_tokio::run as on_tokio;
