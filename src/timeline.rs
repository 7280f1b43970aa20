//! The timeline: what happened, to whom, at which story minute.
//!
//! A story records an [`Event`] each time something starts or finishes. The [`Timeline`] is
//! cheap to clone and safe to share between tasks and threads, so a blocking closure on
//! another thread can record into the same timeline as the tasks on the loop. It prints as
//! readable text, as one JSON object per line, or as an SVG picture with a bar per actor.
//!
//! ```
//! use loopbot::{StoryClock, Timeline};
//! use std::time::Duration;
//!
//! let timeline = Timeline::new(StoryClock::new(Duration::from_millis(20)));
//! timeline.record("kettle", "start", "The kettle goes on.");
//! std::thread::sleep(Duration::from_millis(40));
//! timeline.record("kettle", "done", "The water boils.");
//!
//! let events = timeline.events();
//! assert_eq!(events.len(), 2);
//! assert!(events[1].t >= 2.0);
//! assert!(timeline.to_text().contains("The water boils."));
//! let first: serde_json::Value = serde_json::from_str(timeline.to_json_lines().lines().next().unwrap()).unwrap();
//! assert_eq!(first["actor"], "kettle");
//! assert!(timeline.to_svg("Tea").starts_with("<svg"));
//! ```

use std::fmt::Write as _;
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::clock::StoryClock;

mod svg;

/// One thing that happened in a story.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Event {
    /// Story minutes since the story started, rounded to a thousandth.
    pub t: f64,
    /// Who or what it happened to: `"pasta"`, `"WaitBot 2"`.
    pub actor: String,
    /// What happened: `"start"`, `"done"`, or a word of the story's own.
    pub event: String,
    /// The story's sentence for it, as the human output prints it.
    pub say: String,
    /// The runtime the story ran on, where a run covers several.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub runtime: Option<String>,
}

/// The events of one run, in the order they were recorded.
#[derive(Clone, Debug)]
pub struct Timeline {
    clock: StoryClock,
    runtime: Option<String>,
    events: Arc<Mutex<Vec<Event>>>,
}

/// An actor's bar in the picture: from its first event to its last.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Span {
    /// The actor.
    pub actor: String,
    /// Story minute of its first event.
    pub start: f64,
    /// Story minute of its last event.
    pub end: f64,
}

impl Timeline {
    /// An empty timeline that reads the time from `clock`.
    pub fn new(clock: StoryClock) -> Self {
        Timeline {
            clock,
            runtime: None,
            events: Arc::new(Mutex::new(Vec::new())),
        }
    }

    /// The same, with every event marked as having run on `runtime`.
    pub fn on_runtime(clock: StoryClock, runtime: impl ToString) -> Self {
        Timeline {
            runtime: Some(runtime.to_string()),
            ..Timeline::new(clock)
        }
    }

    /// The clock this timeline reads.
    pub fn clock(&self) -> &StoryClock {
        &self.clock
    }

    /// Records that `event` happened to `actor` now, with the story's sentence for it.
    pub fn record(&self, actor: &str, event: &str, say: &str) -> Event {
        self.record_at(self.clock.now(), actor, event, say)
    }

    /// Records the story's closing `"total"` event for `actor` (the whole story, such as
    /// `"lunch"`) and returns its story minute. The picture leaves it out: it is a sum, not a step.
    pub fn finish(&self, actor: &str, say: impl FnOnce(f64) -> String) -> f64 {
        let t = self.clock.now();
        self.record_at(t, actor, "total", &say(t)).t
    }

    /// Records that `event` happened to `actor` at story minute `t`: for a story that keeps
    /// its own book of when things happened, copied into a timeline afterwards.
    pub fn record_at(&self, t: f64, actor: &str, event: &str, say: &str) -> Event {
        let recorded = Event {
            t: (t * 1000.0).round() / 1000.0,
            actor: actor.to_string(),
            event: event.to_string(),
            say: say.to_string(),
            runtime: self.runtime.clone(),
        };
        self.events
            .lock()
            .expect("no thread panics while holding the timeline")
            .push(recorded.clone());
        recorded
    }

    /// A copy of the events so far.
    pub fn events(&self) -> Vec<Event> {
        self.events
            .lock()
            .expect("no thread panics while holding the timeline")
            .clone()
    }

    /// `(actor, event)` pairs in order: what tests compare against a story's expected order.
    pub fn order(&self) -> Vec<(String, String)> {
        self.events()
            .into_iter()
            .map(|event| (event.actor, event.event))
            .collect()
    }

    /// One line per event: `  3.0 min  meatloaf   done    The meatloaf is hot.`
    pub fn to_text(&self) -> String {
        let events = self.events();
        let width = events.iter().map(|e| e.actor.len()).max().unwrap_or(0);
        let event_width = events.iter().map(|e| e.event.len()).max().unwrap_or(0);
        let mut text = String::new();
        for event in events {
            let _ = writeln!(
                text,
                "{:6.1} min  {:width$}  {:event_width$}  {}",
                event.t, event.actor, event.event, event.say
            );
        }
        text
    }

    /// One JSON object per line, one line per event.
    pub fn to_json_lines(&self) -> String {
        self.events()
            .iter()
            .map(|event| serde_json::to_string(event).expect("an event always serializes") + "\n")
            .collect()
    }

    /// The bars, in the order they start: each from an actor's `"start"` event to its next
    /// `"done"`. A bar that never got its `"done"` is left out.
    pub(crate) fn spans(&self) -> Vec<Span> {
        let mut spans: Vec<(Span, bool)> = Vec::new();
        for event in self.events() {
            match event.event.as_str() {
                "start" => spans.push((
                    Span {
                        actor: event.actor,
                        start: event.t,
                        end: event.t,
                    },
                    false,
                )),
                "done" => {
                    let open = spans
                        .iter_mut()
                        .find(|(span, done)| !done && span.actor == event.actor);
                    if let Some((span, done)) = open {
                        span.end = event.t;
                        *done = true;
                    }
                }
                _ => {}
            }
        }
        spans
            .into_iter()
            .filter(|(_, done)| *done)
            .map(|(span, _)| span)
            .collect()
    }

    /// The moments: every event that is not a bar's start or end, nor the total.
    pub(crate) fn marks(&self) -> Vec<Event> {
        self.events()
            .into_iter()
            .filter(|e| !matches!(e.event.as_str(), "start" | "done" | "total"))
            .collect()
    }

    /// The actors, in the order they first appear: one row each in the picture.
    pub(crate) fn actors(&self) -> Vec<String> {
        let mut actors: Vec<String> = Vec::new();
        for event in self.events().into_iter().filter(|e| e.event != "total") {
            if !actors.contains(&event.actor) {
                actors.push(event.actor);
            }
        }
        actors
    }

    /// Draws the run: a row per actor, a bar for each start-to-done step, a tick for each other
    /// event (red where the event is `"collides"` or `"hungry"`), story minutes along the axis. Bars carry
    /// `data-actor`, `data-start` and `data-end`, ticks `data-actor`, `data-t` and `data-event`,
    /// so a test can read back what a committed picture shows.
    pub fn to_svg(&self, title: &str) -> String {
        self.to_svg_with_axis(title, 0.0)
    }

    /// The same picture, with the axis running to at least `axis_minutes`, so that pictures of
    /// several runs share one scale.
    pub fn to_svg_with_axis(&self, title: &str, axis_minutes: f64) -> String {
        svg::draw(self, title, axis_minutes)
    }
}
