//! The exercises (`tests/exercises.rs`), kept honest: every solution passes its check, and
//! every starter, as shipped, fails it. Neither can rot unnoticed.

macro_rules! exercise {
    ($name:ident) => {
        mod $name {
            mod solution {
                #[allow(dead_code)]
                mod under_test {
                    include!(concat!("exercises/solutions/", stringify!($name), ".rs"));
                }
                mod check {
                    include!(concat!("exercises/checks/", stringify!($name), ".rs"));
                }
                pub fn run() {
                    check::check()
                }
            }
            mod starter {
                #[allow(dead_code, unused, clippy::all)]
                mod under_test {
                    include!(concat!("exercises/", stringify!($name), ".rs"));
                }
                mod check {
                    include!(concat!("exercises/checks/", stringify!($name), ".rs"));
                }
                pub fn run() {
                    check::check()
                }
            }

            #[test]
            fn the_solution_passes() {
                solution::run();
            }

            #[test]
            fn the_starter_fails() {
                let outcome = std::panic::catch_unwind(starter::run);
                assert!(outcome.is_err(), "the starter passes its own check");
            }
        }
    };
}

exercise!(avocado);
exercise!(unblock);
exercise!(take_order);
exercise!(six_tables);
exercise!(cutlery);
exercise!(join_all);
exercise!(counting_waker);
exercise!(courses);
exercise!(detach);

/// The two lists of exercises, the reader's and this one, name the same files, and every
/// starter has a solution and a check.
#[test]
fn every_exercise_has_a_starter_a_solution_and_a_check_in_both_lists() {
    let names = |source: &str| -> Vec<String> {
        source
            .lines()
            .filter_map(|l| l.strip_prefix("exercise!(")?.strip_suffix(");"))
            .map(str::to_string)
            .collect()
    };
    let mut here = names(include_str!("practice.rs"));
    let mut readers = names(include_str!("exercises.rs"));
    here.sort();
    readers.sort();
    assert_eq!(here, readers);
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/exercises");
    let mut starters: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "rs"))
        .map(|path| path.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    starters.sort();
    assert_eq!(
        starters, here,
        "a starter in tests/exercises/ is in no list"
    );
    for name in &here {
        for part in ["solutions", "checks"] {
            assert!(
                dir.join(part).join(format!("{name}.rs")).is_file(),
                "{part}/{name}.rs"
            );
        }
    }
}
