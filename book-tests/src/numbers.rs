//! The numbers in a page's prose, and what binds each one.
//!
//! Every number a reader reads (outside code) is one of two things:
//!
//! - **a claim**, bound to the test that proves it by an HTML comment right after it, which the
//!   rendered page does not show: `lunch takes **10 minutes**<!-- claim: lunch.all-at-once -->`.
//!   The test asks for it by name with the value it proves (`common::claim("lunch.all-at-once",
//!   10.0)` in `tests/`), so a page and its test that disagree fail, naming both;
//! - **declared**, in the page's last section, `## Where the numbers come from`, which the
//!   reader sees: one bullet per kind, `- **Story:** ...`, `- **From the sources:** ...`,
//!   `- **One recorded run** (machine, date): ...` and `- **Names:** ...` (years, versions,
//!   counts that name a thing). Every number in such a bullet, down to the next bullet, is
//!   declared for that page. A bullet `- **Checked on every run:** ...` says what the tests
//!   prove; a number in it must be bound like any other.
//!
//! Not numbers: anything in code (fenced or inline), in a tag, a link's address or a comment;
//! list markers; versions with two dots (`1.13.2`); and digits glued to letters (`E0499`,
//! `RUSTSEC-2025-0052`, `x86_64`).
//!
//! This file is shared: the book's checks use it as a module of this library, and the
//! chapters' tests in `tests/` include it with `#[path]`, so both read numbers the same way.

use std::collections::BTreeMap;

/// The heading of the section that declares a page's numbers that are not claims.
pub const DECLARATIONS: &str = "## Where the numbers come from";

/// A number in a page's prose.
#[derive(Clone, Debug, PartialEq)]
pub struct Number {
    /// The line it stands on, counted from 1.
    pub line: usize,
    /// As written: `1,444`, `98%`, `5x`, `12.5`.
    pub text: String,
    /// Its value, without thousands separators or a `%`/`x`.
    pub value: f64,
    /// The claim it is bound to, if an HTML comment `<!-- claim: ID -->` follows it.
    pub claim: Option<String>,
}

/// What a page's declarations section says a number is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// Part of the story: the year, the tables, a dish's minutes.
    Story,
    /// A fact credited to a source.
    Source,
    /// A figure from one recorded benchmark run.
    OneRun,
    /// A year, a version or a count that names something.
    Name,
}

impl Kind {
    fn from_label(label: &str) -> Option<Kind> {
        let label = label.trim().trim_end_matches(':');
        Some(if label.starts_with("Story") {
            Kind::Story
        } else if label.starts_with("From") {
            Kind::Source
        } else if label.starts_with("One recorded run") {
            Kind::OneRun
        } else if label.starts_with("Names") {
            Kind::Name
        } else {
            return None;
        })
    }
}

/// A page read for its numbers.
#[derive(Debug, Default)]
pub struct PageNumbers {
    /// The numbers of the prose, outside the declarations section, in order.
    pub prose: Vec<Number>,
    /// The values the declarations section names, with their kind.
    pub declared: BTreeMap<String, Kind>,
    /// Declaration bullets whose label is none of the kinds: `(line, label)`.
    pub unknown_labels: Vec<(usize, String)>,
}

impl PageNumbers {
    /// Whether `number` is declared by this page (by its value, as written without separators).
    pub fn declares(&self, number: &Number) -> Option<Kind> {
        self.declared.get(&key(number.value)).copied()
    }
}

fn key(value: f64) -> String {
    format!("{value}")
}

/// Reads the numbers of one page's Markdown.
pub fn read(markdown: &str) -> PageNumbers {
    let mut page = PageNumbers::default();
    let mut fence: Option<&str> = None;
    let mut in_comment = false;
    let mut in_declarations = false;
    let mut bullet = Bullet::Checked;
    for (index, line) in markdown.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        if trimmed.starts_with('#') {
            in_declarations = trimmed == DECLARATIONS;
            continue;
        }
        let prose = prose_of(line, &mut in_comment);
        let numbers = numbers_in(&prose, index + 1);
        if in_declarations {
            // A bullet's label says what its numbers are, down to the next bullet.
            if let Some(label) = bullet_label(trimmed) {
                bullet = match Kind::from_label(&label) {
                    Some(kind) => Bullet::Declares(kind),
                    None if label.starts_with("Checked") => Bullet::Checked,
                    None => {
                        page.unknown_labels.push((index + 1, label));
                        Bullet::Checked
                    }
                };
            }
            match bullet {
                Bullet::Declares(kind) => {
                    for number in numbers {
                        page.declared.insert(key(number.value), kind);
                    }
                }
                // What the tests check is bound where it is claimed, not here.
                Bullet::Checked => page.prose.extend(numbers),
            }
        } else {
            page.prose.extend(numbers);
        }
    }
    page
}

