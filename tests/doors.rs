//! Every claim the chapter "The Restaurant Opens its Doors" makes about the servers, checked
//! on the ThreadBots and on the LoopBot on tokio, async-std and smol, with real sockets on
//! 127.0.0.1. The servers are the example's own code (`examples/doors/`), included here as a
//! module and run on a thread of this process; the diners are the example's load generator.

#[allow(dead_code)]
#[path = "../examples/doors/main.rs"]
mod example;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use crate::common::{self, claim};
use example::{ChatOn, Evening, House, Ledger, Open, Party, Staff, dine};

/// Every server the chapter compares.
const STAFF: [Staff; 4] = [
    Staff::ThreadBots,
    Staff::Tokio,
    Staff::AsyncStd,
    Staff::Smol,
];

/// A house with a short story minute, as the tests keep it.
fn house(minute_ms: u64, patience_ms: u64, chat_ms: u64, chat_on: ChatOn) -> House {
    House {
        minute: Duration::from_millis(minute_ms),
        patience: Duration::from_millis(patience_ms),
        chat: Duration::from_millis(chat_ms),
        chat_on,
        ledger: Ledger::default(),
    }
}

/// A party of `diners` who order `orders` dishes each from `dishes`, without thinking.
fn party(diners: usize, orders: usize, dishes: &[&'static str]) -> Party {
    Party {
        diners,
        orders,
        think: Duration::ZERO,
        seed: 7,
        dishes: dishes.to_vec(),
        chatty_guest: false,
        chat_head_start: Duration::ZERO,
    }
}

#[test]
fn the_page_states_the_limits_the_servers_keep() {
    assert_eq!(claim("doors.max-line", example::MAX_LINE as f64), 256.0);
    assert_eq!(
        claim("doors.chat-ms", example::CHAT.as_millis() as f64),
        100.0
    );
    let patience_s = example::DEFAULT_PATIENCE_MS as f64 / 1000.0;
    assert_eq!(claim("doors.patience-s", patience_s), 30.0);
    assert_eq!(
        claim("doors.opening", example::OPENING_AT_ONCE as f64),
        256.0
    );
}

#[test]
fn every_order_is_served_exactly_once_by_every_server() {
    let _cores = common::the_cores();
    let diners = 300;
    let orders = 3;
    for staff in STAFF {
        let open = Open::new(staff, 0, house(5, 5_000, 100, ChatOn::Loop)).unwrap();
        let evening = dine(
            open.address,
            &party(diners, orders, &["water", "soup", "pasta"]),
            || {},
        );
        let house = open.close();
        let name = staff.name();
        assert_eq!(evening.seated, diners, "{name}: {evening:?}");
        assert_eq!(evening.served, diners * orders, "{name}");
        assert_eq!((evening.refused, evening.wrong_replies), (0, 0), "{name}");
        // The house took every order once (each diner's glass of water too) and served each.
        assert_eq!(house.seated, diners as u64, "{name}: {house:?}");
        assert_eq!(
            house.taken,
            (diners * (orders + 1)) as u64,
            "{name}: {house:?}"
        );
        assert_eq!(house.served, house.taken, "{name}: {house:?}");
        assert_eq!(
            (house.walked_out, house.errors),
            (0, 0),
            "{name}: {house:?}"
        );
    }
}

/// A chatty guest says CHAT; 50 diners order a glass of water a moment later. The chat in
/// the tests lasts 300 ms rather than the example's 100, so that each bound has room on a
/// busy machine.
fn chatty_evening(staff: Staff, chat_on: ChatOn) -> Evening {
    let chat_ms = claim("doors.test.chat-ms", 300.0) as u64;
    let open = Open::new(staff, 0, house(5, 5_000, chat_ms, chat_on)).unwrap();
    let mut party = party(
        claim("doors.test.chat-diners", 50.0) as usize,
        1,
        &["water"],
    );
    party.chatty_guest = true;
    party.chat_head_start = Duration::from_millis(claim("doors.test.chat-head-start", 20.0) as u64);
    let evening = dine(open.address, &party, || {});
    let house = open.close();
    assert_eq!(evening.served, 50, "{}: {house:?}", staff.name());
    evening
}

#[test]
fn a_chat_on_the_loop_holds_every_diner_and_off_the_loop_or_on_threadbots_none() {
    let _cores = common::the_cores();
    let chat = Duration::from_millis(claim("doors.test.chat-ms", 300.0) as u64);
    // On the loop: every water ordered during the chat is served only after it, at least
    // the whole chat after the guest began to talk.
    for staff in [Staff::Tokio, Staff::AsyncStd, Staff::Smol] {
        let evening = chatty_evening(staff, ChatOn::Loop);
        let (said, heard) = evening.chat.expect("the chatty guest was answered");
        assert!(
            heard - said >= chat,
            "{}: the chat took {:?}",
            staff.name(),
            heard - said
        );
        for (sent, served) in &evening.times {
            assert!(
                *sent - said < chat,
                "{}: a water was ordered after the chat",
                staff.name()
            );
            assert!(
                *served - said >= chat,
                "{}: a water came {:?} into the chat",
                staff.name(),
                *served - said
            );
        }
    }
    // Off the loop, and on the ThreadBots, no water waits for the chat: each comes back in
    // under half of it, halfway to what the chat would have held it.
    for (staff, chat_on) in [
        (Staff::Tokio, ChatOn::Pool),
        (Staff::AsyncStd, ChatOn::Pool),
        (Staff::Smol, ChatOn::Pool),
        (Staff::ThreadBots, ChatOn::Loop),
    ] {
        let evening = chatty_evening(staff, chat_on);
        let (said, heard) = evening.chat.expect("the chatty guest was answered");
        assert!(
            heard - said >= chat,
            "{}: the chat took {:?}",
            staff.name(),
            heard - said
        );
        let half = Duration::from_millis(claim("doors.test.chat-half", 150.0) as u64);
        assert_eq!(half, chat / 2);
        for latency in &evening.latencies {
            assert!(
                *latency < half,
                "{} ({chat_on:?}): a water took {latency:?}",
                staff.name()
            );
        }
    }
}

/// Connects a diner who will misbehave.
fn rude_diner(address: SocketAddr) -> (TcpStream, BufReader<TcpStream>) {
    let stream = TcpStream::connect(address).unwrap();
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let replies = BufReader::new(stream.try_clone().unwrap());
    (stream, replies)
}

/// The next line the server sends, or "" if it closed the connection.
fn next_reply(replies: &mut BufReader<TcpStream>) -> String {
    let mut line = String::new();
    replies.read_line(&mut line).unwrap();
    line
}

/// Whether the server has closed the connection: a read gets end-of-file.
fn closed(replies: &mut BufReader<TcpStream>) -> bool {
    let mut rest = Vec::new();
    match replies.read_to_end(&mut rest) {
        Ok(_) => rest.is_empty(),
        // Closed with some of the diner's bytes unread, the socket is reset, not just shut.
        Err(error) => error.kind() == std::io::ErrorKind::ConnectionReset,
    }
}

#[test]
fn bad_diners_get_an_error_or_the_door_and_everyone_else_is_served() {
    let _cores = common::the_cores();
    let patience = Duration::from_millis(300);
    for staff in STAFF {
        let name = staff.name();
        let open = Open::new(
            staff,
            0,
            house(10, patience.as_millis() as u64, 100, ChatOn::Loop),
        )
        .unwrap();
        let address = open.address;
        let polite =
            std::thread::spawn(move || dine(address, &party(20, 5, &["soup", "pasta"]), || {}));

        // Half a line, then nothing: shown the door once the house's patience runs out.
        // (The house's patience starts when it begins to read, after the diner connects.)
        let start = Instant::now();
        let (mut slow, mut slow_replies) = rude_diner(address);
        slow.write_all(b"ORDER sou").unwrap();
        // Too long a line: an error, and the door.
        let (mut long, mut long_replies) = rude_diner(address);
        long.write_all(&[b'x'; 300]).unwrap();
        assert_eq!(
            next_reply(&mut long_replies),
            "ERROR line too long\n",
            "{name}"
        );
        assert!(
            closed(&mut long_replies),
            "{name}: still open after a long line"
        );
        // Not UTF-8, then an unknown request: an error each, and the diner stays.
        let (mut odd, mut odd_replies) = rude_diner(address);
        odd.write_all(b"ORDER \xff\xfe\nDANCE\nBILL\n").unwrap();
        assert_eq!(next_reply(&mut odd_replies), "ERROR not UTF-8\n", "{name}");
        assert!(
            next_reply(&mut odd_replies).starts_with("ERROR say ORDER"),
            "{name}"
        );
        assert_eq!(next_reply(&mut odd_replies), "PAID\n", "{name}");
        drop((odd, odd_replies)); // before the house's patience with it runs out too
        // Orders, and leaves before the dish comes.
        let (mut leaving, _) = rude_diner(address);
        leaving.write_all(b"ORDER pasta\n").unwrap();
        drop(leaving);

        assert_eq!(next_reply(&mut slow_replies), "ERROR too slow\n", "{name}");
        assert!(start.elapsed() >= patience, "{name}: shown out early");
        assert!(
            closed(&mut slow_replies),
            "{name}: still open after the timeout"
        );

        let evening = polite.join().unwrap();
        assert_eq!(
            (evening.served, evening.wrong_replies),
            (100, 0),
            "{name}: {evening:?}"
        );
        std::thread::sleep(Duration::from_millis(100)); // the pasta of the diner who left
        drop((slow, long));
        let house = open.close();
        // The pasta was cooked for the diner who left; writing it may or may not fail.
        assert_eq!(
            house.served + house.walked_out,
            house.taken,
            "{name}: {house:?}"
        );
        assert_eq!(house.shown_out, 2, "{name}: {house:?}");
        assert_eq!(house.errors, 4, "{name}: {house:?}");
    }
}

#[test]
fn closing_time_finishes_every_order_taken_and_refuses_the_rest() {
    let _cores = common::the_cores();
    let (diners, orders) = (claim("doors.test.closing-diners", 100.0) as usize, 8);
    for staff in STAFF {
        let name = staff.name();
        let open = Open::new(staff, 0, house(20, 5_000, 100, ChatOn::Loop)).unwrap();
        let address = open.address;
        // Pasta takes 2 minutes, 40 ms; each diner orders 8 of them after a glass of water.
        let dining =
            std::thread::spawn(move || dine(address, &party(diners, orders, &["pasta"]), || {}));
        // Close in the middle of the evening, once the third course is being taken: waiting
        // for the house's own count, not a clock, so a slow machine cannot move the moment.
        let third_course = (diners * 3) as u64;
        while open.counts().taken < third_course {
            std::thread::sleep(Duration::from_millis(1));
        }
        let house = open.close();
        let evening = dining.join().unwrap();
        // Nothing is lost: every order taken was served, each once, and every other order
        // was refused.
        assert_eq!(house.served, house.taken, "{name}: {house:?}");
        assert_eq!(house.walked_out, 0, "{name}: {house:?}");
        assert_eq!(
            house.taken,
            (evening.seated + evening.served) as u64,
            "{name}: {house:?}"
        );
        assert_eq!(
            evening.served + evening.refused,
            diners * orders,
            "{name}: {evening:?}"
        );
        assert!(
            evening.refused > 0 && evening.served > 0,
            "{name}: {evening:?}"
        );
        // And the door is shut.
        assert!(
            TcpStream::connect(address).is_err(),
            "{name}: still letting diners in"
        );
    }
}
