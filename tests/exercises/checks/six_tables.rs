/// Twelve diners, each eating over three polls; the check counts how many eat at once.
pub fn check() {
    use std::cell::Cell;
    use std::rc::Rc;
    let (eating, most, served) = (
        Rc::new(Cell::new(0)),
        Rc::new(Cell::new(0)),
        Rc::new(Cell::new(0)),
    );
    let meals: Vec<_> = (0..12)
        .map(|_| {
            let (eating, most, served) = (eating.clone(), most.clone(), served.clone());
            async move {
                eating.set(eating.get() + 1);
                most.set(most.get().max(eating.get()));
                for _course in 0..3 {
                    smol::future::yield_now().await;
                }
                eating.set(eating.get() - 1);
                served.set(served.get() + 1);
            }
        })
        .collect();
    smol::block_on(super::under_test::seat_all(meals));
    assert_eq!(served.get(), 12, "every diner is served");
    assert!(
        most.get() <= super::under_test::TABLES,
        "{} diners ate at once, at {} tables",
        most.get(),
        super::under_test::TABLES
    );
    assert_eq!(most.get(), super::under_test::TABLES, "no table stays empty while diners wait");
}
