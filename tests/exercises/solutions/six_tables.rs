use std::future::Future;

/// The number of tables.
pub const TABLES: usize = 6;

/// Serves every diner's meal, at most `TABLES` at a time: a meal starts only with a permit,
/// and gives it back when it ends.
pub async fn seat_all<F: Future<Output = ()>>(meals: Vec<F>) {
    let tables = smol::lock::Semaphore::new(TABLES);
    let tables = &tables;
    futures::future::join_all(meals.into_iter().map(|meal| async move {
        let _table = tables.acquire().await;
        meal.await;
    }))
    .await;
}
