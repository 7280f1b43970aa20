//! # The rendered book, in a real browser
//!
//! Builds the book with mdBook, serves the output on 127.0.0.1 (tower-http's `ServeDir` on
//! hyper) and drives headless Chromium through chromedriver (with the `fantoccini` WebDriver
//! client) to prove that:
//!
//! - `mdbook build` succeeds and prints no `WARN` or `ERROR` line (this is the only build of
//!   the book in CI: `.ci/run` relies on it);
//! - every chapter linked from `src/SUMMARY.md` loads, has a title and an `h1`, and logs no
//!   SEVERE console message (script errors, failed loads);
//! - no page fetches anything from anywhere but the local server: no CDN, no web fonts, no
//!   playground;
//! - the search finds "LoopBot";
//! - a quiz (mdbook-quiz) starts, takes one right answer and one wrong one, counts them, marks
//!   each, and shows the right answer once the reader asks for it;
//! - an exercise's solution is hidden until the reader opens it, and then shows its code;
//! - the runtime tabs (`theme/runtime-tabs.js`) show one block per group, switch every group at
//!   once, follow the arrow keys, and remember the choice across reloads and pages.
//!
//! Screenshots of every page, of the tab states and of the tabs in each mdBook theme are saved
//! in `target/browser-screenshots/` for a human to look at.
//!
//! Run it with `cargo test -p loopbot-book-tests --test browser -- --nocapture`.
//!
//! It needs `mdbook`, `chromium` and `chromedriver`. Without mdbook it prints
//! `skipping browser test: ...` and passes; without the browser it builds the book (and checks
//! the build) but skips the rest. `LOOPBOT_REQUIRE_BROWSER=1` (CI sets it) turns a missing tool
//! into a failure. `LOOPBOT_BOOK_ROOT=/path` tests another book (default: the folder above
//! book-tests/), e.g. a scratch copy while a chapter is being written.
//!
//! Everything is bounded: the build (2 minutes), the browser checks (5 minutes), and closing
//! the browser; chromedriver is killed and the server stops with the test.

