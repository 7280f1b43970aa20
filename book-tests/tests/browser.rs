//! # The rendered book, in a real browser
//!
//! Builds the book with mdBook, serves the output on 127.0.0.1 with a tiny static file server,
//! and drives headless Chromium through chromedriver (W3C WebDriver, plain JSON over HTTP) to
//! prove that:
//!
//! - `mdbook build` succeeds and prints no `WARN` or `ERROR` line;
//! - every chapter linked from `src/SUMMARY.md` loads, has a title and an `h1`, and logs no
//!   SEVERE console message (script errors, failed loads);
//! - no page fetches anything from anywhere but the local server: no CDN, no web fonts, no
//!   playground;
//! - the search finds "LoopBot";
//! - the runtime tabs (`theme/runtime-tabs.js`) show one block per group, switch every group at
//!   once, follow the arrow keys, and remember the choice across reloads and pages.
//!
//! Screenshots of every page, of the tab states and of the tabs in each mdBook theme are saved
//! in `target/browser-screenshots/` for a human to look at.
//!
//! Run it with `cargo test --test browser -- --nocapture`.
//!
//! It needs `mdbook`, `chromium` and `chromedriver`. Without them it prints
//! `skipping browser test: ...` and passes, unless `LOOPBOT_REQUIRE_BROWSER=1` (CI sets it),
//! which turns a missing tool into a failure. `LOOPBOT_BOOK_ROOT=/path` tests another book
//! (default: the folder above book-tests/), e.g. a scratch copy while a chapter is being written.

use std::env;
use std::fs;
use std::io::{self, BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Value, json};

const RUNTIMES: [&str; 3] = ["tokio", "async-std", "smol"];
const THEMES: [&str; 5] = ["light", "rust", "coal", "navy", "ayu"];
const ELEMENT_KEY: &str = "element-6066-11e4-a52e-4f735466cecf";
const ARROW_RIGHT: &str = "\u{E014}";

