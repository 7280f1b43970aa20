//! `src/watching.md`: one evening on one thread, watched three ways. The book's meter (CPU time
//! inside each poll), tokio-metrics' `TaskMonitor` (wall time inside each poll) and, on tokio,
//! the runtime's own busy time agree where a robot computes, and part where a chatty guest
//! blocks the thread: the monitor sees the blocked poll, the CPU clock does not.

use std::time::Duration;

use crate::common::{self, claim};

#[allow(dead_code)]
#[path = "../examples/watching/jobs.rs"]
mod jobs;

/// A long story minute: the test spins real CPU, and a busy machine stretches it in wall time.
const MINUTE: Duration = Duration::from_millis(200);

fn job(robot: &str) -> jobs::Job {
    *jobs::EVENING.iter().find(|j| j.robot == robot).unwrap()
}

#[test]
fn the_evening_is_the_pages() {
    let chef = job("ChefBot");
    assert_eq!(chef.rounds, claim("watching.rounds", 4.0) as u32);
    assert_eq!(chef.work, claim("watching.chef.work", 0.15));
    assert_eq!(job("GreetBot").work, claim("watching.greet.work", 0.02));
    let chatty = job("WaitBot").chatty_guest.unwrap();
    assert_eq!(
        chatty,
        (
            claim("watching.chatty.round", 2.0) as u32,
            claim("watching.chatty", 2.0)
        )
    );
    assert_eq!(
        jobs::slow_poll(MINUTE),
        MINUTE.mul_f64(claim("watching.slow", 0.5))
    );
}

fn evenings() -> Vec<serde_json::Value> {
    // One runtime after another, in one process: each evening spins real CPU, and three of them
    // side by side on two cores would stretch each other's work.
    let minute = MINUTE.as_millis().to_string();
    let args = ["--runtime", "all", "--json", "--minute-ms", &minute];
    common::json_lines("watching", &args)
}

fn robot<'a>(evening: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    (evening["robots"].as_array().unwrap().iter())
        .find(|r| r["robot"] == name)
        .unwrap()
}

fn f(value: &serde_json::Value) -> f64 {
    value.as_f64().unwrap()
}

#[test]
fn the_meter_and_tokio_metrics_agree_on_work_and_part_on_a_blocked_thread() {
    let _cores = common::the_cores();
    let minute_ms = MINUTE.as_secs_f64() * 1000.0;
    let within_ms = claim("watching.margin.ms", 2.0);
    let overhead_ms = claim("watching.overhead.ms", 10.0);
    for evening in evenings() {
        let runtime = evening["runtime"].as_str().unwrap().to_string();
        // Wall time inside a poll is its CPU time, plus any blocking, plus the time the machine
        // kept the thread waiting for a core; the last one Linux counts.
        let waited = f(&evening["waited_for_core_ms"]);
        for name in ["GreetBot", "ChefBot"] {
            let (r, work) = (robot(&evening, name), job(name));
            let cpu = f64::from(work.rounds) * work.work * minute_ms;
            let (meter, polls) = (f(&r["meter_ms"]), f(&r["poll_ms"]));
            assert!(meter >= cpu, "{runtime} {name}: {r}");
            // CPU time never runs ahead of the wall clock (a little room for the monitor's own
            // work, which the meter, outside it, also counts).
            assert!(polls >= meter - within_ms, "{runtime} {name}: {r}");
            assert!(
                polls <= meter + waited + within_ms,
                "{runtime} {name}: {r}, waited {waited}"
            );
            // A poll of honest work can look slow only by the machine's wait for a core.
            let slow = f(&r["slow_poll_ms"]);
            assert!(
                slow <= meter + waited + within_ms,
                "{runtime} {name}: {r}, waited {waited}"
            );
        }
        let waiter = robot(&evening, "WaitBot");
        let held = job("WaitBot").chatty_guest.unwrap().1 * minute_ms;
        // The blocked poll is slow (on a quiet machine, the only slow one of the evening).
        assert!(
            waiter["slow_polls"].as_u64().unwrap() >= 1,
            "{runtime}: {waiter}"
        );
        assert!(f(&waiter["slow_poll_ms"]) >= held, "{runtime}: {waiter}");
        // The gap between the two is the blocking: the meter counts CPU, and of the blocked
        // poll it sees next to nothing.
        let gap = f(&waiter["poll_ms"]) - f(&waiter["meter_ms"]);
        assert!(gap >= held - within_ms, "{runtime}: {waiter}");
        assert!(
            gap <= held + waited + within_ms,
            "{runtime}: {waiter}, waited {waited}"
        );
        let polls: f64 = (evening["robots"].as_array().unwrap().iter())
            .map(|r| f(&r["poll_ms"]))
            .sum();
        match runtime.as_str() {
            "tokio" => {
                let busy = f(&evening["worker_busy_ms"]);
                assert!(busy >= polls - within_ms, "{evening}");
                assert!(busy <= polls + waited + overhead_ms, "{evening}");
            }
            _ => assert!(evening["worker_busy_ms"].is_null(), "{evening}"),
        }
    }
}

#[test]
fn the_trace_names_each_robot_and_the_chatty_guest() {
    let output = common::run_example("watching", &["--trace", "--minute-ms", "20"]);
    assert!(output.status.success(), "{output:?}");
    let trace = String::from_utf8(output.stderr).unwrap();
    for robot in ["GreetBot", "ChefBot", "WaitBot"] {
        let closing = format!("shift{{robot=\"{robot}\"}}: close time.busy=");
        assert!(trace.contains(&closing), "{trace}");
        let rounds = trace
            .lines()
            .filter(|l| l.contains(&format!("shift{{robot=\"{robot}\"}}: done round=")))
            .count();
        assert_eq!(rounds, 4, "{trace}");
    }
    let warned: Vec<&str> = trace.lines().filter(|l| l.contains("WARN")).collect();
    assert_eq!(warned.len(), 1, "{trace}");
    assert!(
        warned[0].contains("shift{robot=\"WaitBot\"}: a chatty guest holds the thread round=2"),
        "{trace}"
    );
}
