//! The LoopBot on async-std: one thread (`block_on` with `spawn_local`), one task per diner.

use std::sync::Arc;

use async_std::channel::{Receiver, Sender, bounded};
use async_std::io::{BufReader, prelude::BufReadExt, prelude::ReadExt, prelude::WriteExt};
use async_std::net::{TcpListener, TcpStream};
use futures::future::select;
use std::pin::pin;

use super::house::{ChatOn, House, Ledger};
use super::menu::{MAX_LINE, Request, TOO_LONG, TOO_SLOW, read_request};

// ANCHOR: serve_async_std
/// Whichever of two futures finishes first; the other is dropped.
async fn first<T>(one: impl Future<Output = T>, other: impl Future<Output = T>) -> T {
    select(pin!(one), pin!(other)).await.factor_first().0
}

/// Lets diners in until `closing` is closed, then waits until every diner has gone.
pub async fn serve(listener: TcpListener, house: Arc<House>, closing: Receiver<()>) {
    // Each diner's task holds a sender; when the last one is dropped, `all_gone` says so.
    let (seat, all_gone) = bounded::<()>(1);
    loop {
        let accepted = first(async { Some(listener.accept().await) }, async {
            let _ = closing.recv().await; // an error: the channel is closed
            None
        });
        match accepted.await {
            Some(Ok((stream, _address))) => {
                Ledger::add(&house.ledger.seated);
                let diner = serve_diner(stream, house.clone(), closing.clone(), seat.clone());
                async_std::task::spawn_local(diner);
            }
            Some(Err(_)) => async_std::task::sleep(std::time::Duration::from_millis(10)).await,
            None => break,
        }
    }
    drop(listener); // the door is shut: nobody else comes in
    drop(seat);
    let _ = all_gone.recv().await; // an error once every diner's sender is gone
}
// ANCHOR_END: serve_async_std

// ANCHOR: diner_async_std
/// Serves one diner, line by line, until the diner leaves, is shown the door, or the house
/// closes while the diner has no order in the kitchen.
async fn serve_diner(
    stream: TcpStream,
    house: Arc<House>,
    closing: Receiver<()>,
    _seat: Sender<()>,
) {
    let mut writing = stream.clone(); // async-std's TcpStream is a shared handle
    let mut reading = BufReader::with_capacity(MAX_LINE, stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut within_limit = (&mut reading).take(MAX_LINE as u64);
        let patient =
            async_std::future::timeout(house.patience, within_limit.read_until(b'\n', &mut line));
        let read = first(async { Some(patient.await) }, async {
            let _ = closing.recv().await;
            None
        });
        let reply = match read.await {
            None | Some(Ok(Ok(0) | Err(_))) => return, // closing, or the diner left
            Some(Ok(Ok(_))) if line.ends_with(b"\n") => {
                answer(&line[..line.len() - 1], &house).await
            }
            Some(Ok(Ok(_))) if line.len() < MAX_LINE => return, // left in the middle of a line
            Some(Ok(Ok(_))) => TOO_LONG.to_string(),
            Some(Err(_timed_out)) => TOO_SLOW.to_string(),
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
            async_std::task::sleep(minutes * house.minute).await;
            format!("SERVED {dish} {minutes}\n")
        }
        Ok(Request::Bill) => "PAID\n".to_string(),
        Ok(Request::Chat) => {
            let chat = house.chat;
            match house.chat_on {
                ChatOn::Loop => std::thread::sleep(chat), // holds the only thread
                ChatOn::Pool => {
                    async_std::task::spawn_blocking(move || std::thread::sleep(chat)).await
                }
            }
            "CHATTED\n".to_string()
        }
        Err(error) => format!("{error}\n"),
    }
}
// ANCHOR_END: diner_async_std

/// Serves inside async-std's `block_on` until `closing` is closed.
pub fn run(listener: std::net::TcpListener, house: Arc<House>, closing: Receiver<()>) {
    async_std::task::block_on(serve(listener.into(), house, closing));
}
