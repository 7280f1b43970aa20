//! The LoopBot on tokio: one thread (a current-thread runtime), one task per diner.

use std::sync::Arc;

use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};
use tokio_util::sync::CancellationToken;
use tokio_util::task::TaskTracker;

use super::house::{ChatOn, House, Ledger};
use super::menu::{MAX_LINE, Request, TOO_LONG, TOO_SLOW, read_request};

// ANCHOR: serve_tokio
/// Lets diners in until `closing` is cancelled, then waits until every diner has gone.
pub async fn serve(listener: TcpListener, house: Arc<House>, closing: CancellationToken) {
    let diners = TaskTracker::new();
    loop {
        let accepted = tokio::select! {
            accepted = listener.accept() => accepted,
            () = closing.cancelled() => break,
        };
        match accepted {
            Ok((stream, _address)) => {
                Ledger::add(&house.ledger.seated);
                diners.spawn(serve_diner(stream, house.clone(), closing.clone()));
            }
            // Out of file descriptors, say: wait a moment for a diner to leave.
            Err(_) => tokio::time::sleep(std::time::Duration::from_millis(10)).await,
        }
    }
    drop(listener); // the door is shut: nobody else comes in
    diners.close();
    diners.wait().await;
}
// ANCHOR_END: serve_tokio

// ANCHOR: diner_tokio
/// Serves one diner, line by line, until the diner leaves, is shown the door, or the house
/// closes while the diner has no order in the kitchen.
async fn serve_diner(stream: TcpStream, house: Arc<House>, closing: CancellationToken) {
    let (reading, mut writing) = stream.into_split();
    let mut reading = BufReader::with_capacity(MAX_LINE, reading);
    let mut line = Vec::new();
    loop {
        line.clear();
        let mut within_limit = (&mut reading).take(MAX_LINE as u64);
        // read_until keeps what it has read in `line`, so losing this race loses nothing.
        let read = tokio::select! {
            read = tokio::time::timeout(house.patience, within_limit.read_until(b'\n', &mut line)) => read,
            () = closing.cancelled() => return,
        };
        let reply = match read {
            Ok(Ok(0) | Err(_)) => return, // the diner left
            Ok(Ok(_)) if line.ends_with(b"\n") => answer(&line[..line.len() - 1], &house).await,
            Ok(Ok(_)) if line.len() < MAX_LINE => return, // left in the middle of a line
            Ok(Ok(_)) => TOO_LONG.to_string(),
            Err(_elapsed) => TOO_SLOW.to_string(),
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
            tokio::time::sleep(minutes * house.minute).await;
            format!("SERVED {dish} {minutes}\n")
        }
        Ok(Request::Bill) => "PAID\n".to_string(),
        Ok(Request::Chat) => {
            let chat = house.chat;
            match house.chat_on {
                ChatOn::Loop => std::thread::sleep(chat), // holds the only thread
                ChatOn::Pool => tokio::task::spawn_blocking(move || std::thread::sleep(chat))
                    .await
                    .expect("a chat does not panic"),
            }
            "CHATTED\n".to_string()
        }
        Err(error) => format!("{error}\n"),
    }
}
// ANCHOR_END: diner_tokio

/// Serves on a current-thread tokio runtime until `closing` is cancelled.
pub fn run(listener: std::net::TcpListener, house: Arc<House>, closing: CancellationToken) {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio starts");
    runtime.block_on(async {
        let listener = TcpListener::from_std(listener).expect("the listener joins tokio");
        serve(listener, house, closing).await;
    });
}
