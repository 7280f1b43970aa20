//! The restaurant's protocol, the same for every server: one request per line, one reply per
//! line. Plain Rust, no runtime: each server reads a line its own way and asks this module
//! what to do with it.

use std::time::Duration;

// ANCHOR: protocol
/// The longest line a diner may send, its newline included. A longer one gets
/// `ERROR line too long`, and the diner is shown the door.
pub const MAX_LINE: usize = 256;

/// How long a chat with the chatty guest holds whoever serves it, in real time, unless the
/// house says otherwise.
pub const CHAT: Duration = Duration::from_millis(100);

/// The reply to a line over [`MAX_LINE`], after which the diner is shown the door.
pub const TOO_LONG: &str = "ERROR line too long\n";
/// The reply to a diner who took longer than the house's patience over one line, after which
/// the diner is shown the door.
pub const TOO_SLOW: &str = "ERROR too slow\n";

/// What a diner may ask for.
#[derive(Debug, PartialEq, Eq)]
pub enum Request<'line> {
    /// `ORDER <dish>`: cook it, then reply `SERVED <dish> <minutes>`.
    Order { dish: &'line str, minutes: u32 },
    /// `BILL`: reply `PAID`.
    Bill,
    /// `CHAT`: the chatty guest talks (for [`CHAT`], say), then hears `CHATTED`.
    Chat,
}

/// The menu: each dish and the story minutes it takes to cook.
pub const MENU: [(&str, u32); 4] = [("water", 0), ("soup", 1), ("pasta", 2), ("souffle", 3)];

/// Reads one line a diner sent, without its newline: a request, or the `ERROR` line to send
/// back.
pub fn read_request(line: &[u8]) -> Result<Request<'_>, String> {
    let Ok(line) = std::str::from_utf8(line) else {
        return Err("ERROR not UTF-8".to_string());
    };
    let line = line.strip_suffix('\r').unwrap_or(line);
    match line.split_once(' ') {
        Some(("ORDER", dish)) => match MENU.iter().find(|(name, _)| *name == dish) {
            Some(&(_, minutes)) => Ok(Request::Order { dish, minutes }),
            None => Err(format!("ERROR no {dish} on the menu")),
        },
        None if line == "BILL" => Ok(Request::Bill),
        None if line == "CHAT" => Ok(Request::Chat),
        _ => Err("ERROR say ORDER <dish>, BILL or CHAT".to_string()),
    }
}
// ANCHOR_END: protocol
