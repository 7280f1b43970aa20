/// Three diners who each wait until all three have sat down: `join_all` must poll every one of
/// them before any can finish. The check polls the joined future by hand, with a waker that
/// does nothing, and gives it 10 polls, so a wrong `join_all` fails instead of hanging.
pub fn check() {
    use std::cell::Cell;
    use std::future::Future;
    use std::pin::Pin;
    use std::rc::Rc;
    use std::task::{Context, Poll, Waker};

    struct Diner {
        number: u32,
        seated: Rc<Cell<u32>>,
        sat_down: bool,
    }

    impl Future for Diner {
        type Output = u32;
        fn poll(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<u32> {
            if !self.sat_down {
                self.sat_down = true;
                self.seated.set(self.seated.get() + 1);
            }
            if self.seated.get() == 3 {
                Poll::Ready(self.number * 10)
            } else {
                cx.waker().wake_by_ref();
                Poll::Pending
            }
        }
    }

    let seated = Rc::new(Cell::new(0));
    let diners = (1..=3)
        .map(|number| Diner {
            number,
            seated: seated.clone(),
            sat_down: false,
        })
        .collect();
    let mut joined = Box::pin(super::under_test::join_all(diners));
    let mut cx = Context::from_waker(Waker::noop());
    for _ in 0..10 {
        if let Poll::Ready(outputs) = joined.as_mut().poll(&mut cx) {
            assert_eq!(outputs, [10, 20, 30], "the outputs come back in the diners' order");
            return;
        }
    }
    panic!(
        "join_all was polled 10 times and never finished: {} of 3 diners ever sat down, so it \
         does not poll every future each time",
        seated.get()
    );
}