use std::env;
use std::error::Error;
use std::fs;
use std::io::{self, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::panic::{self, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use fantoccini::wd::WebDriverCompatibleCommand;
use fantoccini::{Client, ClientBuilder, Locator, key::Key};
use futures::FutureExt;
use hyper_util::client::legacy::connect::HttpConnector;
use hyper_util::rt::TokioIo;
use hyper_util::service::TowerToHyperService;
use serde::Deserialize;
use serde_json::{Value, json};
use tokio::time::{sleep, timeout};
use tower_http::services::ServeDir;

const RUNTIMES: [&str; 3] = ["tokio", "async-std", "smol"];
const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];
const BUILD_LIMIT: Duration = Duration::from_secs(120);
const CHECKS_LIMIT: Duration = Duration::from_secs(300);

/// What the checks return: a WebDriver, JSON or file error ends them (a failed check does not).
type Res<T = ()> = Result<T, Box<dyn Error>>;

#[tokio::test]
async fn rendered_book_in_chromium() {
    let mdbook = find_program("mdbook", &[home().join(".cargo/bin/mdbook")]);
    // The quizzes' preprocessor, which mdbook runs by name: its folder goes first on PATH.
    let quiz = find_program("mdbook-quiz", &[home().join(".cargo/bin/mdbook-quiz")]);
    let Some(mdbook) = require("browser test", &[("mdbook", mdbook), ("mdbook-quiz", quiz)]) else {
        return;
    };
    // The book's folder is one up from book-tests/, unless LOOPBOT_BOOK_ROOT names another.
    let root =
        env::var_os("LOOPBOT_BOOK_ROOT").map_or_else(loopbot_book_tests::book_root, PathBuf::from);
    let scratch = Scratch::new();
    let site = scratch.0.join("book");
    build_book(&mdbook, &root, &site, &scratch.0.join("mdbook.log"));
    let pages = summary_pages(&root);
    assert!(
        !pages.is_empty(),
        "{}: no chapter links",
        root.join("src/SUMMARY.md").display()
    );

    // Debian's chromium first; Google Chrome where a machine has that instead (GitHub's runners).
    let chromium = ["/usr/bin/chromium", "/usr/bin/google-chrome"].map(PathBuf::from);
    let chromium = find_program("chromium", &chromium);
    let chromedriver = find_program("chromedriver", &[PathBuf::from("/usr/bin/chromedriver")]);
    let tools = [("chromium", chromium), ("chromedriver", chromedriver)];
    let Some(browser) = require("browser test after the book's build check", &tools) else {
        return;
    };
    let shots = Shots::new();
    let origin = serve(site.clone()).await;
    eprintln!("serving {} at {origin}", site.display());
    let driver = Chromedriver::start(&browser[1], &scratch.0);
    let client = connect(driver.port, &browser[0], &scratch.0.join("profile")).await;

    let mut failures = Vec::new();
    let checks = check_book(&client, &origin, &site, &pages, &shots, &mut failures);
    let outcome = AssertUnwindSafe(timeout(CHECKS_LIMIT, checks))
        .catch_unwind()
        .await;
    // Close the browser before chromedriver goes (on drop), whatever happened above.
    if !matches!(
        timeout(Duration::from_secs(10), client.close()).await,
        Ok(Ok(()))
    ) {
        eprintln!("browser test: the browser did not close cleanly");
    }
    drop(driver);
    match outcome {
        Err(panicked) => panic::resume_unwind(panicked),
        Ok(Err(_)) => panic!("browser checks not done within {CHECKS_LIMIT:?}"),
        Ok(Ok(Err(e))) => panic!("browser checks stopped: {e}"),
        Ok(Ok(Ok(()))) => {}
    }
    let _ = writeln!(
        io::stderr(),
        "browser test: screenshots in {}",
        shots.dir.display()
    );
    assert!(
        failures.is_empty(),
        "browser checks failed:\n- {}",
        failures.join("\n- ")
    );
}

async fn check_book(
    b: &Client,
    origin: &str,
    site: &Path,
    pages: &[String],
    shots: &Shots,
    failures: &mut Vec<String>,
) -> Res {
    for page in pages {
        check_page(b, origin, page, shots, failures).await?;
    }
    check_search(b, origin, &pages[0], shots, failures).await?;
    check_quiz(b, origin, shots, failures).await?;
    check_solution(b, origin, site, pages, shots, failures).await?;
    let tab_pages: Vec<&String> = pages.iter().filter(|p| has_tabs(&site.join(p))).collect();
    if tab_pages.is_empty() {
        failures.push("no page of the book has a runtime tab group (```rust,tokio etc.)".into());
        return Ok(());
    }
    check_tabs(b, origin, &tab_pages, pages, shots, failures).await
}

// ---------------------------------------------------------------------------------------------
// The checks

/// (a) and (b): the page loads, has a title and an h1, logs nothing SEVERE, fetches nothing
/// from elsewhere, and its images load.
async fn check_page(
    b: &Client,
    origin: &str,
    page: &str,
    shots: &Shots,
    failures: &mut Vec<String>,
) -> Res {
    b.goto(&format!("{origin}/{page}")).await?;
    if b.title().await?.trim().is_empty() {
        failures.push(format!("{page}: empty document title"));
    }
    if b.find_all(Locator::Css("main h1, #mdbook-content h1"))
        .await?
        .is_empty()
    {
        failures.push(format!("{page}: no h1 in main / #mdbook-content"));
    }
    check_console(b, page, failures).await?;
    check_local(b, origin, page, failures).await?;
    shots.save(b, &format!("page-{}", stem(page)), None).await?;
    // Figures: each one loaded, and a picture of the first.
    let unloaded: Vec<String> = serde_json::from_value(
        js(
            b,
            "return Array.from(document.querySelectorAll('main img')) \
               .filter((i) => !(i.complete && i.naturalWidth > 0)).map((i) => i.src);",
        )
        .await?,
    )?;
    for src in unloaded {
        failures.push(format!("{page}: image {src} did not load"));
    }
    if !b.find_all(Locator::Css("main img")).await?.is_empty() {
        let name = format!("figure-{}", stem(page));
        shots.save(b, &name, Some("main img")).await?;
    }
    Ok(())
}

/// (c): the search box finds "LoopBot".
async fn check_search(
    b: &Client,
    origin: &str,
    page: &str,
    shots: &Shots,
    failures: &mut Vec<String>,
) -> Res {
    b.goto(&format!("{origin}/{page}")).await?;
    b.find(Locator::Css("#mdbook-search-toggle"))
        .await?
        .click()
        .await?;
    // The index script loads on first open; typing before it is there is lost.
    let ready = "return !!document.getElementById('mdbook-search-index') && \
        !document.getElementById('mdbook-searchbar-outer').classList.contains('searching');";
    if !wait_until(b, ready, Duration::from_secs(10)).await? {
        failures.push(format!("{page}: the search index did not load within 10 s"));
        return Ok(());
    }
    b.find(Locator::Css("#mdbook-searchbar"))
        .await?
        .send_keys("LoopBot")
        .await?;
    let found = "return document.querySelectorAll('#mdbook-searchresults li').length > 0;";
    if wait_until(b, found, Duration::from_secs(5)).await? {
        let first = b
            .find(Locator::Css("#mdbook-searchresults li"))
            .await?
            .text()
            .await?;
        eprintln!("search \"LoopBot\": first result: {}", first.trim());
    } else {
        failures.push("search for \"LoopBot\" gave no result in #mdbook-searchresults".into());
    }
    check_console(b, "search", failures).await?;
    check_local(b, origin, "search", failures).await?;
    shots.save(b, "search", None).await
}

/// (d): every group shows one block; a click switches all groups and sticks across reloads and
/// pages; the arrow keys move between tabs without turning the page.
async fn check_tabs(
    b: &Client,
    origin: &str,
    tab_pages: &[&String],
    pages: &[String],
    shots: &Shots,
    failures: &mut Vec<String>,
) -> Res {
    let first = tab_pages[0].as_str();
    eprintln!("pages with runtime tabs: {tab_pages:?}");
    b.goto(&format!("{origin}/{first}")).await?;
    expect_tabs(b, first, "tokio", "on first load", failures).await?;
    shots
        .tabs(b, &format!("tabs-{}-1-default", stem(first)))
        .await?;

    let async_std = ".runtime-tabs [role=tab][data-runtime=async-std]";
    match b.find_all(Locator::Css(async_std)).await?.first() {
        Some(tab) => tab.click().await?,
        None => {
            failures.push(format!("{first}: no async-std tab to click"));
            return Ok(());
        }
    }
    expect_tabs(b, first, "async-std", "after clicking async-std", failures).await?;
    shots
        .tabs(b, &format!("tabs-{}-2-async-std", stem(first)))
        .await?;

    b.refresh().await?;
    expect_tabs(b, first, "async-std", "after a reload", failures).await?;
    shots
        .tabs(b, &format!("tabs-{}-3-reloaded", stem(first)))
        .await?;

    // Another page with tabs, or, if there is only one, a trip away and back.
    let other = match tab_pages.get(1) {
        Some(page) => page.as_str(),
        None => {
            let away = pages.iter().find(|p| p.as_str() != first);
            b.goto(&format!("{origin}/{}", away.unwrap_or(&pages[0])))
                .await?;
            first
        }
    };
    b.goto(&format!("{origin}/{other}")).await?;
    expect_tabs(b, other, "async-std", "after navigating to it", failures).await?;
    shots
        .tabs(b, &format!("tabs-{}-4-navigated", stem(other)))
        .await?;

    // Keyboard: ArrowRight on the selected tab selects the next one and stays on the page.
    let tab = b
        .find(Locator::Css(".runtime-tabs [role=tab][aria-selected=true]"))
        .await?;
    let next = js(
        b,
        "const t = document.querySelector('.runtime-tabs [role=tab][aria-selected=true]'); \
         const n = t.nextElementSibling || t.parentElement.firstElementChild; \
         return n.dataset.runtime;",
    )
    .await?;
    let url = b.current_url().await?;
    tab.send_keys(&Key::Right).await?;
    if b.current_url().await? != url {
        failures.push(format!("{other}: ArrowRight on a tab turned the page"));
        b.goto(&format!("{origin}/{other}")).await?;
    }
    let next = next.as_str().unwrap_or("?");
    expect_tabs(b, other, next, "after ArrowRight", failures).await?;
    shots
        .tabs(b, &format!("tabs-{}-5-arrow-right", stem(other)))
        .await?;

    // How the tabs look in each of mdBook's themes.
    for theme in THEMES {
        js(
            b,
            &format!("localStorage.setItem('mdbook-theme', '{theme}');"),
        )
        .await?;
        b.refresh().await?;
        shots.tabs(b, &format!("theme-{theme}")).await?;
        check_console(b, &format!("{other} ({theme} theme)"), failures).await?;
    }
    Ok(())
}

#[derive(Debug, Deserialize)]
struct Group {
    tabs: Vec<String>,
    selected: Vec<String>,
    visible: Vec<String>,
}

#[derive(Debug, Deserialize)]
struct TabState {
    groups: Vec<Group>,
    /// Runtime blocks left outside any tab group.
    loose: usize,
    stored: Option<String>,
}

/// Every group on the page shows `runtime` (or its first block if it has none) and only that.
async fn expect_tabs(
    b: &Client,
    page: &str,
    runtime: &str,
    when: &str,
    failures: &mut Vec<String>,
) -> Res {
    let state: TabState = serde_json::from_value(js(b, TAB_STATE_JS).await?)?;
    let at = format!("{page} {when}");
    if state.groups.is_empty() {
        failures.push(format!("{at}: no .runtime-tabs group on the page"));
    }
    if state.loose > 0 {
        failures.push(format!(
            "{at}: {} runtime block(s) outside any tab group",
            state.loose
        ));
    }
    for (i, g) in state.groups.iter().enumerate() {
        let want = match g.tabs.iter().find(|t| t.as_str() == runtime) {
            Some(t) => t.clone(),
            None => g.tabs.first().cloned().unwrap_or_default(),
        };
        let order: Vec<&str> = RUNTIMES
            .iter()
            .copied()
            .filter(|r| g.tabs.contains(&r.to_string()))
            .collect();
        if g.tabs != order {
            failures.push(format!(
                "{at}: group {i} has tabs {:?}, want order {order:?}",
                g.tabs
            ));
        }
        if g.visible != [want.clone()] {
            failures.push(format!(
                "{at}: group {i} shows {:?}, want exactly [{want}]",
                g.visible
            ));
        }
        if g.selected != [want.clone()] {
            failures.push(format!(
                "{at}: group {i} selects {:?}, want [{want}]",
                g.selected
            ));
        }
    }
    if runtime != "tokio" && state.stored.as_deref() != Some(runtime) {
        failures.push(format!(
            "{at}: localStorage loopbot.runtime is {:?}",
            state.stored
        ));
    }
    Ok(())
}

const TAB_STATE_JS: &str = "
    const runtimeOf = (pre) => ['tokio', 'async-std', 'smol']
        .find((r) => pre.querySelector(':scope > code').classList.contains(r));
    const groups = Array.from(document.querySelectorAll('.runtime-tabs')).map((g) => ({
        tabs: Array.from(g.querySelectorAll('[role=tab]')).map((t) => t.dataset.runtime),
        selected: Array.from(g.querySelectorAll('[role=tab][aria-selected=true]'))
            .map((t) => t.dataset.runtime),
        visible: Array.from(g.querySelectorAll(':scope > pre'))
            .filter((p) => p.getClientRects().length > 0).map(runtimeOf),
    }));
    const loose = Array.from(document.querySelectorAll('pre > code'))
        .filter((c) => ['tokio', 'async-std', 'smol'].some((r) => c.classList.contains(r)))
        .filter((c) => !c.closest('.runtime-tabs')).length;
    return { groups, loose, stored: localStorage.getItem('loopbot.runtime') };";

/// No SEVERE browser console message since the last look (warnings are only shown).
async fn check_console(b: &Client, page: &str, failures: &mut Vec<String>) -> Res {
    #[derive(Deserialize)]
    struct Entry {
        level: String,
        message: String,
    }
    let entries: Vec<Entry> = serde_json::from_value(b.issue_cmd(BrowserLog).await?)?;
    for Entry { level, message } in entries {
        match level.as_str() {
            "SEVERE" => failures.push(format!("{page}: console SEVERE: {message}")),
            "WARNING" => eprintln!("{page}: console WARNING: {message}"),
            _ => {}
        }
    }
    Ok(())
}

/// chromedriver's console log (`POST /session/{id}/se/log`), which W3C WebDriver does not
/// have and so fantoccini does not either. Reading it empties it.
#[derive(Debug)]
struct BrowserLog;

impl WebDriverCompatibleCommand for BrowserLog {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!("session/{}/se/log", session.unwrap_or_default()))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"type": "browser"}).to_string();
        (http::Method::POST, Some(body))
    }
}

