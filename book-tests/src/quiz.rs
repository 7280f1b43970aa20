//! The quizzes at the end of the chapters (`src/quizzes/*.toml`, in mdbook-quiz's format), read
//! for the test that proves their answer keys (`tests/quizzes.rs`) and for `build.rs`, which
//! compiles every quiz program into that test.
//!
//! Each question is mdbook-quiz's `MultipleChoice`, plus one key mdbook-quiz ignores and the
//! test reads, `proof.runs`, which says how its answer is proven:
//!
//! - `"prints"`: the prompt's one Rust block is run; what it prints is the first code span or
//!   fenced block of the answer, and of no distractor;
//! - `"odd-one-out"`: the prompt's three Rust blocks, one per runtime, are run; two print the
//!   same, and the answer names the runtime of the third;
//! - `"compile-error"`: the prompt's one Rust block (std only) is given to rustc, which rejects
//!   it; the first error code it prints is in the answer and in no distractor.
//!
//! This file is also compiled into `build.rs` (`#[path]`), so it uses only `toml` and
//! `pulldown-cmark`, which both have.

use std::path::{Path, PathBuf};

use pulldown_cmark::{CodeBlockKind, Event, Parser, Tag};

/// How a question's answer is proven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Proof {
    Prints,
    OddOneOut,
    CompileError,
}

impl Proof {
    fn parse(word: &str) -> Option<Proof> {
        match word {
            "prints" => Some(Proof::Prints),
            "odd-one-out" => Some(Proof::OddOneOut),
            "compile-error" => Some(Proof::CompileError),
            _ => None,
        }
    }

    /// How many Rust blocks the prompt must hold.
    pub fn programs(self) -> usize {
        match self {
            Proof::OddOneOut => 3,
            Proof::Prints | Proof::CompileError => 1,
        }
    }
}

/// One question of a quiz.
#[derive(Clone, Debug)]
pub struct Question {
    /// The quiz file it is in.
    pub file: PathBuf,
    /// Its `id`, `<quiz>-<n>`.
    pub id: String,
    pub proof: Proof,
    /// The Rust blocks of its prompt, in order: whole programs.
    pub programs: Vec<String>,
    /// The correct answer and the wrong ones, as Markdown.
    pub answer: String,
    pub distractors: Vec<String>,
}

impl Question {
    /// The name of the module that holds program `index` of this question in the test binary.
    pub fn module(&self, index: usize) -> String {
        format!("{}_{index}", self.id.replace('-', "_"))
    }
}

/// The folder of the quizzes, inside the book's `src/`.
pub fn quiz_dir(src: &Path) -> PathBuf {
    src.join("quizzes")
}