#[test]
fn rendered_book_in_chromium() {
    let Some(tools) = find_tools() else { return };
    // The book's folder is one up from book-tests/, unless LOOPBOT_BOOK_ROOT names another.
    let root = env::var_os("LOOPBOT_BOOK_ROOT").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join(".."),
        PathBuf::from,
    );
    let scratch = Scratch::new();
    let shots = Shots::new();

    let site = scratch.0.join("book");
    build_book(&tools.mdbook, &root, &site);
    let pages = summary_pages(&root);
    assert!(
        !pages.is_empty(),
        "{}: no chapter links",
        root.join("src/SUMMARY.md").display()
    );
    let tab_pages: Vec<&String> = pages.iter().filter(|p| has_tabs(&site.join(p))).collect();

    let origin = format!("http://127.0.0.1:{}", serve(site.clone()));
    eprintln!("serving {} at {origin}", site.display());
    // Declared in this order so the session is deleted before chromedriver is killed.
    let driver = Chromedriver::start(&tools.chromedriver, &scratch.0);
    let browser = Session::new(driver.port, &tools.chromium, &scratch.0.join("profile"));

    let mut failures = Vec::new();
    for page in &pages {
        check_page(&browser, &origin, page, &shots, &mut failures);
    }
    check_search(&browser, &origin, &pages[0], &shots, &mut failures);
    if tab_pages.is_empty() {
        failures.push("no page of the book has a runtime tab group (```rust,tokio etc.)".into());
    } else {
        check_tabs(&browser, &origin, &tab_pages, &pages, &shots, &mut failures);
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

// ---------------------------------------------------------------------------------------------
// The checks

/// (a) and (b): the page loads, has a title and an h1, logs nothing SEVERE, fetches nothing
/// from elsewhere.
fn check_page(b: &Session, origin: &str, page: &str, shots: &Shots, failures: &mut Vec<String>) {
    b.goto(&format!("{origin}/{page}"));
    let title = b.run("return document.title;");
    if title.as_str().is_none_or(|t| t.trim().is_empty()) {
        failures.push(format!("{page}: empty document title"));
    }
    if !b.truthy("return !!document.querySelector('main h1, #mdbook-content h1');") {
        failures.push(format!("{page}: no h1 in main / #mdbook-content"));
    }
    check_console(b, page, failures);
    check_local(b, origin, page, failures);
    shots.save(b, &format!("page-{}", stem(page)), None);
}

/// (c): the search box finds "LoopBot".
fn check_search(b: &Session, origin: &str, page: &str, shots: &Shots, failures: &mut Vec<String>) {
    b.goto(&format!("{origin}/{page}"));
    b.click(&b.find("#mdbook-search-toggle"));
    // The index script loads on first open; typing before it is there is lost.
    let ready = "return !!document.getElementById('mdbook-search-index') && \
        !document.getElementById('mdbook-searchbar-outer').classList.contains('searching');";
    if !b.wait_until(ready, Duration::from_secs(10)) {
        failures.push(format!("{page}: the search index did not load within 10 s"));
        return;
    }
    b.send_keys(&b.find("#mdbook-searchbar"), "LoopBot");
    let found = "return document.querySelectorAll('#mdbook-searchresults li').length > 0;";
    if b.wait_until(found, Duration::from_secs(5)) {
        let first = b.run("return document.querySelector('#mdbook-searchresults li').innerText;");
        eprintln!(
            "search \"LoopBot\": first result: {}",
            first.as_str().unwrap_or("?").trim()
        );
    } else {
        failures.push("search for \"LoopBot\" gave no result in #mdbook-searchresults".into());
    }
    check_console(b, "search", failures);
    check_local(b, origin, "search", failures);
    shots.save(b, "search", None);
}

/// (d): every group shows one block; a click switches all groups and sticks across reloads and
/// pages; the arrow keys move between tabs without turning the page.
fn check_tabs(
    b: &Session,
    origin: &str,
    tab_pages: &[&String],
    pages: &[String],
    shots: &Shots,
    failures: &mut Vec<String>,
) {
    let first = tab_pages[0].as_str();
    eprintln!("pages with runtime tabs: {tab_pages:?}");
    b.goto(&format!("{origin}/{first}"));
    expect_tabs(b, first, "tokio", "on first load", failures);
    shots.tabs(b, &format!("tabs-{}-1-default", stem(first)));

    match b.try_find(".runtime-tabs [role=tab][data-runtime=async-std]") {
        Some(tab) => b.click(&tab),
        None => {
            failures.push(format!("{first}: no async-std tab to click"));
            return;
        }
    }
    expect_tabs(b, first, "async-std", "after clicking async-std", failures);
    shots.tabs(b, &format!("tabs-{}-2-async-std", stem(first)));

    b.refresh();
    expect_tabs(b, first, "async-std", "after a reload", failures);
    shots.tabs(b, &format!("tabs-{}-3-reloaded", stem(first)));

    // Another page with tabs, or, if there is only one, a trip away and back.
    let other = match tab_pages.get(1) {
        Some(page) => page.as_str(),
        None => {
            let away = pages
                .iter()
                .find(|p| p.as_str() != first)
                .unwrap_or(&pages[0]);
            b.goto(&format!("{origin}/{away}"));
            first
        }
    };
    b.goto(&format!("{origin}/{other}"));
    expect_tabs(b, other, "async-std", "after navigating to it", failures);
    shots.tabs(b, &format!("tabs-{}-4-navigated", stem(other)));

    // Keyboard: ArrowRight on the selected tab selects the next one and stays on the page.
    let tab = b.find(".runtime-tabs [role=tab][aria-selected=true]");
    let next = b.run(
        "const t = document.querySelector('.runtime-tabs [role=tab][aria-selected=true]'); \
         const n = t.nextElementSibling || t.parentElement.firstElementChild; \
         return n.dataset.runtime;",
    );
    let url = b.run("return location.href;");
    b.send_keys(&tab, ARROW_RIGHT);
    if b.run("return location.href;") != url {
        failures.push(format!("{other}: ArrowRight on a tab turned the page"));
        b.goto(&format!("{origin}/{other}"));
    }
    expect_tabs(
        b,
        other,
        next.as_str().unwrap_or("?"),
        "after ArrowRight",
        failures,
    );
    shots.tabs(b, &format!("tabs-{}-5-arrow-right", stem(other)));

    // How the tabs look in each of mdBook's themes.
    for theme in THEMES {
        b.run(&format!("localStorage.setItem('mdbook-theme', '{theme}');"));
        b.refresh();
        shots.tabs(b, &format!("theme-{theme}"));
        check_console(b, &format!("{other} ({theme} theme)"), failures);
    }
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
fn expect_tabs(b: &Session, page: &str, runtime: &str, when: &str, failures: &mut Vec<String>) {
    let state: TabState = serde_json::from_value(b.run(TAB_STATE_JS)).expect("tab state");
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
fn check_console(b: &Session, page: &str, failures: &mut Vec<String>) {
    for (level, message) in b.console() {
        match level.as_str() {
            "SEVERE" => failures.push(format!("{page}: console SEVERE: {message}")),
            "WARNING" => eprintln!("{page}: console WARNING: {message}"),
            _ => {}
        }
    }
}

/// Everything the page loaded came from `origin`.
fn check_local(b: &Session, origin: &str, page: &str, failures: &mut Vec<String>) {
    let names = b.run(
        "return performance.getEntriesByType('navigation') \
           .concat(performance.getEntriesByType('resource')).map((e) => e.name);",
    );
    let prefix = format!("{origin}/");
    for name in names
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
    {
        if !name.starts_with(&prefix) {
            failures.push(format!("{page}: fetched {name}, which is not on {origin}"));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tools, the book, and the static file server

struct Tools {
    mdbook: PathBuf,
    chromium: PathBuf,
    chromedriver: PathBuf,
}

/// The three programs, or `None` after saying what is missing (a failure under
/// `LOOPBOT_REQUIRE_BROWSER=1`).
fn find_tools() -> Option<Tools> {
    let home = PathBuf::from(env::var_os("HOME").unwrap_or_default());
    let mdbook = find_program("mdbook", &[home.join(".cargo/bin/mdbook")]);
    // Debian's chromium first; Google Chrome where a machine has that instead (GitHub's runners).
    let chromium = find_program(
        "chromium",
        &[
            PathBuf::from("/usr/bin/chromium"),
            PathBuf::from("/usr/bin/google-chrome"),
        ],
    );
    let chromedriver = find_program("chromedriver", &[PathBuf::from("/usr/bin/chromedriver")]);
    let missing: Vec<&str> = [
        ("mdbook", &mdbook),
        ("chromium", &chromium),
        ("chromedriver", &chromedriver),
    ]
    .into_iter()
    .filter(|(_, found)| found.is_none())
    .map(|(name, _)| name)
    .collect();
    if missing.is_empty() {
        return Some(Tools {
            mdbook: mdbook?,
            chromium: chromium?,
            chromedriver: chromedriver?,
        });
    }
    let missing = missing.join(", ");
    if env::var("LOOPBOT_REQUIRE_BROWSER").as_deref() == Ok("1") {
        panic!("LOOPBOT_REQUIRE_BROWSER=1 but not found: {missing}");
    }
    // Straight to stderr, past the test harness's capture, so a skip is never silent.
    let _ = writeln!(io::stderr(), "skipping browser test: {missing} not found");
    None
}

/// `name` on PATH, else the first existing fallback.
fn find_program(name: &str, fallbacks: &[PathBuf]) -> Option<PathBuf> {
    let path = env::var_os("PATH").unwrap_or_default();
    env::split_paths(&path)
        .map(|dir| dir.join(name))
        .chain(fallbacks.iter().cloned())
        .find(|p| p.is_file())
}

/// `mdbook build --dest-dir dest root`, which must succeed with no WARN or ERROR line.
fn build_book(mdbook: &Path, root: &Path, dest: &Path) {
    let out = Command::new(mdbook)
        .arg("build")
        .arg("--dest-dir")
        .arg(dest)
        .arg(root)
        .output()
        .unwrap_or_else(|e| panic!("could not run {}: {e}", mdbook.display()));
    let log = String::from_utf8_lossy(&out.stdout) + String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "mdbook build failed ({}):\n{log}",
        out.status
    );
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

/// Serves `root` on 127.0.0.1 (GET only, one thread per connection); returns the port.
fn serve(root: PathBuf) -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
    let port = listener.local_addr().expect("local address").port();
    thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            thread::spawn(move || respond(stream, &root));
        }
    });
    port
}

fn respond(mut stream: TcpStream, root: &Path) -> io::Result<()> {
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let mut reader = BufReader::new(stream.try_clone()?);
    let mut request = String::new();
    reader.read_line(&mut request)?;
    let mut header = String::new();
    while reader.read_line(&mut header)? > 2 {
        header.clear();
    }
    let mut words = request.split_whitespace();
    let (method, target) = (words.next().unwrap_or(""), words.next().unwrap_or("/"));
    let (status, kind, body) = match (method, file_for(root, target)) {
        ("GET", Some((kind, body))) => ("200 OK", kind, body),
        ("GET", None) => ("404 Not Found", "text/plain", b"not found".to_vec()),
        _ => ("405 Method Not Allowed", "text/plain", b"GET only".to_vec()),
    };
    write!(
        stream,
        "HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {}\r\n\
         Cache-Control: no-store\r\nConnection: close\r\n\r\n",
        body.len()
    )?;
    stream.write_all(&body)?;
    stream.flush()
}

/// The content type and bytes of the file a request target names, if it is one we serve.
fn file_for(root: &Path, target: &str) -> Option<(&'static str, Vec<u8>)> {
    let path = percent_decode(target.split(['?', '#']).next()?);
    let mut file = root.to_path_buf();
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if segment == "." || segment == ".." || segment.contains('\\') {
            return None;
        }
        file.push(segment);
    }
    if path.ends_with('/') {
        file.push("index.html");
    }
    let kind = match file.extension()?.to_str()? {
        "html" => "text/html; charset=utf-8",
        "js" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "woff2" => "font/woff2",
        "woff" => "font/woff",
        "ttf" => "font/ttf",
        "json" => "application/json",
        "txt" => "text/plain; charset=utf-8",
        _ => return None,
    };
    Some((kind, fs::read(file).ok()?))
}

fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok());
        match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
            Some(byte) if bytes[i] == b'%' => {
                out.push(byte);
                i += 3;
            }
            _ => {
                out.push(bytes[i]);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

// ---------------------------------------------------------------------------------------------
// Scratch space, screenshots, chromedriver and the WebDriver session (all cleaned up on drop)

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
    /// Kept after a failure, for the built book and chromedriver.log.
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

    /// The viewport, with the first tab group scrolled to the middle.
    fn tabs(&self, b: &Session, name: &str) {
        self.save(b, name, Some(".runtime-tabs"));
    }

    /// The viewport, after scrolling `focus` (a CSS selector) to just below the menu bar.
    fn save(&self, b: &Session, name: &str, focus: Option<&str>) {
        if let Some(css) = focus {
            b.run(&format!(
                "const e = document.querySelector('{css}'); \
                 if (e) window.scrollBy(0, e.getBoundingClientRect().top - 80);"
            ));
        }
        let path = self.dir.join(format!("{name}.png"));
        fs::write(&path, b.screenshot()).expect("write screenshot");
        eprintln!("screenshot: {}", path.display());
    }
}

