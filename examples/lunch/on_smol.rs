// ANCHOR: one_after_another
use smol::Timer;
use smol::future::zip;
use std::time::{Duration, Instant};

/// One story minute of real time.
const MINUTE: Duration = Duration::from_millis(100);

async fn cook_pasta() {
    println!("The pasta goes into the boiling water.");
    Timer::after(10 * MINUTE).await;
    println!("The pasta is ready.");
}

async fn heat_meatloaf() {
    println!("The meatloaf goes into the microwave.");
    Timer::after(3 * MINUTE).await;
    println!("The meatloaf is hot.");
}

async fn peel_avocado() {
    println!("Peeling and slicing the avocado.");
    std::thread::sleep(2 * MINUTE); // hands busy: no .await
    println!("The avocado is sliced.");
}

async fn one_after_another() {
    cook_pasta().await;
    heat_meatloaf().await;
    peel_avocado().await;
}
// ANCHOR_END: one_after_another

// ANCHOR: main
fn main() {
    // Which lunch: `cargo run -- all-at-once` names one.
    let lunch = std::env::args().nth(1).unwrap_or_default();
    // block_on runs the future on this thread, like you in the kitchen, until it is done.
    smol::block_on(async {
        let start = Instant::now();
        match lunch.as_str() {
            "all-at-once" => all_at_once().await,
            "avocado-first" => avocado_first().await,
            _ => one_after_another().await,
        }
        let minutes = start.elapsed().as_secs_f64() / MINUTE.as_secs_f64();
        println!("Lunch is ready after {minutes:.0} minutes.");
    });
}
// ANCHOR_END: main

// ANCHOR: all_at_once
async fn all_at_once() {
    zip(cook_pasta(), zip(heat_meatloaf(), peel_avocado())).await;
}
// ANCHOR_END: all_at_once

// ANCHOR: avocado_first
async fn avocado_first() {
    zip(peel_avocado(), zip(cook_pasta(), heat_meatloaf())).await;
}
// ANCHOR_END: avocado_first