/// Every quiz file, sorted.
pub fn quiz_files(src: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(quiz_dir(src))
        .map(|entries| {
            entries
                .map(|entry| entry.expect("a quiz folder entry").path())
                .filter(|path| path.extension().is_some_and(|ext| ext == "toml"))
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// Every question of every quiz, or the first thing wrong with their shape.
pub fn questions(src: &Path) -> Result<Vec<Question>, String> {
    let mut all = Vec::new();
    for file in quiz_files(src) {
        all.extend(questions_in(&file)?);
    }
    Ok(all)
}

/// The questions of one quiz file, or the first thing wrong with their shape.
pub fn questions_in(file: &Path) -> Result<Vec<Question>, String> {
    let place = file.display();
    let text = std::fs::read_to_string(file).map_err(|e| format!("{place}: {e}"))?;
    let quiz: toml::Table = toml::from_str(&text).map_err(|e| format!("{place}: {e}"))?;
    let stem = file.file_stem().unwrap_or_default().to_string_lossy();
    let list = quiz
        .get("questions")
        .and_then(toml::Value::as_array)
        .ok_or_else(|| format!("{place}: no [[questions]]"))?;
    list.iter()
        .enumerate()
        .map(|(n, question)| {
            let expected_id = format!("{stem}-{}", n + 1);
            question_from(question, file, &expected_id)
                .map_err(|problem| format!("{place}, question {}: {problem}", n + 1))
        })
        .collect()
}

fn question_from(value: &toml::Value, file: &Path, expected_id: &str) -> Result<Question, String> {
    let text = |path: &[&str]| -> Result<String, String> {
        let mut at = value;
        for key in path {
            at = at
                .get(key)
                .ok_or_else(|| format!("no `{}`", path.join(".")))?;
        }
        at.as_str()
            .map(str::to_string)
            .ok_or_else(|| format!("`{}` is not a string", path.join(".")))
    };
    let id = text(&["id"])?;
    if id != expected_id {
        return Err(format!("its id is `{id}`, not `{expected_id}`"));
    }
    if text(&["type"])? != "MultipleChoice" {
        return Err("only MultipleChoice questions are proven".into());
    }
    let runs = text(&["proof", "runs"])?;
    let proof = Proof::parse(&runs).ok_or_else(|| format!("unknown proof.runs `{runs}`"))?;
    let prompt = text(&["prompt", "prompt"])?;
    let programs = rust_blocks(&prompt);
    if programs.len() != proof.programs() {
        return Err(format!(
            "proof.runs = \"{runs}\" needs {} Rust block(s) in the prompt; it has {}",
            proof.programs(),
            programs.len()
        ));
    }
    let distractors = value
        .get("prompt")
        .and_then(|p| p.get("distractors"))
        .and_then(toml::Value::as_array)
        .ok_or("no `prompt.distractors`")?
        .iter()
        .map(|d| {
            d.as_str()
                .map(str::to_string)
                .ok_or("a distractor is not a string")
        })
        .collect::<Result<Vec<_>, _>>()?;
    if distractors.is_empty() {
        return Err("no distractors".into());
    }
    text(&["context"])?;
    Ok(Question {
        file: file.to_path_buf(),
        id,
        proof,
        programs,
        answer: text(&["answer", "answer"])?,
        distractors,
    })
}

/// The bodies of the fenced Rust blocks in a piece of Markdown.
pub fn rust_blocks(markdown: &str) -> Vec<String> {
    fenced(markdown)
        .into_iter()
        .filter(|(info, _)| info.split(',').next() == Some("rust"))
        .map(|(_, body)| body)
        .collect()
}

/// The first code span or fenced block of a piece of Markdown, as written between the marks.
pub fn first_code(markdown: &str) -> Option<String> {
    let mut block: Option<String> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Code(code) if block.is_none() => return Some(code.to_string()),
            Event::Start(Tag::CodeBlock(_)) => block = Some(String::new()),
            Event::Text(text) => {
                if let Some(body) = block.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(Tag::CodeBlock(_)) => return block,
            _ => {}
        }
    }
    None
}

fn fenced(markdown: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut open: Option<(String, String)> = None;
    for event in Parser::new(markdown) {
        match event {
            Event::Start(Tag::CodeBlock(CodeBlockKind::Fenced(info))) => {
                open = Some((info.to_string(), String::new()));
            }
            Event::Text(text) => {
                if let Some((_, body)) = open.as_mut() {
                    body.push_str(&text);
                }
            }
            Event::End(Tag::CodeBlock(_)) => found.extend(open.take()),
            _ => {}
        }
    }
    found
}

/// Output as the proofs compare it: each line without trailing spaces, no trailing newlines.
pub fn normalized(output: &str) -> String {
    output
        .lines()
        .map(str::trim_end)
        .collect::<Vec<_>>()
        .join("\n")
        .trim_end()
        .to_string()
}

/// The runtime a whole program uses, if it names exactly one.
pub fn runtime_of(program: &str) -> Option<&'static str> {
    let named: Vec<&'static str> = [
        ("tokio::", "tokio"),
        ("async_std::", "async-std"),
        ("smol::", "smol"),
    ]
    .into_iter()
    .filter(|(path, _)| program.contains(path))
    .map(|(_, name)| name)
    .collect();
    match named.as_slice() {
        [one] => Some(one),
        _ => None,
    }
}
