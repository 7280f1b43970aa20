/// A tasting menu three courses deep, with six dishes; and a single dish.
pub fn check() {
    use super::under_test::{Menu, count_dishes};
    let tasting = Menu::Course(vec![
        Menu::Dish("bread"),
        Menu::Course(vec![
            Menu::Dish("soup"),
            Menu::Course(vec![Menu::Dish("fish"), Menu::Dish("sorbet")]),
        ]),
        Menu::Course(vec![Menu::Dish("cheese"), Menu::Dish("cake")]),
    ]);
    assert_eq!(futures::executor::block_on(count_dishes(&Menu::Dish("soup"))), 1);
    assert_eq!(
        futures::executor::block_on(count_dishes(&tasting)),
        6,
        "the tasting menu has 6 dishes, at every depth"
    );
}