/// Everything the page loaded came from `origin`.
async fn check_local(b: &Client, origin: &str, page: &str, failures: &mut Vec<String>) -> Res {
    let names: Vec<String> = serde_json::from_value(
        js(
            b,
            "return performance.getEntriesByType('navigation') \
               .concat(performance.getEntriesByType('resource')).map((e) => e.name);",
        )
        .await?,
    )?;
    let prefix = format!("{origin}/");
    for name in names.iter().filter(|n| !n.starts_with(&prefix)) {
        failures.push(format!("{page}: fetched {name}, which is not on {origin}"));
    }
    Ok(())
}

/// A quiz, answered as a reader would: the first question right, the second wrong, the rest
/// right. The review must count one wrong answer, mark the first answer correct and the second
/// incorrect, and, asked for the correct answers, show the second question's key.
async fn check_quiz(b: &Client, origin: &str, shots: &Shots, failures: &mut Vec<String>) -> Res {
    let src = loopbot_book_tests::book_src();
    let questions = loopbot_book_tests::quiz::questions(&src).map_err(|e| e.to_string())?;
    // The first quiz with two questions or more, and the page that shows it.
    let Some(file) = questions
        .iter()
        .map(|q| q.file.clone())
        .find(|f| questions.iter().filter(|q| &q.file == f).count() >= 2)
    else {
        failures.push("no quiz with two questions to answer".into());
        return Ok(());
    };
    let quiz: Vec<_> = questions.iter().filter(|q| q.file == file).collect();
    let include = format!(
        "{{{{#quiz quizzes/{}}}}}",
        file.file_name().unwrap().to_string_lossy()
    );
    let Some(page) = loopbot_book_tests::pages()
        .into_iter()
        .find(|p| fs::read_to_string(p).unwrap_or_default().contains(&include))
    else {
        failures.push(format!("no page shows {}", file.display()));
        return Ok(());
    };
    let page = page.strip_prefix(&src)?.with_extension("html");
    let page = page.to_string_lossy();
    b.goto(&format!("{origin}/{page}")).await?;
    let started = "const s = document.querySelector('.mdbook-quiz button.start'); \
                   if (!s) return false; s.scrollIntoView(); s.click(); return true;";
    if !wait_until(b, started, Duration::from_secs(10)).await? {
        failures.push(format!("{page}: the quiz has no Start button"));
        return Ok(());
    }
    for (n, question) in quiz.iter().enumerate() {
        let pick = if n == 1 {
            &question.distractors[0]
        } else {
            &question.answer
        };
        let answer = format!(
            "const form = document.querySelector('.mdbook-quiz form.response'); \
             if (!form) return false; \
             const choice = Array.from(form.querySelectorAll('input[type=radio]')) \
                 .find((i) => i.value === {}); \
             if (!choice) return false; \
             choice.click(); form.querySelector('input[type=submit]').click(); return true;",
            json!(pick)
        );
        if !wait_until(b, &answer, Duration::from_secs(10)).await? {
            failures.push(format!("{page}: question {} could not be answered", n + 1));
            return Ok(());
        }
        // The next question replaces this one; wait until its form has the next prompt.
        sleep(Duration::from_millis(200)).await;
    }
    let review = "return Array.from(document.querySelectorAll('.mdbook-quiz .answer-wrapper'))\
                      .map((w) => { const a = w.querySelector('.md-flex'); \
                          return a ? (a.classList.contains('correct') ? 'correct' : 'incorrect') : '?'; });";
    let reviewed = format!(
        "return document.querySelectorAll('.mdbook-quiz .answer-wrapper').length === {};",
        quiz.len()
    );
    if !wait_until(b, &reviewed, Duration::from_secs(10)).await? {
        failures.push(format!("{page}: no answer review after the last question"));
        return Ok(());
    }
    let marks: Vec<String> = serde_json::from_value(js(b, review).await?)?;
    let mut expected = vec!["correct".to_string(); quiz.len()];
    expected[1] = "incorrect".into();
    if marks != expected {
        failures.push(format!(
            "{page}: the quiz marked the answers {marks:?}, not {expected:?}"
        ));
    }
    let count = js(
        b,
        "return document.querySelector('.mdbook-quiz strong').innerText;",
    )
    .await?;
    let wanted = format!("{}/{}", quiz.len() - 1, quiz.len());
    if count != json!(wanted) {
        failures.push(format!("{page}: the quiz counted {count}, not {wanted}"));
    }
    shots.save(b, "quiz-review", Some(".mdbook-quiz")).await?;
    let give_up = "const b = Array.from(document.querySelectorAll('.mdbook-quiz button')) \
                       .find((b) => b.innerText.includes('see the correct answers')); \
                   if (!b) return false; b.click(); return true;";
    if !wait_until(b, give_up, Duration::from_secs(10)).await? {
        failures.push(format!("{page}: no way to see the correct answers"));
        return Ok(());
    }
    let key = loopbot_book_tests::quiz::first_code(&quiz[1].answer)
        .unwrap_or_else(|| quiz[1].answer.replace('`', ""));
    let key = key.split_whitespace().collect::<Vec<_>>().join(" ");
    let shown = format!(
        "const w = document.querySelectorAll('.mdbook-quiz .answer-wrapper')[1]; \
         if (!w || !w.innerText.includes('The correct answer is')) return false; \
         const c = w.querySelector('.md-flex.correct'); \
         return !!c && c.innerText.split(/\\s+/).join(' ').includes({}) \
             && !!w.querySelector('.context');",
        json!(key)
    );
    if !wait_until(b, &shown, Duration::from_secs(10)).await? {
        failures.push(format!(
            "{page}: after giving up, question 2 does not show its key ({key}) and why"
        ));
    }
    shots.save(b, "quiz-answers", Some(".mdbook-quiz")).await?;
    check_console(b, &page, failures).await?;
    check_local(b, origin, &page, failures).await
}

