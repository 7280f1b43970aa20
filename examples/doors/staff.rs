//! Who serves: the ThreadBots, or a LoopBot on one of the runtimes, or (in the benchmark)
//! Python's asyncio. Opens a server on 127.0.0.1 in this process, on a thread of its own, and
//! closes it again: what the tests and the `--serve` mode use.

use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::JoinHandle;

use super::house::{Counts, House};
use super::{on_async_std, on_smol, on_tokio, threadbots};

/// Who serves the diners.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Staff {
    /// One OS thread per diner.
    ThreadBots,
    /// One thread, one task per diner, on tokio.
    Tokio,
    /// One thread, one task per diner, on async-std.
    AsyncStd,
    /// One thread, one task per diner, on smol.
    Smol,
}

impl Staff {
    /// The name the tables print.
    pub fn name(self) -> &'static str {
        match self {
            Staff::ThreadBots => "ThreadBots",
            Staff::Tokio => "LoopBot on tokio",
            Staff::AsyncStd => "LoopBot on async-std",
            Staff::Smol => "LoopBot on smol",
        }
    }
}

/// How to tell a running server that the house is closing.
enum Closer {
    ThreadBots(Arc<AtomicBool>),
    Tokio(tokio_util::sync::CancellationToken),
    AsyncStd(async_std::channel::Sender<()>),
    Smol(smol::channel::Sender<()>),
}

/// A server open on 127.0.0.1, serving on a thread of its own.
pub struct Open {
    /// Where diners connect.
    pub address: SocketAddr,
    closer: Closer,
    house: Arc<House>,
    serving: JoinHandle<()>,
}

impl Open {
    /// Opens `staff`'s server for `house` on a free port of 127.0.0.1 (or on `port`, if
    /// not 0).
    pub fn new(staff: Staff, port: u16, house: House) -> std::io::Result<Open> {
        let listener = TcpListener::bind(("127.0.0.1", port))?;
        let address = listener.local_addr()?;
        let house = Arc::new(house);
        let serving_house = house.clone();
        let (closer, serving) = match staff {
            Staff::ThreadBots => {
                let closing = Arc::new(AtomicBool::new(false));
                let flag = closing.clone();
                let serving =
                    std::thread::spawn(move || threadbots::serve(listener, &serving_house, &flag));
                (Closer::ThreadBots(closing), serving)
            }
            Staff::Tokio => {
                listener.set_nonblocking(true)?;
                let closing = tokio_util::sync::CancellationToken::new();
                let token = closing.clone();
                let serving =
                    std::thread::spawn(move || on_tokio::run(listener, serving_house, token));
                (Closer::Tokio(closing), serving)
            }
            Staff::AsyncStd => {
                listener.set_nonblocking(true)?;
                let (closer, closing) = async_std::channel::bounded(1);
                let serving =
                    std::thread::spawn(move || on_async_std::run(listener, serving_house, closing));
                (Closer::AsyncStd(closer), serving)
            }
            Staff::Smol => {
                listener.set_nonblocking(true)?;
                let (closer, closing) = smol::channel::bounded(1);
                let serving =
                    std::thread::spawn(move || on_smol::run(listener, serving_house, closing));
                (Closer::Smol(closer), serving)
            }
        };
        Ok(Open {
            address,
            closer,
            house,
            serving,
        })
    }

    /// The house's counts so far.
    pub fn counts(&self) -> Counts {
        self.house.ledger.counts()
    }

    /// Closes the house: no one else comes in, every order taken is finished. Returns once
    /// the server has stopped, with its counts.
    pub fn close(self) -> Counts {
        match &self.closer {
            Closer::ThreadBots(closing) => {
                closing.store(true, Ordering::SeqCst);
                let _ = TcpStream::connect(self.address); // wakes the blocked accept
            }
            Closer::Tokio(token) => token.cancel(),
            Closer::AsyncStd(sender) => {
                sender.close();
            }
            Closer::Smol(sender) => {
                sender.close();
            }
        }
        self.serving.join().expect("the server does not panic");
        self.house.ledger.counts()
    }
}
