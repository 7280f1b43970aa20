//! The diners: a load generator that opens one connection per diner to a server on
//! 127.0.0.1, seats them all (every connection open at once), then lets each order like a
//! diner: an order, the wait for `SERVED`, a moment to think, the next order, and the bill.
//! It runs on a tokio runtime of its own, on the thread that calls [`dine`], and stops by
//! itself: every diner has a fixed number of orders, and every wait has a time limit.

use std::net::SocketAddr;
use std::time::{Duration, Instant};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader, Lines};
use tokio::net::TcpStream;
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::sync::Semaphore;

/// How many connections may be opening at once: more would overflow the server's queue of
/// connections not yet accepted, and a dropped connection attempt waits a second to retry.
pub const OPENING_AT_ONCE: usize = 256;

/// The longest any one reply may take before the diner gives up on it.
const LONGEST_WAIT: Duration = Duration::from_secs(30);

/// Who comes to dinner.
#[derive(Clone, Debug)]
pub struct Party {
    /// How many diners, each on a connection of their own.
    pub diners: usize,
    /// How many dishes each diner orders, one after another.
    pub orders: usize,
    /// How long a diner thinks between two orders (and, before the first, for a random part
    /// of it).
    pub think: Duration,
    /// Picks each diner's dishes.
    pub seed: u64,
    /// The dishes the diners choose from.
    pub dishes: Vec<&'static str>,
    /// A chatty guest comes too: it says `CHAT` once, and the others order
    /// `chat_head_start` after it did.
    pub chatty_guest: bool,
    /// How long after the chat began the others send their first order.
    pub chat_head_start: Duration,
}

/// What the diners saw over the evening.
#[derive(Clone, Debug, Default)]
pub struct Evening {
    /// Diners who got a seat (a connection).
    pub seated: usize,
    /// Orders answered with `SERVED`, not counting the glass of water each diner gets on
    /// sitting down.
    pub served: usize,
    /// Orders sent, or about to be, that got no answer: the connection closed first.
    pub refused: usize,
    /// Replies that were not what the protocol promised.
    pub wrong_replies: usize,
    /// How long each served order took, from sending it to reading `SERVED`.
    pub latencies: Vec<Duration>,
    /// When each served order was sent, and when its `SERVED` was read.
    pub times: Vec<(Instant, Instant)>,
    /// When the chatty guest said `CHAT`, and when it heard `CHATTED`, if it came.
    pub chat: Option<(Instant, Instant)>,
    /// From the moment every diner was seated to the last diner's bill.
    pub dining: Duration,
}

/// One diner's connection, split for reading replies and writing requests.
struct Seat {
    replies: Lines<BufReader<OwnedReadHalf>>,
    requests: OwnedWriteHalf,
}

impl Seat {
    /// Sends `request` and reads the one-line reply; `None` if the connection closed first.
    async fn ask(&mut self, request: &str) -> Option<String> {
        self.requests.write_all(request.as_bytes()).await.ok()?;
        let reply = tokio::time::timeout(LONGEST_WAIT, self.replies.next_line());
        reply.await.ok()?.ok()?
    }
}

/// Opens a seat at `address` and asks for a glass of water, so that the diner is seated only
/// once the server has let the connection in and answered on it; `None` if it did not.
async fn sit_down(address: SocketAddr, opening: &Semaphore) -> Option<Seat> {
    let _turn = opening.acquire().await.ok()?;
    let stream = tokio::time::timeout(LONGEST_WAIT, TcpStream::connect(address));
    let (reading, requests) = stream.await.ok()?.ok()?.into_split();
    let mut seat = Seat {
        replies: BufReader::new(reading).lines(),
        requests,
    };
    let water = seat.ask("ORDER water\n").await?;
    (water == "SERVED water 0").then_some(seat)
}

/// What one diner saw.
#[derive(Default)]
struct Plate {
    served: usize,
    refused: usize,
    wrong_replies: usize,
    times: Vec<(Instant, Instant)>,
}

/// One diner's evening: `orders` dishes, then the bill.
async fn one_diner(mut seat: Seat, party: &Party, index: usize) -> Plate {
    let mut rng = fastrand::Rng::with_seed(party.seed.wrapping_add(index as u64));
    let mut plate = Plate::default();
    for ordered in 0..party.orders {
        // Diners think before each order; before the first, for any part of that time, so
        // that they do not all order at the same instant.
        let think = match ordered {
            0 => party.think.mul_f64(rng.f64()),
            _ => party.think,
        };
        if !think.is_zero() {
            tokio::time::sleep(think).await;
        }
        let dish = party.dishes[rng.usize(..party.dishes.len())];
        let start = Instant::now();
        match seat.ask(&format!("ORDER {dish}\n")).await {
            Some(reply) if reply.starts_with(&format!("SERVED {dish} ")) => {
                plate.served += 1;
                plate.times.push((start, Instant::now()));
            }
            Some(_) => plate.wrong_replies += 1,
            None => {
                plate.refused += party.orders - ordered;
                return plate;
            }
        }
    }
    if seat.ask("BILL\n").await.is_some_and(|paid| paid != "PAID") {
        plate.wrong_replies += 1;
    }
    plate
}

/// Seats the party at `address`, calls `all_seated` once every diner has a connection (a
/// moment to measure the server), and lets everyone dine.
pub fn dine(address: SocketAddr, party: &Party, all_seated: impl FnOnce()) -> Evening {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio starts");
    runtime.block_on(dine_on_tokio(address, party, all_seated))
}

async fn dine_on_tokio(address: SocketAddr, party: &Party, all_seated: impl FnOnce()) -> Evening {
    let opening = Semaphore::new(OPENING_AT_ONCE);
    let seats = futures::future::join_all((0..party.diners).map(|_| sit_down(address, &opening)));
    let seats: Vec<Seat> = seats.await.into_iter().flatten().collect();
    let mut evening = Evening {
        seated: seats.len(),
        refused: (party.diners - seats.len()) * party.orders,
        ..Evening::default()
    };
    let chatty_seat = match party.chatty_guest {
        true => sit_down(address, &opening).await,
        false => None,
    };
    all_seated();
    let start = Instant::now();
    // The chat is sent first; the others order `chat_head_start` later.
    let chat = async {
        let mut seat = chatty_seat?;
        let start = Instant::now();
        seat.ask("CHAT\n")
            .await
            .filter(|reply| reply == "CHATTED")?;
        Some((start, Instant::now()))
    };
    let diners = seats
        .into_iter()
        .enumerate()
        .map(|(index, seat)| async move {
            if party.chatty_guest {
                tokio::time::sleep(party.chat_head_start).await;
            }
            one_diner(seat, party, index).await
        });
    let (chat, plates) = tokio::join!(chat, futures::future::join_all(diners));
    evening.dining = start.elapsed();
    evening.chat = chat;
    for plate in plates {
        evening.served += plate.served;
        evening.refused += plate.refused;
        evening.wrong_replies += plate.wrong_replies;
        evening
            .latencies
            .extend(plate.times.iter().map(|(sent, served)| *served - *sent));
        evening.times.extend(plate.times);
    }
    evening
}