/// The first exercise's solution: folded away (a `<details>` whose summary is "Solution"), its
/// code hidden, until the reader clicks the summary; then the code shows, and it is Rust.
async fn check_solution(
    b: &Client,
    origin: &str,
    site: &Path,
    pages: &[String],
    shots: &Shots,
    failures: &mut Vec<String>,
) -> Res {
    let Some(page) = pages.iter().find(|p| {
        fs::read_to_string(site.join(p))
            .is_ok_and(|html| html.contains("<summary>Solution</summary>"))
    }) else {
        failures.push("no page has an exercise solution to reveal".into());
        return Ok(());
    };
    b.goto(&format!("{origin}/{page}")).await?;
    let state = "const d = Array.from(document.querySelectorAll('main details')) \
                     .find((d) => d.querySelector('summary').innerText.trim() === 'Solution'); \
                 const code = d.querySelector('pre code'); \
                 return { open: d.open, visible: code.checkVisibility(), \
                          rust: code.classList.contains('language-rust'), text: code.innerText };";
    #[derive(Deserialize)]
    struct Solution {
        open: bool,
        /// Chromium lays out a closed `<details>`' content but does not render it; this
        /// asks whether it is rendered.
        visible: bool,
        rust: bool,
        text: String,
    }
    let before: Solution = serde_json::from_value(js(b, state).await?)?;
    if before.open || before.visible {
        failures.push(format!(
            "{page}: the first solution shows before it is asked for (open: {}, visible: {})",
            before.open, before.visible
        ));
    }
    let summary = "//main//details/summary[normalize-space()='Solution']";
    let summary = b.find(Locator::XPath(summary)).await?;
    summary.click().await?;
    let after: Solution = serde_json::from_value(js(b, state).await?)?;
    if !(after.open && after.visible && after.rust && after.text.contains("fn ")) {
        failures.push(format!(
            "{page}: the first solution, once opened, does not show Rust code (open: {}, \
             visible: {}, rust: {})",
            after.open, after.visible, after.rust
        ));
    }
    shots.save(b, "solution", Some("main details")).await
}