/// A running chromedriver, killed on drop.
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
        let agent = agent();
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let status = agent
                .get(format!("http://127.0.0.1:{port}/status"))
                .call()
                .ok()
                .and_then(|mut r| r.body_mut().read_json::<Value>().ok());
            if status.is_some_and(|s| s["value"]["ready"] == true) {
                return driver;
            }
            if let Ok(Some(exit)) = driver.child.try_wait() {
                panic!("chromedriver exited at start ({exit})");
            }
            assert!(
                Instant::now() < deadline,
                "chromedriver not ready after 20 s"
            );
            thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A ureq agent for loopback: no proxy, WebDriver error statuses read as JSON, not as errors.
fn agent() -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .proxy(None)
        .http_status_as_error(false)
        .timeout_global(Some(Duration::from_secs(120)))
        .build();
    ureq::Agent::new_with_config(config)
}

/// A WebDriver session with headless Chromium, deleted on drop (which closes the browser).
struct Session {
    agent: ureq::Agent,
    base: String,
}

impl Session {
    fn new(port: u16, chromium: &Path, profile: &Path) -> Self {
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
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": chromium, "args": args},
            "goog:loggingPrefs": {"browser": "ALL"},
            "timeouts": {"pageLoad": 30_000, "script": 10_000},
        }}});
        let agent = agent();
        let root = format!("http://127.0.0.1:{port}");
        let reply = call(&agent, "POST", &format!("{root}/session"), Some(caps));
        let id = reply["sessionId"].as_str().expect("session id").to_string();
        Session {
            agent,
            base: format!("{root}/session/{id}"),
        }
    }

    fn cmd(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        call(&self.agent, method, &format!("{}{path}", self.base), body)
    }

    fn goto(&self, url: &str) {
        self.cmd("POST", "/url", Some(json!({ "url": url })));
    }

    fn refresh(&self) {
        self.cmd("POST", "/refresh", Some(json!({})));
    }

    /// Runs `script` (a function body) in the page and returns its result.
    fn run(&self, script: &str) -> Value {
        self.cmd(
            "POST",
            "/execute/sync",
            Some(json!({"script": script, "args": []})),
        )
    }

    fn truthy(&self, script: &str) -> bool {
        self.run(script) == true
    }

    fn wait_until(&self, script: &str, timeout: Duration) -> bool {
        let deadline = Instant::now() + timeout;
        while !self.truthy(script) {
            if Instant::now() > deadline {
                return false;
            }
            thread::sleep(Duration::from_millis(100));
        }
        true
    }

    fn try_find(&self, css: &str) -> Option<String> {
        let body = json!({"using": "css selector", "value": css});
        let found = self.cmd("POST", "/elements", Some(body));
        found.as_array()?.first()?[ELEMENT_KEY]
            .as_str()
            .map(String::from)
    }

    fn find(&self, css: &str) -> String {
        self.try_find(css)
            .unwrap_or_else(|| panic!("no element matches {css}"))
    }

    fn click(&self, element: &str) {
        self.cmd(
            "POST",
            &format!("/element/{element}/click"),
            Some(json!({})),
        );
    }

    fn send_keys(&self, element: &str, text: &str) {
        let body = json!({ "text": text });
        self.cmd("POST", &format!("/element/{element}/value"), Some(body));
    }

    fn screenshot(&self) -> Vec<u8> {
        let data = self.cmd("GET", "/screenshot", None);
        decode_base64(data.as_str().expect("screenshot data"))
    }

    /// Browser console entries (level, message) since the last call: reading empties the log.
    fn console(&self) -> Vec<(String, String)> {
        let entries = self.cmd("POST", "/se/log", Some(json!({"type": "browser"})));
        let entries = entries.as_array().expect("log entries from /se/log");
        let text = |v: &Value| v.as_str().unwrap_or("?").to_string();
        entries
            .iter()
            .map(|e| (text(&e["level"]), text(&e["message"])))
            .collect()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        let _ = self.agent.delete(&self.base).call();
    }
}

