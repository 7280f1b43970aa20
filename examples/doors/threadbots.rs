//! The ThreadBots: one OS thread per diner, with std's blocking sockets.

use std::io::{BufRead, BufReader, ErrorKind, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};

use super::house::{House, Ledger};
use super::menu::{MAX_LINE, Request, TOO_LONG, TOO_SLOW, read_request};

// ANCHOR: serve_threadbots
/// Lets diners in, a thread each, until `closing` is set (whoever sets it then connects once,
/// to wake the blocked `accept`), then waits until every diner has gone.
pub fn serve(listener: TcpListener, house: &House, closing: &AtomicBool) {
    std::thread::scope(|threads| {
        for stream in listener.incoming() {
            if closing.load(Ordering::SeqCst) {
                break;
            }
            match stream {
                Ok(stream) => {
                    Ledger::add(&house.ledger.seated);
                    threads.spawn(move || serve_diner(stream, house, closing));
                }
                // Out of file descriptors, say: wait a moment for a diner to leave.
                Err(_) => std::thread::sleep(std::time::Duration::from_millis(10)),
            }
        }
        drop(listener); // the door is shut: nobody else comes in
    }); // the scope waits for every diner's thread
}
// ANCHOR_END: serve_threadbots

// ANCHOR: diner_threadbots
/// Serves one diner, line by line, until the diner leaves or is shown the door. A thread
/// blocked in `read` cannot be told that the house is closing: it finds out when the diner
/// next speaks, or when its patience runs out.
fn serve_diner(stream: TcpStream, house: &House, closing: &AtomicBool) {
    if stream.set_read_timeout(Some(house.patience)).is_err() {
        return;
    }
    // `&TcpStream` reads and writes: no second file descriptor per diner.
    let mut reading = BufReader::with_capacity(MAX_LINE, &stream);
    let mut line = Vec::new();
    loop {
        line.clear();
        let read = (&mut reading)
            .take(MAX_LINE as u64)
            .read_until(b'\n', &mut line);
        if closing.load(Ordering::SeqCst) {
            return; // not taken: the house is closing
        }
        let reply = match read {
            Err(error) if matches!(error.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut) => {
                TOO_SLOW.to_string()
            }
            Ok(0) | Err(_) => return, // the diner left
            Ok(_) if line.ends_with(b"\n") => answer(&line[..line.len() - 1], house),
            Ok(_) if line.len() < MAX_LINE => return, // left in the middle of a line
            Ok(_) => TOO_LONG.to_string(),
        };
        let delivered = (&stream).write_all(reply.as_bytes()).is_ok();
        if !house.ledger.note(&reply, delivered) {
            return;
        }
    }
}

/// The reply to one line.
fn answer(line: &[u8], house: &House) -> String {
    match read_request(line) {
        Ok(Request::Order { dish, minutes }) => {
            Ledger::add(&house.ledger.taken);
            std::thread::sleep(minutes * house.minute);
            format!("SERVED {dish} {minutes}\n")
        }
        Ok(Request::Bill) => "PAID\n".to_string(),
        Ok(Request::Chat) => {
            std::thread::sleep(house.chat); // holds this diner's thread only
            "CHATTED\n".to_string()
        }
        Err(error) => format!("{error}\n"),
    }
}
// ANCHOR_END: diner_threadbots
