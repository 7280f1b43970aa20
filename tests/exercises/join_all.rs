// A Bestiary: `join_all` for the mini executor, with nothing but the standard library.
//
// `join_all` takes many futures and gives back all their outputs, in order. As written, it
// awaits them one after another, so the second does not even start until the first is done:
// futures that wait for each other never finish. Make it poll every future each time it is
// polled, keeping the outputs of those already done. Check it with:
//
//     cargo test --test exercises join_all

use std::future::Future;

/// All the outputs, in the order of `futures`.
pub async fn join_all<F: Future>(futures: Vec<F>) -> Vec<F::Output> {
    let mut outputs = Vec::new();
    for future in futures {
        outputs.push(future.await);
    }
    outputs
}