/// What the numbers of a bullet in the declarations section are.
#[derive(Clone, Copy)]
enum Bullet {
    /// Declared, of this kind.
    Declares(Kind),
    /// The bullet that says what the tests check: its numbers must be bound like the prose's.
    Checked,
}

/// `Story:` for `- **Story:** the pasta's 10 minutes`.
fn bullet_label(line: &str) -> Option<String> {
    let rest = line.strip_prefix("- **")?;
    Some(rest.split("**").next()?.to_string())
}

/// Where a claim marker stands in the prose text: the claim's name between these.
const MARK_OPEN: char = '\u{1}';
const MARK_CLOSE: char = '\u{2}';

/// The line with everything that is not prose blanked out (code spans, tags, comments, link
/// addresses, a list marker), and each claim marker turned into `MARK_OPEN id MARK_CLOSE`.
/// `in_comment` carries an HTML comment over from one line to the next.
fn prose_of(line: &str, in_comment: &mut bool) -> String {
    let mut out = String::new();
    let mut rest = line;
    // An ordered list's marker is not a number in the prose.
    let body = rest.trim_start();
    if let Some(digits) = body.find(". ").filter(|&at| at > 0)
        && body[..digits].chars().all(|c| c.is_ascii_digit())
    {
        rest = &body[digits + 1..];
    }
    while !rest.is_empty() {
        if *in_comment {
            match rest.find("-->") {
                Some(end) => {
                    *in_comment = false;
                    rest = &rest[end + 3..];
                }
                None => return out,
            }
            continue;
        }
        if let Some(comment) = rest.strip_prefix("<!--") {
            match comment.find("-->") {
                Some(end) => {
                    let inside = comment[..end].trim();
                    if let Some(id) = inside.strip_prefix("claim:") {
                        out.push(MARK_OPEN);
                        out.push_str(id.trim());
                        out.push(MARK_CLOSE);
                    }
                    rest = &comment[end + 3..];
                }
                None => {
                    *in_comment = true;
                    rest = "";
                }
            }
            continue;
        }
        let mut chars = rest.chars();
        let c = chars.next().expect("rest is not empty");
        let skip_to = |close: &str, from: usize| -> usize {
            rest[from..]
                .find(close)
                .map_or(rest.len(), |at| from + at + close.len())
        };
        let skipped = match c {
            '`' => {
                let ticks = rest.len() - rest.trim_start_matches('`').len();
                skip_to(&rest[..ticks], ticks)
            }
            '<' if rest[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/') => {
                skip_to(">", 1)
            }
            ']' if rest[1..].starts_with('(') => skip_to(")", 1),
            _ => 0,
        };
        if skipped > 0 {
            out.push(' ');
            rest = &rest[skipped..];
        } else {
            out.push(c);
            rest = chars.as_str();
        }
    }
    out
}

/// The numbers in a line of prose (as [`prose_of`] leaves it), each with the claim marker that
/// follows it before the next number, if any.
fn numbers_in(prose: &str, line: usize) -> Vec<Number> {
    let chars: Vec<char> = prose.chars().collect();
    let mut numbers: Vec<Number> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == MARK_OPEN {
            let end = chars[i..]
                .iter()
                .position(|&c| c == MARK_CLOSE)
                .map_or(chars.len(), |at| i + at);
            let id: String = chars[i + 1..end].iter().collect();
            if let Some(last) = numbers.last_mut() {
                last.claim.get_or_insert(id);
            }
            i = end + 1;
            continue;
        }
        let glued = i > 0 && (chars[i - 1].is_alphanumeric() || "_-./#@$\\".contains(chars[i - 1]));
        if !c.is_ascii_digit() || glued {
            i += 1;
            continue;
        }
        let start = i;
        let mut dots = 0;
        while i < chars.len() {
            let next_is_digit = chars.get(i + 1).is_some_and(char::is_ascii_digit);
            match chars[i] {
                d if d.is_ascii_digit() => {}
                ',' if next_is_digit => {}
                '.' if next_is_digit => dots += 1,
                _ => break,
            }
            i += 1;
        }
        let digits: String = chars[start..i].iter().collect();
        let mut text = digits.clone();
        let after = chars.get(i).copied();
        let letter_after = |at: usize| chars.get(at).is_some_and(|c| c.is_alphanumeric());
        match after {
            Some('%') => {
                text.push('%');
                i += 1;
            }
            Some('x' | '×') if !letter_after(i + 1) => {
                text.push(chars[i]);
                i += 1;
            }
            // Glued to a word (`2nd`, `64KiB`, `0x1F`): a name, not a number.
            Some(c) if c.is_alphabetic() || c == '_' => {
                while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                    i += 1;
                }
                continue;
            }
            _ => {}
        }
        if dots >= 2 {
            continue;
        }
        let value = digits
            .replace(',', "")
            .parse()
            .expect("digits and one dot parse");
        numbers.push(Number {
            line,
            text,
            value,
            claim: None,
        });
    }
    numbers
}
