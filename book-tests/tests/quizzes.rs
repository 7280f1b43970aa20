//! Proves every quiz's answer key by running its code (see `src/quiz.rs` for the three kinds of
//! proof). Every quiz program is compiled into this binary by `build.rs`; to run one, the
//! binary starts itself again with `LOOPBOT_QUIZ_PROGRAM=<module>`, so each program has a
//! process of its own and its stdout is exactly what a reader's `cargo run` would print.
//!
//! It has its own `main` (`harness = false`): `cargo test -p loopbot-book-tests --test quizzes`
//! checks every question, and `... --test quizzes lunch` only those whose id contains `lunch`.

use std::collections::BTreeSet;
use std::io::Read;
use std::process::{Command, ExitCode, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use loopbot_book_tests::quiz::{self, Proof, Question};

mod programs {
    include!(concat!(env!("OUT_DIR"), "/quiz-programs.rs"));
}

const WHICH: &str = "LOOPBOT_QUIZ_PROGRAM";
/// No quiz program is meant to run for more than a couple of seconds.
const PATIENCE: Duration = Duration::from_secs(30);
/// Programs run a few at a time: most of them wait on timers, not on the cores.
const AT_ONCE: usize = 4;

fn main() -> ExitCode {
    if let Ok(module) = std::env::var(WHICH) {
        return match programs::PROGRAMS.iter().find(|(name, _)| *name == module) {
            Some((_, run)) => run(),
            None => {
                eprintln!("no quiz program named {module}");
                ExitCode::from(2)
            }
        };
    }
    let filter = std::env::args().skip(1).find(|arg| !arg.starts_with('-'));
    let src = loopbot_book_tests::book_src();
    let mut failures = Vec::new();
    let questions = match quiz::questions(&src) {
        Ok(questions) => questions,
        Err(problem) => {
            eprintln!("a quiz has the wrong shape: {problem}");
            return ExitCode::FAILURE;
        }
    };
    if let Err(problem) = every_quiz_is_shown_once(&questions) {
        failures.push(("quizzes are shown".to_string(), problem));
    }
    let chosen: Vec<&Question> = questions
        .iter()
        .filter(|q| filter.as_ref().is_none_or(|f| q.id.contains(f.as_str())))
        .collect();
    let started = Instant::now();
    let results = Mutex::new(Vec::new());
    let next = Mutex::new(chosen.iter());
    std::thread::scope(|scope| {
        for _ in 0..AT_ONCE {
            scope.spawn(|| {
                while let Some(question) = {
                    let mut queue = next.lock().unwrap();
                    queue.next()
                } {
                    let outcome = prove(question);
                    let line = match &outcome {
                        Ok(()) => "ok",
                        Err(_) => "FAILED",
                    };
                    println!("quiz {} ... {line}", question.id);
                    results.lock().unwrap().push((question.id.clone(), outcome));
                }
            });
        }
    });
    let mut failed_questions = 0;
    for (id, outcome) in results.into_inner().unwrap() {
        if let Err(problem) = outcome {
            failures.push((id, problem));
            failed_questions += 1;
        }
    }
    for (id, problem) in &failures {
        eprintln!("\n---- {id} ----\n{problem}");
    }
    println!(
        "\nquizzes: {} questions proven, {} failed, in {:.1}s",
        chosen.len() - failed_questions,
        failed_questions,
        started.elapsed().as_secs_f64()
    );
    if failures.is_empty() && !questions.is_empty() {
        ExitCode::SUCCESS
    } else {
        if questions.is_empty() {
            eprintln!("no quiz questions found under src/quizzes");
        }
        ExitCode::FAILURE
    }
}

/// Each quiz file is shown by exactly one `{{#quiz quizzes/<file>}}`, and every such line
/// names a quiz that exists.
fn every_quiz_is_shown_once(questions: &[Question]) -> Result<(), String> {
    let src = loopbot_book_tests::book_src();
    let files: BTreeSet<String> = quiz::quiz_files(&src)
        .iter()
        .map(|f| f.file_name().unwrap().to_string_lossy().into_owned())
        .collect();
    let mut shown = Vec::new();
    for page in loopbot_book_tests::pages() {
        let text = std::fs::read_to_string(&page).unwrap();
        for (_, rest) in text
            .match_indices("{{#quiz ")
            .map(|(i, _)| text.split_at(i + 8))
        {
            let name = rest.split("}}").next().unwrap_or_default().trim();
            let Some(file) = name.strip_prefix("quizzes/") else {
                return Err(format!("{}: {name} is not in quizzes/", page.display()));
            };
            shown.push(file.to_string());
        }
    }
    let shown_set: BTreeSet<String> = shown.iter().cloned().collect();
    if shown_set.len() != shown.len() {
        return Err(format!("a quiz is shown twice: {shown:?}"));
    }
    if shown_set != files {
        return Err(format!(
            "the quizzes under src/quizzes are {files:?}, the pages show {shown_set:?}"
        ));
    }
    if questions.is_empty() {
        return Err("no questions".into());
    }
    Ok(())
}

fn prove(question: &Question) -> Result<(), String> {
    match question.proof {
        Proof::Prints => prove_prints(question),
        Proof::OddOneOut => prove_odd_one_out(question),
        Proof::CompileError => prove_compile_error(question),
    }
}

fn prove_prints(question: &Question) -> Result<(), String> {
    let printed = run(question, 0)?;
    let answer = quiz::first_code(&question.answer)
        .map(|code| quiz::normalized(&code))
        .ok_or("the answer has no code span or block to compare with the output")?;
    if answer != printed {
        return Err(format!(
            "the answer says it prints\n{answer}\nbut it printed\n{printed}"
        ));
    }
    for distractor in &question.distractors {
        if quiz::first_code(distractor).map(|code| quiz::normalized(&code)) == Some(printed.clone())
        {
            return Err(format!(
                "a distractor is what it really prints: {distractor}"
            ));
        }
    }
    Ok(())
}

fn prove_odd_one_out(question: &Question) -> Result<(), String> {
    let mut runs = Vec::new();
    for (index, program) in question.programs.iter().enumerate() {
        let runtime = quiz::runtime_of(program)
            .ok_or(format!("program {index} does not name exactly one runtime"))?;
        runs.push((runtime, run(question, index)?));
    }
    let names: BTreeSet<&str> = runs.iter().map(|(runtime, _)| *runtime).collect();
    if names.len() != 3 {
        return Err(format!(
            "the three programs use {names:?}, not one runtime each"
        ));
    }
    let odd: Vec<&str> = runs
        .iter()
        .filter(|(_, out)| runs.iter().filter(|(_, other)| other == out).count() == 1)
        .map(|(runtime, _)| *runtime)
        .collect();
    let outputs = || {
        runs.iter()
            .map(|(runtime, out)| format!("{runtime}:\n{out}"))
            .collect::<Vec<_>>()
            .join("\n")
    };
    let [odd] = odd.as_slice() else {
        return Err(format!("not exactly one runtime differs:\n{}", outputs()));
    };
    let answer = question.answer.replace('`', "");
    if answer.trim() != *odd {
        return Err(format!(
            "the answer is {answer}, but {odd} is the odd one out:\n{}",
            outputs()
        ));
    }
    Ok(())
}

fn prove_compile_error(question: &Question) -> Result<(), String> {
    let program = &question.programs[0];
    if ["tokio", "async_std", "smol", "futures"]
        .iter()
        .any(|krate| program.contains(&format!("{krate}::")))
    {
        return Err("a compile-error program may use only std: it is given to bare rustc".into());
    }
    let dir = std::env::temp_dir().join(format!(
        "loopbot-quiz-{}-{}",
        std::process::id(),
        question.id
    ));
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    std::fs::write(dir.join("main.rs"), program).map_err(|e| e.to_string())?;
    let output = Command::new(std::env::var("RUSTC").unwrap_or_else(|_| "rustc".into()))
        .args(["--edition", "2024", "--color", "never", "--emit=metadata"])
        .args(["main.rs", "-o", "main.rmeta"])
        .current_dir(&dir)
        .output()
        .map_err(|e| format!("rustc did not start: {e}"))?;
    std::fs::remove_dir_all(&dir).ok();
    let stderr = String::from_utf8_lossy(&output.stderr);
    if output.status.success() {
        return Err("rustc accepted the program; the answer says it does not compile".into());
    }
    let code = stderr
        .lines()
        .find_map(|line| line.strip_prefix("error[")?.split(']').next())
        .ok_or(format!("rustc printed no error code:\n{stderr}"))?;
    if !question.answer.contains(code) {
        return Err(format!(
            "rustc says {code}; the answer is {}\n{stderr}",
            question.answer
        ));
    }
    if let Some(distractor) = question.distractors.iter().find(|d| d.contains(code)) {
        return Err(format!("a distractor names {code} too: {distractor}"));
    }
    Ok(())
}

/// Runs program `index` of a question in a process of its own and returns what it printed.
fn run(question: &Question, index: usize) -> Result<String, String> {
    let module = question.module(index);
    let mut child = Command::new(std::env::current_exe().unwrap())
        .env(WHICH, &module)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{module} did not start: {e}"))?;
    let mut stdout = child.stdout.take().unwrap();
    let mut stderr = child.stderr.take().unwrap();
    let reading = std::thread::spawn(move || {
        let (mut out, mut err) = (String::new(), String::new());
        stdout.read_to_string(&mut out).ok();
        stderr.read_to_string(&mut err).ok();
        (out, err)
    });
    let deadline = Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(|e| e.to_string())? {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            child.wait().ok();
            return Err(format!("{module} still ran after {PATIENCE:?}"));
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    let (out, err) = reading.join().unwrap();
    if !status.success() {
        return Err(format!("{module} failed ({status}):\n{err}"));
    }
    Ok(quiz::normalized(&out))
}
