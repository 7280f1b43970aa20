//! A timeline drawn as an SVG picture: a row per actor, a bar per start-to-done step, a tick per
//! other event, story minutes along the axis.

use std::fmt::Write as _;

use super::{Event, Span, Timeline};

/// Where the rows start, how tall each is, how wide the picture is.
const TOP: f64 = 34.0;
const ROW: f64 = 30.0;
const WIDTH: f64 = 440.0;
/// The narrowest room for the actors' names left of the axis.
const LABEL: f64 = 76.0;
/// The bars' colours, one per row, in turn.
const COLOURS: [&str; 6] = [
    "#d9822b", "#8f5c38", "#5b8c32", "#3b6ea5", "#8e4b9b", "#b03a48",
];

/// The picture's geometry, worked out once from what it must show.
struct Layout {
    actors: Vec<String>,
    /// Where the axis starts: right of the longest actor's name.
    label: f64,
    /// The last whole minute on the axis.
    last: f64,
    /// Pixels per story minute.
    scale: f64,
}

impl Layout {
    fn new(actors: Vec<String>, spans: &[Span], marks: &[Event], axis_minutes: f64) -> Self {
        let longest_name = actors.iter().map(|a| a.len()).max().unwrap_or(0);
        let label = LABEL.max(16.0 + 8.0 * longest_name as f64);
        // A run that ends a hair past a whole minute (10.02) still gets an axis to 10.
        let longest = spans
            .iter()
            .map(|s| s.end)
            .chain(marks.iter().map(|m| m.t))
            .fold(axis_minutes, f64::max);
        let last = (longest - 0.05).ceil().max(1.0);
        let scale = (WIDTH - label - 24.0) / last;
        Layout {
            actors,
            label,
            last,
            scale,
        }
    }

    /// An actor's row, counted from the top.
    fn row(&self, actor: &str) -> usize {
        self.actors.iter().position(|a| a == actor).unwrap_or(0)
    }

    /// The top of an actor's row.
    fn row_top(&self, actor: &str) -> f64 {
        TOP + ROW * self.row(actor) as f64
    }

    /// The x of a story minute.
    fn x(&self, minute: f64) -> f64 {
        self.label + minute * self.scale
    }

    /// The y of the axis line, below the last row.
    fn axis_y(&self) -> f64 {
        TOP + ROW * self.actors.len() as f64 + 6.0
    }
}

/// Draws `timeline` under `title`, the axis running to at least `axis_minutes`.
pub(super) fn draw(timeline: &Timeline, title: &str, axis_minutes: f64) -> String {
    let spans = timeline.spans();
    let marks = timeline.marks();
    let layout = Layout::new(timeline.actors(), &spans, &marks, axis_minutes);
    let mut svg = String::new();
    frame(&mut svg, &layout, title);
    axis(&mut svg, &layout);
    for actor in &layout.actors {
        let _ = writeln!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" fill="#222">{}</text>"##,
            layout.label - 8.0,
            layout.row_top(actor) + 18.0,
            escape(actor)
        );
    }
    for span in &spans {
        bar(&mut svg, &layout, span);
    }
    for mark in &marks {
        tick(&mut svg, &layout, mark);
    }
    svg.push_str("</svg>\n");
    svg
}

/// The picture's outline, background and title.
fn frame(svg: &mut String, layout: &Layout, title: &str) {
    let height = TOP + ROW * layout.actors.len() as f64 + 46.0;
    let _ = writeln!(
        svg,
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" font-family="sans-serif" font-size="14">"##
    );
    let _ = writeln!(svg, "<title>{}</title>", escape(title));
    let _ = writeln!(
        svg,
        r##"<rect width="100%" height="100%" fill="#fffdf8" stroke="#ccc"/>"##
    );
    let _ = writeln!(
        svg,
        r##"<text x="{}" y="20" font-weight="bold" fill="#222">{}</text>"##,
        layout.label,
        escape(title)
    );
}

/// A grid line and a number every 1, 5 or 10 minutes, and the axis's name.
fn axis(svg: &mut String, layout: &Layout) {
    let axis_y = layout.axis_y();
    let step = if layout.last > 30.0 {
        10.0
    } else if layout.last > 12.0 {
        5.0
    } else {
        1.0
    };
    let mut minute = 0.0;
    while minute <= layout.last {
        let x = layout.x(minute);
        let _ = writeln!(
            svg,
            r##"<line x1="{x:.1}" y1="{TOP}" x2="{x:.1}" y2="{axis_y}" stroke="#e4e0d8"/><text x="{x:.1}" y="{:.1}" text-anchor="middle" fill="#555">{minute}</text>"##,
            axis_y + 16.0
        );
        minute += step;
    }
    let _ = writeln!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#555">story minutes</text>"##,
        layout.label + (WIDTH - layout.label - 24.0) / 2.0,
        axis_y + 36.0
    );
}

