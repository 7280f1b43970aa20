//! The book's proofs, kept apart from the `loopbot` crate that readers build:
//!
//! - `build.rs` turns every Rust block of every page into a test (`tests/snippets.rs`);
//! - `tests/book.rs` checks that every block is tested, that compiler output shown in the book
//!   is what rustc prints, that listings need no more than their runtime, and that the table of
//!   contents matches the pages;
//! - `tests/browser.rs` builds the book and reads it in headless Chromium.
//!
//! This library is what those tests share: where the book is, its pages, the fenced blocks in
//! them and the entries of its table of contents, all read with `pulldown-cmark`, the Markdown
//! parser mdBook itself uses, so that a test sees a page as mdBook does.
//!
//! ```
//! let blocks = loopbot_book_tests::blocks();
//! assert!(blocks.iter().any(|block| block.has("rust") && block.has("tokio")));
//! let entries = loopbot_book_tests::summary();
//! assert_eq!(entries[0].title, "Introduction");
//! ```

pub mod numbers;
pub mod quiz;

use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// The book's own folder: the root of the repository, one up from `book-tests/`.
pub fn book_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("book-tests/ sits inside the book's folder")
        .to_path_buf()
}

/// The book's pages live here.
pub fn book_src() -> PathBuf {
    book_root().join("src")
}

/// Every file under `dir`, at any depth, whose extension is `extension`, sorted.
pub fn files_ending_in(dir: &Path, extension: &str) -> Vec<PathBuf> {
    fn walk(dir: &Path, extension: &str, found: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                walk(&path, extension, found);
            } else if path.extension().is_some_and(|ext| ext == extension) {
                found.push(path);
            }
        }
    }
    let mut found = Vec::new();
    walk(dir, extension, &mut found);
    found.sort();
    found
}

/// Every page of the book: the Markdown files under `src/`.
pub fn pages() -> Vec<PathBuf> {
    files_ending_in(&book_src(), "md")
}

/// A fenced code block in a page.
#[derive(Clone, Debug)]
pub struct Block {
    /// The page it is on.
    pub page: PathBuf,
    /// The line of its opening fence, counted from 1.
    pub line: usize,
    /// The words of its info string: ```` ```rust,ignore,tokio ```` gives `rust`, `ignore`,
    /// `tokio`.
    pub info: Vec<String>,
    /// What is between the fences, as written (hidden `# ` lines included).
    pub body: String,
}

impl Block {
    /// Whether the info string has `word`.
    pub fn has(&self, word: &str) -> bool {
        self.info.iter().any(|w| w == word)
    }

    /// `page:line`, for messages.
    pub fn place(&self) -> String {
        format!("{}:{}", self.page.display(), self.line)
    }
}

/// Every fenced block of every page, in order.
pub fn blocks() -> Vec<Block> {
    pages().iter().flat_map(|page| blocks_in(page)).collect()
}

/// The fenced blocks of one page, in order.
pub fn blocks_in(page: &Path) -> Vec<Block> {
    let text = std::fs::read_to_string(page).unwrap();
    let mut blocks = Vec::new();
    let mut open: Option<Block> = None;
    for (event, range) in Parser::new(&text).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some(Block {
                    page: page.to_path_buf(),
                    line: text[..range.start].matches('\n').count() + 1,
                    info: info
                        .split(|c: char| !(c == '_' || c == '-' || c.is_alphanumeric()))
                        .filter(|w| !w.is_empty())
                        .map(str::to_string)
                        .collect(),
                    body: String::new(),
                });
            }
            Event::Text(body) => {
                if let Some(block) = open.as_mut() {
                    block.body.push_str(&body);
                }
            }
            Event::End(Tag::CodeBlock(_)) => blocks.extend(open.take()),
            _ => {}
        }
    }
    blocks
}

/// An entry of the table of contents, `src/SUMMARY.md`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// The title the reader sees.
    pub title: String,
    /// The page it links to, relative to `src/`: empty for a draft entry, `[Title]()`, which
    /// mdBook lists without a page.
    pub target: String,
}

/// The entries of the table of contents, in order.
pub fn summary() -> Vec<Entry> {
    summary_at(&book_src())
}

/// The entries of the table of contents of the book whose pages are in `src`.
pub fn summary_at(src: &Path) -> Vec<Entry> {
    let path = src.join("SUMMARY.md");
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut entries = Vec::new();
    let mut open: Option<Entry> = None;
    for event in Parser::new(&text) {
        match event {
            Event::Start(Tag::Link(_, target, _)) => {
                open = Some(Entry {
                    title: String::new(),
                    target: target.to_string(),
                });
            }
            Event::Text(text) | Event::Code(text) => {
                if let Some(entry) = open.as_mut() {
                    entry.title.push_str(&text);
                }
            }
            Event::End(Tag::Link(..)) => entries.extend(open.take()),
            _ => {}
        }
    }
    entries
}

#[cfg(test)]
mod numbers_tests {
    use super::numbers::*;

    fn texts(markdown: &str) -> Vec<(String, Option<String>)> {
        read(markdown)
            .prose
            .into_iter()
            .map(|n| (n.text, n.claim))
            .collect()
    }

    #[test]
    fn claims_bind_the_number_before_them_and_code_is_not_prose() {
        let page = "Lunch takes **10 minutes**<!-- claim: lunch.all-at-once -->, not 15.\n\
                    `sleep(3 * MINUTE)` waits 3 minutes; E0499 and 1.13.2 are names.\n\
                    1. A list item costs 1,444 ns, 98% idle, 5x less, see [x](a/2.md).\n\
                    ```rust\nlet x = 7;\n```\n";
        assert_eq!(
            texts(page),
            [
                ("10".to_string(), Some("lunch.all-at-once".to_string())),
                ("15".to_string(), None),
                ("3".to_string(), None),
                ("1,444".to_string(), None),
                ("98%".to_string(), None),
                ("5x".to_string(), None),
            ]
        );
    }

    #[test]
    fn the_declarations_section_declares_by_kind() {
        let page = "It is 2051.\n\n## Where the numbers come from\n\n\
                    - **Story:** the year 2051 and six tables.\n\
                    - **From the sources:** 98% idle.\n\
                    - **Guesses:** 7.\n";
        let numbers = read(page);
        // The 7 under an unknown label is not declared: it must be bound like the prose's.
        assert_eq!(numbers.prose.len(), 2);
        assert_eq!(numbers.declares(&numbers.prose[0]), Some(Kind::Story));
        assert_eq!(numbers.declared.get("98"), Some(&Kind::Source));
        assert_eq!(numbers.unknown_labels, [(7, "Guesses:".to_string())]);
    }
}
