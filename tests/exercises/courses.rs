// Stacks and Frames: a recursive async function.
//
// A menu is a dish, or a course of several menus. `count_dishes` should count the dishes of a
// whole menu, awaiting itself for each part. An `async fn` cannot call itself directly: its
// future would contain itself, and have no finite size. So the signature here already returns a
// boxed future, one heap frame per call, much as CPython keeps one frame per coroutine call.
// Write the body. Check it with:
//
//     cargo test --test exercises courses

use std::future::Future;
use std::pin::Pin;

/// A menu: a dish, or a course made of menus.
pub enum Menu {
    Dish(&'static str),
    Course(Vec<Menu>),
}

/// How many dishes the menu holds, at any depth.
pub fn count_dishes(menu: &Menu) -> Pin<Box<dyn Future<Output = usize> + '_>> {
    Box::pin(async move {
        match menu {
            Menu::Dish(_) => 1,
            Menu::Course(_) => todo!("await count_dishes for each part, and add them up"),
        }
    })
}