/// One WebDriver command; panics with the driver's message on an error reply.
fn call(agent: &ureq::Agent, method: &str, url: &str, body: Option<Value>) -> Value {
    let reply = match (method, body) {
        ("GET", _) => agent.get(url).call(),
        ("DELETE", _) => agent.delete(url).call(),
        (_, body) => agent.post(url).send_json(body.unwrap_or(json!({}))),
    };
    let mut reply = reply.unwrap_or_else(|e| panic!("{method} {url}: {e}"));
    let status = reply.status();
    let bytes = reply
        .body_mut()
        .with_config()
        .limit(64 << 20)
        .read_to_vec()
        .unwrap_or_else(|e| panic!("{method} {url}: reading the reply: {e}"));
    let mut value: Value = serde_json::from_slice(&bytes)
        .unwrap_or_else(|e| panic!("{method} {url}: reply is not JSON ({e})"));
    if !status.is_success() || value["value"].get("error").is_some() {
        let v = &value["value"];
        panic!(
            "WebDriver {method} {url} failed ({status}): {} {}",
            v["error"], v["message"]
        );
    }
    value["value"].take()
}

fn decode_base64(text: &str) -> Vec<u8> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = Vec::with_capacity(text.len() / 4 * 3);
    let (mut acc, mut bits) = (0u32, 0);
    for c in text
        .bytes()
        .filter(|c| !c.is_ascii_whitespace() && *c != b'=')
    {
        let v = ALPHABET.iter().position(|&a| a == c).expect("base64 digit") as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    out
}
