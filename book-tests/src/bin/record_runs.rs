//! Records again the runs the book shows as one recorded run.
//!
//! A page marks such a block with an HTML comment on the line before it, which readers do not
//! see:
//!
//! ````text
//! <!-- recorded run -->
//! ```text
//! $ cargo run --release --example threads_cost -- --runtime all
//! ...what that command printed...
//! ```
//! ````
//!
//! Each `$ ` line is a command, run from the book's folder by `sh -c`; the lines after it, up
//! to the next `$ ` line, are replaced by what it prints on standard output. An excerpt is cut
//! by the command itself (`| grep ...`, `| tail -1`), so that the block always shows exactly
//! what its command prints. After a run, update the machine and date the page names, and any
//! figure the prose quotes from the block.
//!
//! ```text
//! cargo run -p loopbot-book-tests --bin record_runs             # every page
//! cargo run -p loopbot-book-tests --bin record_runs threads.md  # one page
//! ```

use std::process::{Command, ExitCode};

use loopbot_book_tests::{book_root, book_src, pages};

/// The comment that marks a block as one recorded run.
const MARK: &str = "<!-- recorded run -->";

fn main() -> ExitCode {
    let wanted: Vec<String> = std::env::args().skip(1).collect();
    let names: Vec<String> = pages()
        .iter()
        .map(|page| page.strip_prefix(book_src()).unwrap().display().to_string())
        .collect();
    // A page named as its path (src/lunch.md) or misspelt would otherwise be skipped in silence.
    if let Some(unknown) = wanted.iter().find(|name| !names.contains(name)) {
        eprintln!("record_runs: no page {unknown} in src/ (name it as lunch.md, not src/lunch.md)");
        return ExitCode::from(2);
    }
    let mut failed = false;
    for page in pages() {
        let name = page.strip_prefix(book_src()).unwrap().display().to_string();
        if !wanted.is_empty() && !wanted.contains(&name) {
            continue;
        }
        let text = std::fs::read_to_string(&page).unwrap();
        match record(&text) {
            Ok((new, blocks)) if blocks > 0 => {
                std::fs::write(&page, new).unwrap();
                println!("{name}: recorded {blocks} block(s) again");
            }
            Ok(_) => {}
            Err(why) => {
                eprintln!("{name}: {why}");
                failed = true;
            }
        }
    }
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The page with every marked block recorded again, and how many blocks there were.
fn record(text: &str) -> Result<(String, usize), String> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out: Vec<String> = Vec::new();
    let mut blocks = 0;
    let mut i = 0;
    while i < lines.len() {
        out.push(lines[i].to_string());
        let marked = lines[i].trim() == MARK;
        i += 1;
        if !marked {
            continue;
        }
        if lines.get(i).map(|line| line.trim()) != Some("```text") {
            return Err(format!(
                "line {i}: {MARK} must stand right before a ```text block"
            ));
        }
        out.push(lines[i].to_string());
        i += 1;
        let end = (i..lines.len())
            .find(|&j| lines[j].starts_with("```"))
            .ok_or(format!("line {i}: the recorded block never ends"))?;
        out.extend(run_block(&lines[i..end]).map_err(|why| format!("line {i}: {why}"))?);
        blocks += 1;
        i = end;
    }
    Ok((out.join("\n") + "\n", blocks))
}

/// The block's `$ ` commands, each followed by what it prints now.
fn run_block(body: &[&str]) -> Result<Vec<String>, String> {
    if !body.first().is_some_and(|line| line.starts_with("$ ")) {
        return Err("a recorded block starts with the `$ ` command that prints it".into());
    }
    if body.iter().any(|line| line.trim() == "...") {
        return Err("a recorded block shows all its command prints: cut an excerpt with a pipe in the command, not with `...`".into());
    }
    let mut out = Vec::new();
    for command in body.iter().filter_map(|line| line.strip_prefix("$ ")) {
        eprintln!("running: {command}");
        let output = Command::new("sh")
            .args(["-c", command])
            .current_dir(book_root())
            .output()
            .map_err(|error| format!("cannot run sh: {error}"))?;
        if !output.status.success() {
            return Err(format!("`{command}` failed: {}", output.status));
        }
        out.push(format!("$ {command}"));
        let printed = String::from_utf8_lossy(&output.stdout);
        out.extend(printed.lines().map(str::to_string));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_marked_blocks_are_recorded_and_excerpts_are_refused() {
        let page = "Intro.\n\n```text\n$ echo not me\nold\n```\n\n<!-- recorded run -->\n```text\n$ echo one; echo two\nold\n$ echo three | tail -1\nold\n```\n";
        let (new, blocks) = record(page).unwrap();
        assert_eq!(blocks, 1);
        assert!(new.contains("$ echo not me\nold\n"), "{new}");
        assert!(
            new.contains("$ echo one; echo two\none\ntwo\n$ echo three | tail -1\nthree\n```"),
            "{new}"
        );
        let excerpt = "<!-- recorded run -->\n```text\n$ echo a\n...\n```\n";
        assert!(record(excerpt).unwrap_err().contains("pipe"));
    }
}
