// ANCHOR: one_after_another
use std::time::{Duration, Instant};
use tokio::time::sleep;

/// One story minute of real time.
const MINUTE: Duration = Duration::from_millis(100);

async fn cook_pasta() {
    println!("The pasta goes into the boiling water.");
    sleep(10 * MINUTE).await;
    println!("The pasta is ready.");
}

async fn heat_meatloaf() {
    println!("The meatloaf goes into the microwave.");
    sleep(3 * MINUTE).await;
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
// One thread, like you in the kitchen.
#[tokio::main(flavor = "current_thread")]
async fn main() {
    // Which lunch: `cargo run -- all-at-once` names one.
    let lunch = std::env::args().nth(1).unwrap_or_default();
    let start = Instant::now();
    match lunch.as_str() {
        "all-at-once" => all_at_once().await,
        "avocado-first" => avocado_first().await,
        _ => one_after_another().await,
    }
    let minutes = start.elapsed().as_secs_f64() / MINUTE.as_secs_f64();
    println!("Lunch is ready after {minutes:.0} minutes.");
}
// ANCHOR_END: main

// ANCHOR: all_at_once
async fn all_at_once() {
    tokio::join!(cook_pasta(), heat_meatloaf(), peel_avocado());
}
// ANCHOR_END: all_at_once

// ANCHOR: avocado_first
async fn avocado_first() {
    tokio::join!(peel_avocado(), cook_pasta(), heat_meatloaf());
}
// ANCHOR_END: avocado_first
