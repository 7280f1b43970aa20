// The Restaurant, on smol: twelve diners, six tables.
//
// `seat_all` runs every diner's meal. As written, it seats them all at once, and the
// restaurant has only six tables. Make at most six eat at any moment, and still serve all of
// them. (smol has a semaphore: `smol::lock::Semaphore`.) Check it with:
//
//     cargo test --test exercises six_tables

use std::future::Future;

/// The number of tables.
pub const TABLES: usize = 6;

/// Serves every diner's meal, at most `TABLES` at a time.
pub async fn seat_all<F: Future<Output = ()>>(meals: Vec<F>) {
    futures::future::join_all(meals).await;
}