/// Runs `script` (a function body) in the page and returns its result.
async fn js(b: &Client, script: &str) -> Res<Value> {
    Ok(b.execute(script, vec![]).await?)
}

/// Whether `script` returned true within `limit`.
async fn wait_until(b: &Client, script: &str, limit: Duration) -> Res<bool> {
    let deadline = Instant::now() + limit;
    while js(b, script).await? != true {
        if Instant::now() > deadline {
            return Ok(false);
        }
        sleep(Duration::from_millis(100)).await;
    }
    Ok(true)
}

// ---------------------------------------------------------------------------------------------
// Tools, the book, and the static file server

fn home() -> PathBuf {
    PathBuf::from(env::var_os("HOME").unwrap_or_default())
}

/// `name` on PATH, else the first existing fallback.
fn find_program(name: &str, fallbacks: &[PathBuf]) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .chain(fallbacks.iter().cloned())
        .find(|p| p.is_file())
}

/// The programs if all were found; else `None` after saying what is missing (a failure under
/// `LOOPBOT_REQUIRE_BROWSER=1`).
fn require(skipping: &str, tools: &[(&str, Option<PathBuf>)]) -> Option<Vec<PathBuf>> {
    let missing: Vec<&str> = tools
        .iter()
        .filter(|(_, found)| found.is_none())
        .map(|(name, _)| *name)
        .collect();
    if missing.is_empty() {
        return tools.iter().map(|(_, found)| found.clone()).collect();
    }
    let missing = missing.join(", ");
    if env::var("LOOPBOT_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("LOOPBOT_REQUIRE_BROWSER=1 but not found: {missing}");
    }
    // Straight to stderr, past the test harness's capture, so a skip is never silent.
    let _ = writeln!(io::stderr(), "skipping {skipping}: {missing} not found");
    None
}

