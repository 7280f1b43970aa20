use std::future::Future;
use std::pin::Pin;

/// A menu: a dish, or a course made of menus.
pub enum Menu {
    Dish(&'static str),
    Course(Vec<Menu>),
}

/// How many dishes the menu holds, at any depth: each recursive call boxes its own future.
pub fn count_dishes(menu: &Menu) -> Pin<Box<dyn Future<Output = usize> + '_>> {
    Box::pin(async move {
        match menu {
            Menu::Dish(_) => 1,
            Menu::Course(parts) => {
                let mut dishes = 0;
                for part in parts {
                    dishes += count_dishes(part).await;
                }
                dishes
            }
        }
    })
}
