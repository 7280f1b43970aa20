//! The command line every example shares, checked once for all of them: the shared flags it
//! takes refuse bad values with one line and exit code 2, and the shared flags that mean
//! nothing to it are refused the same way. Each chapter's test checks only its own flags.

use crate::common;

use common::assert_usage_error;

/// Which of the shared flags an example takes.
#[derive(Clone, Copy)]
struct Takes {
    runtime: bool,
    minute: bool,
}

/// A story on the three runtimes: `--runtime`, `--minute-ms`, `--json`.
const STORY: Takes = Takes {
    runtime: true,
    minute: true,
};
/// A benchmark: `--runtime` and `--json`, no story minutes.
const BENCHMARK: Takes = Takes {
    runtime: true,
    minute: false,
};
/// The lunch: it runs the chapter's listings, whose story minute is their own `const MINUTE`.
const LISTINGS: Takes = BENCHMARK;
/// The mini executor: `--minute-ms` and `--json`, no runtime to choose.
const OWN_EXECUTOR: Takes = Takes {
    runtime: false,
    minute: true,
};

/// Every example, in alphabetical order, and what it takes.
const EXAMPLES: [(&str, Takes); 15] = [
    ("bench", BENCHMARK),
    ("bestiary_mini_executor", OWN_EXECUTOR),
    ("closing", STORY),
    ("doors", STORY),
    ("lunch", LISTINGS),
    ("myths", STORY),
    ("quickstart", STORY),
    ("racing", STORY),
    ("restaurant", STORY),
    ("stacks", STORY),
    ("streams", STORY),
    ("threads_cost", BENCHMARK),
    ("threads_cutlery", STORY),
    ("traits", BENCHMARK),
    ("watching", STORY),
];

#[test]
fn the_table_names_every_example() {
    let found = common::examples();
    let listed: Vec<&str> = EXAMPLES.iter().map(|(name, _)| *name).collect();
    assert_eq!(found, listed);
}

#[test]
fn every_example_refuses_bad_input_with_one_line_and_exit_code_2() {
    for (name, takes) in EXAMPLES {
        assert_usage_error(name, &["--sauce"], "unexpected argument '--sauce'");
        assert_usage_error(
            name,
            &["--jsn"],
            "unexpected argument '--jsn' found (did you mean '--json'?)",
        );
        if takes.runtime {
            assert_usage_error(
                name,
                &["--runtime", "trio"],
                "invalid value 'trio' for '--runtime <RUNTIME>' (possible values: tokio, async-std, smol, all)",
            );
            assert_usage_error(name, &["--runtime"], "'--runtime <RUNTIME>' needs a value");
        } else {
            assert_usage_error(
                name,
                &["--runtime", "smol"],
                "unexpected argument '--runtime'",
            );
        }
        if takes.minute {
            for bad in ["0", "3600001", "soon", "-5"] {
                assert_usage_error(
                    name,
                    &["--minute-ms", bad],
                    "a story minute must last 1 to 3600000 ms",
                );
            }
        } else {
            assert_usage_error(
                name,
                &["--minute-ms", "20"],
                "unexpected argument '--minute-ms'",
            );
        }
    }
}