/// `mdbook build --dest-dir dest root` with `tools` = [mdbook, mdbook-quiz], which must succeed
/// within BUILD_LIMIT with no WARN or ERROR line. Its output goes to `log`, read once it is done.
fn build_book(tools: &[PathBuf], root: &Path, dest: &Path, log: &Path) {
    let out = fs::File::create(log).expect("mdbook log");
    let quiz_dir = tools[1].parent().expect("mdbook-quiz is in a folder");
    let path = env::join_paths(
        std::iter::once(quiz_dir.to_path_buf())
            .chain(env::split_paths(&env::var_os("PATH").unwrap_or_default())),
    )
    .expect("a PATH");
    let mut child = Command::new(&tools[0])
        .env("PATH", path)
        .arg("build")
        .arg("--dest-dir")
        .arg(dest)
        .arg(root)
        .stdout(out.try_clone().expect("mdbook log"))
        .stderr(out)
        .spawn()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", tools[0].display()));
    let status = wait_or_kill(&mut child, BUILD_LIMIT, "mdbook build");
    let log = fs::read_to_string(log).unwrap_or_default();
    eprintln!("{}", log.trim_end());
    assert!(status.success(), "mdbook build failed ({status}):\n{log}");
    let noisy: Vec<&str> = log
        .lines()
        .filter(|l| l.contains("WARN") || l.contains("ERROR"))
        .collect();
    assert!(
        noisy.is_empty(),
        "mdbook build must be silent, but said:\n{}",
        noisy.join("\n")
    );
}

