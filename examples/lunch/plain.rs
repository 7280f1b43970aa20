use std::thread::sleep;
use std::time::{Duration, Instant};

/// One story minute of real time.
const MINUTE: Duration = Duration::from_millis(100);

fn cook_pasta() {
    println!("The pasta goes into the boiling water.");
    sleep(10 * MINUTE);
    println!("The pasta is ready.");
}

fn heat_meatloaf() {
    println!("The meatloaf goes into the microwave.");
    sleep(3 * MINUTE);
    println!("The meatloaf is hot.");
}

fn peel_avocado() {
    println!("Peeling and slicing the avocado.");
    sleep(2 * MINUTE);
    println!("The avocado is sliced.");
}

fn main() {
    let start = Instant::now();
    cook_pasta();
    heat_meatloaf();
    peel_avocado();
    let minutes = start.elapsed().as_secs_f64() / MINUTE.as_secs_f64();
    println!("Lunch is ready after {minutes:.0} minutes.");
}