/// A step from start to done: a bar in the actor's row and colour.
fn bar(svg: &mut String, layout: &Layout, span: &Span) {
    let y = layout.row_top(&span.actor);
    let x = layout.x(span.start);
    // A step that takes no time still gets a visible sliver.
    let width = ((span.end - span.start) * layout.scale).max(2.0);
    let colour = COLOURS[layout.row(&span.actor) % COLOURS.len()];
    let _ = writeln!(
        svg,
        r##"<rect data-actor="{}" data-start="{:.3}" data-end="{:.3}" x="{x:.1}" y="{:.1}" width="{width:.1}" height="{:.1}" rx="3" fill="{colour}"><title>{}: {:.1} to {:.1} min</title></rect>"##,
        escape(&span.actor),
        span.start,
        span.end,
        y + 5.0,
        ROW - 10.0,
        escape(&span.actor),
        span.start,
        span.end
    );
}

/// A moment: a tick in the actor's row, red where something went wrong (two robots collided,
/// a diner left hungry).
fn tick(svg: &mut String, layout: &Layout, mark: &Event) {
    let y = layout.row_top(&mark.actor);
    let x = layout.x(mark.t);
    let colour = if matches!(mark.event.as_str(), "collides" | "hungry") {
        "#c0392b"
    } else {
        "#555"
    };
    let _ = writeln!(
        svg,
        r##"<line data-actor="{}" data-t="{:.3}" data-event="{}" x1="{x:.1}" y1="{:.1}" x2="{x:.1}" y2="{:.1}" stroke="{colour}" stroke-width="2"><title>{:.1} min: {}</title></line>"##,
        escape(&mark.actor),
        mark.t,
        escape(&mark.event),
        y + 6.0,
        y + ROW - 6.0,
        mark.t,
        escape(&mark.say)
    );
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};
    use std::time::Duration;

    use super::super::{Event, Timeline};
    use crate::StoryClock;

    /// A timeline with events at chosen minutes, not at the minutes a run happened to take.
    fn timeline(events: &[(f64, &str, &str)]) -> Timeline {
        let events = events
            .iter()
            .map(|&(t, actor, event)| Event {
                t,
                actor: actor.to_string(),
                event: event.to_string(),
                say: format!("{actor} {event}"),
                runtime: None,
            })
            .collect();
        Timeline {
            clock: StoryClock::new(Duration::from_millis(1)),
            runtime: None,
            events: Arc::new(Mutex::new(events)),
        }
    }

    #[test]
    fn a_bar_per_step_a_tick_per_moment_an_axis_to_the_last_whole_minute() {
        let svg = timeline(&[
            (0.0, "pasta", "start"),
            (0.0, "avocado", "start"),
            (2.0, "avocado", "done"),
            (4.0, "avocado", "collides"),
            (10.02, "pasta", "done"),
        ])
        .to_svg("Lunch & more");
        assert!(
            svg.starts_with(r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 440 140""#)
        );
        assert!(svg.contains("<title>Lunch &amp; more</title>"));
        // Two rows; the pasta's bar from 0 to 10.02 in the first colour, 34 pixels a minute.
        assert!(svg.contains(r##"<rect data-actor="pasta" data-start="0.000" data-end="10.020" x="76.0" y="39.0" width="340.7" height="20.0" rx="3" fill="#d9822b">"##), "{svg}");
        assert!(svg.contains(r##"<rect data-actor="avocado" data-start="0.000" data-end="2.000" x="76.0" y="69.0" width="68.0" height="20.0" rx="3" fill="#8f5c38">"##), "{svg}");
        // The collision is a red tick at minute 4 in the avocado's row.
        assert!(svg.contains(r##"<line data-actor="avocado" data-t="4.000" data-event="collides" x1="212.0" y1="70.0" x2="212.0" y2="88.0" stroke="#c0392b""##), "{svg}");
        // 10.02 rounds the axis down to 10 minutes: numbers 0 to 10, one a minute.
        assert!(
            svg.contains(r##"fill="#555">10</text>"##)
                && !svg.contains(r##"fill="#555">11</text>"##)
        );
        assert!(svg.ends_with("</svg>\n"));
    }
}