fn wait_or_kill(child: &mut Child, limit: Duration, what: &str) -> std::process::ExitStatus {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("wait") {
            return status;
        }
        if Instant::now() > deadline {
            let _ = child.kill();
            let _ = child.wait();
            panic!("{what} not done within {limit:?}");
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// The HTML path of every chapter with a page in SUMMARY.md (draft entries `[x]()` have none).
fn summary_pages(root: &Path) -> Vec<String> {
    let mut pages = Vec::new();
    for entry in loopbot_book_tests::summary_at(&root.join("src")) {
        let target = entry.target.split('#').next().unwrap_or("");
        let Some(md) = target.trim().strip_suffix(".md") else {
            continue;
        };
        // mdBook renders a README.md as the index.html of its folder.
        let html = match md.strip_suffix("README") {
            Some(dir) if dir.is_empty() || dir.ends_with('/') => format!("{dir}index.html"),
            _ => format!("{md}.html"),
        };
        if !pages.contains(&html) {
            pages.push(html);
        }
    }
    pages
}

/// Whether the built page has a code block marked for a runtime (```rust,tokio and so on).
fn has_tabs(html_file: &Path) -> bool {
    let html = fs::read_to_string(html_file).unwrap_or_default();
    html.split("<code class=\"").skip(1).any(|rest| {
        let classes = rest.split('"').next().unwrap_or("");
        classes.split_whitespace().any(|c| RUNTIMES.contains(&c))
    })
}

fn stem(page: &str) -> String {
    page.trim_end_matches(".html").replace('/', "-")
}

/// Serves `root` on 127.0.0.1 with tower-http's ServeDir over HTTP/1; returns the origin. The
/// server runs on the test's runtime and stops with it.
async fn serve(root: PathBuf) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1:0");
    let origin = format!("http://{}", listener.local_addr().expect("local address"));
    let files = TowerToHyperService::new(ServeDir::new(root));
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let connection = hyper::server::conn::http1::Builder::new()
                .serve_connection(TokioIo::new(stream), files.clone());
            tokio::spawn(connection);
        }
    });
    origin
}

