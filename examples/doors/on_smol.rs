//! The LoopBot on smol: one thread (a `LocalExecutor` inside `block_on`), one task per diner.

use std::sync::Arc;

use smol::channel::{Receiver, Sender, bounded};
use smol::future::or;
use smol::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use smol::net::{TcpListener, TcpStream};
use smol::{LocalExecutor, Timer};

use super::house::{ChatOn, House, Ledger};
use super::menu::{MAX_LINE, Request, TOO_LONG, TOO_SLOW, read_request};

// ANCHOR: serve_smol
/// Lets diners in until `closing` is closed, then waits until every diner has gone.
pub async fn serve(
    executor: &LocalExecutor<'_>,
    listener: TcpListener,
    house: Arc<House>,
    closing: Receiver<()>,
) {
    // Each diner's task holds a sender; when the last one is dropped, `all_gone` says so.
    let (seat, all_gone) = bounded::<()>(1);
    loop {
        let accepted = or(async { Some(listener.accept().await) }, async {
            let _ = closing.recv().await; // an error: the channel is closed
            None
        });
        match accepted.await {
            Some(Ok((stream, _address))) => {
                Ledger::add(&house.ledger.seated);
                let diner = serve_diner(stream, house.clone(), closing.clone(), seat.clone());
                executor.spawn(diner).detach(); // a dropped smol Task would cancel the diner
            }
            Some(Err(_)) => {
                Timer::after(std::time::Duration::from_millis(10)).await;
            }
            None => break,
        }
    }
    drop(listener); // the door is shut: nobody else comes in
    drop(seat);
    let _ = all_gone.recv().await; // an error once every diner's sender is gone
}
// ANCHOR_END: serve_smol

// ANCHOR: diner_smol
/// Serves one diner, line by line, until the diner leaves, is shown the door, or the house
/// closes while the diner has no order in the kitchen.
async fn serve_diner(
    stream: TcpStream,
    house: Arc<House>,
    closing: Receiver<()>,
    _seat: Sender<()>,
) {
    let mut writing = stream.clone(); // smol's TcpStream is a shared handle
    let mut reading = BufReader::with_capacity(MAX_LINE, stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut within_limit = (&mut reading).take(MAX_LINE as u64);
        let read = async { Some(Some(within_limit.read_until(b'\n', &mut line).await)) };
        let too_slow = async {
            Timer::after(house.patience).await;
            Some(None)
        };
        let closed = async {
            let _ = closing.recv().await;
            None
        };
        let reply = match or(read, or(too_slow, closed)).await {
            None | Some(Some(Ok(0) | Err(_))) => return, // closing, or the diner left
            Some(Some(Ok(_))) if line.ends_with(b"\n") => {
                answer(&line[..line.len() - 1], &house).await
            }
            Some(Some(Ok(_))) if line.len() < MAX_LINE => return, // left in the middle of a line
            Some(Some(Ok(_))) => TOO_LONG.to_string(),
            Some(None) => TOO_SLOW.to_string(),
        };
        let delivered = writing.write_all(reply.as_bytes()).await.is_ok();
        if !house.ledger.note(&reply, delivered) {
            return;
        }
    }
}

/// The reply to one line.
async fn answer(line: &[u8], house: &House) -> String {
    match read_request(line) {
        Ok(Request::Order { dish, minutes }) => {
            Ledger::add(&house.ledger.taken);
            Timer::after(minutes * house.minute).await;
            format!("SERVED {dish} {minutes}\n")
        }
        Ok(Request::Bill) => "PAID\n".to_string(),
        Ok(Request::Chat) => {
            let chat = house.chat;
            match house.chat_on {
                ChatOn::Loop => std::thread::sleep(chat), // holds the only thread
                ChatOn::Pool => smol::unblock(move || std::thread::sleep(chat)).await,
            }
            "CHATTED\n".to_string()
        }
        Err(error) => format!("{error}\n"),
    }
}
// ANCHOR_END: diner_smol

/// Serves on a `LocalExecutor` inside smol's `block_on` until `closing` is closed.
pub fn run(listener: std::net::TcpListener, house: Arc<House>, closing: Receiver<()>) {
    let executor = LocalExecutor::new();
    let listener = TcpListener::try_from(listener).expect("the listener joins smol");
    smol::block_on(executor.run(serve(&executor, listener, house, closing)));
}