// ---------------------------------------------------------------------------------------------
// Scratch space, screenshots, chromedriver and the WebDriver session

/// A fresh folder under cargo's target/tmp for the built book and the browser profile.
struct Scratch(PathBuf);

impl Scratch {
    fn new() -> Self {
        let dir =
            Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("browser-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create scratch folder");
        Scratch(dir)
    }
}

impl Drop for Scratch {
    /// Kept after a failure, for the built book, mdbook.log and chromedriver.log.
    fn drop(&mut self) {
        if thread::panicking() {
            let _ = writeln!(io::stderr(), "browser test: kept {}", self.0.display());
        } else {
            let _ = fs::remove_dir_all(&self.0);
        }
    }
}

/// `target/browser-screenshots/`, emptied at the start of each run.
struct Shots {
    dir: PathBuf,
}

impl Shots {
    fn new() -> Self {
        let target = Path::new(env!("CARGO_TARGET_TMPDIR"))
            .parent()
            .expect("target folder");
        let dir = target.join("browser-screenshots");
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).expect("create screenshot folder");
        Shots { dir }
    }

    /// The viewport, with the first tab group scrolled to just below the menu bar.
    async fn tabs(&self, b: &Client, name: &str) -> Res {
        self.save(b, name, Some(".runtime-tabs")).await
    }

    /// The viewport, after scrolling `focus` (a CSS selector) to just below the menu bar.
    async fn save(&self, b: &Client, name: &str, focus: Option<&str>) -> Res {
        if let Some(css) = focus {
            let scroll = format!(
                "const e = document.querySelector('{css}'); \
                 if (e) window.scrollBy(0, e.getBoundingClientRect().top - 80);"
            );
            js(b, &scroll).await?;
        }
        let path = self.dir.join(format!("{name}.png"));
        fs::write(&path, b.screenshot().await?)?;
        eprintln!("screenshot: {}", path.display());
        Ok(())
    }
}

/// A running chromedriver, on 127.0.0.1 only (its default), killed on drop.
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    fn start(program: &Path, scratch: &Path) -> Self {
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free port")
            .port();
        let log = fs::File::create(scratch.join("chromedriver.log")).expect("chromedriver log");
        let child = Command::new(program)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(log)
            .spawn()
            .unwrap_or_else(|e| panic!("could not start {}: {e}", program.display()));
        let mut driver = Chromedriver { child, port };
        let address = SocketAddr::from(([127, 0, 0, 1], port));
        let deadline = Instant::now() + Duration::from_secs(20);
        while TcpStream::connect_timeout(&address, Duration::from_secs(1)).is_err() {
            if let Ok(Some(exit)) = driver.child.try_wait() {
                panic!("chromedriver exited at start ({exit})");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not listening after 20 s"
            );
            thread::sleep(Duration::from_millis(100));
        }
        driver
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A WebDriver session with headless Chromium and a fresh profile, over plain HTTP.
async fn connect(port: u16, chromium: &Path, profile: &Path) -> Client {
    let args = [
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--disable-quic",
        "--no-proxy-server",
        "--window-size=1280,900",
    ]
    .map(String::from)
    .into_iter()
    .chain([format!("--user-data-dir={}", profile.display())])
    .collect::<Vec<_>>();
    let caps = json!({
        "browserName": "chrome",
        "goog:chromeOptions": {"binary": chromium, "args": args},
        "goog:loggingPrefs": {"browser": "ALL"},
        "timeouts": {"pageLoad": 30_000, "script": 10_000},
    });
    let Value::Object(caps) = caps else {
        unreachable!()
    };
    let mut builder = ClientBuilder::new(HttpConnector::new());
    let url = format!("http://127.0.0.1:{port}");
    match timeout(
        Duration::from_secs(60),
        builder.capabilities(caps).connect(&url),
    )
    .await
    {
        Ok(Ok(client)) => client,
        Ok(Err(e)) => panic!("no WebDriver session: {e}"),
        Err(_) => panic!("no WebDriver session within 60 s"),
    }
}
