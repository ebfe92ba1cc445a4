//! Launches the real Pulsedesk binary through tauri-driver + WebKitWebDriver and drives it
//! as a user would. Each app gets its own data folder and its own driver ports.

// Test helpers: a failed setup step should stop the test at once.
#![allow(clippy::unwrap_used)]

use fantoccini::{Client, ClientBuilder, Locator};
use serde_json::{json, Value};
use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

/// How long any single UI expectation may take before the test fails.
const PATIENCE: Duration = Duration::from_secs(15);

pub struct App {
    pub client: Client,
    driver: Child,
    pub data_dir: PathBuf,
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port")
}

fn tauri_driver() -> PathBuf {
    if let Some(p) = std::env::var_os("TAURI_DRIVER") {
        return p.into();
    }
    let home = std::env::var_os("CARGO_HOME")
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cargo")));
    match home.map(|h| h.join("bin/tauri-driver")) {
        Some(p) if p.exists() => p,
        _ => PathBuf::from("tauri-driver"),
    }
}

/// A config folder whose `user-dirs.dirs` names `data_dir/downloads` as the Downloads folder.
pub fn downloads_config(data_dir: &Path) -> std::path::PathBuf {
    let config = data_dir.join("config");
    let downloads = data_dir.join("downloads");
    std::fs::create_dir_all(&config).expect("config dir");
    std::fs::create_dir_all(&downloads).expect("downloads dir");
    std::fs::write(
        config.join("user-dirs.dirs"),
        format!("XDG_DOWNLOAD_DIR=\"{}\"\n", downloads.display()),
    )
    .expect("user-dirs.dirs");
    config
}

impl App {
    /// Starts the app on the workspace in `data_dir` (created and seeded on first use).
    pub async fn launch_in(data_dir: &Path, env: &[(&str, &str)]) -> App {
        std::fs::create_dir_all(data_dir).expect("data dir");
        let port = free_port();
        let native = free_port();
        let log =
            std::fs::File::create(data_dir.join(format!("driver-{port}.log"))).expect("driver log");
        let mut cmd = Command::new(tauri_driver());
        cmd.args([
            "--port",
            &port.to_string(),
            "--native-port",
            &native.to_string(),
        ])
        .env("PULSEDESK_DATA_DIR", data_dir)
        .env("PULSEDESK_LOCALE", "en-US")
        .env("WEBKIT_DISABLE_DMABUF_RENDERER", "1")
        // Files the app saves (exports, the weekly review) go to a Downloads folder of the
        // test's own, never the machine's home.
        .env("XDG_CONFIG_HOME", downloads_config(data_dir))
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("log"))
        .stderr(log);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let driver = cmd
            .spawn()
            .expect("tauri-driver (cargo install tauri-driver --locked)");
        let started = Instant::now();
        while std::net::TcpStream::connect(("127.0.0.1", port)).is_err() {
            assert!(
                started.elapsed() < PATIENCE,
                "tauri-driver did not listen on {port}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let caps = json!({
            "browserName": "wry",
            "tauri:options": { "application": env!("CARGO_BIN_EXE_pulsedesk") }
        });
        let serde_json::Value::Object(caps) = caps else {
            unreachable!()
        };
        // Several providers are compiled in; pick one (a second call is a harmless no-op).
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = ClientBuilder::rustls()
            .expect("tls")
            .capabilities(caps)
            .connect(&format!("http://127.0.0.1:{port}"))
            .await
            .expect("WebDriver session");
        App {
            client,
            driver,
            data_dir: data_dir.to_path_buf(),
        }
    }

    /// Waits for an element to exist and returns it.
    pub async fn find(&self, css: &str) -> fantoccini::elements::Element {
        let found = self
            .client
            .wait()
            .at_most(PATIENCE)
            .for_element(Locator::Css(css))
            .await;
        match found {
            Ok(el) => el,
            Err(e) => {
                let page = self.page_text().await;
                panic!("no element {css}: {e}\n--- the page showed ---\n{page}")
            }
        }
    }

    /// What the window shows as text (cut short), for failure messages.
    async fn page_text(&self) -> String {
        let text = self
            .client
            .execute(
                "const p = document.querySelector('[data-testid=ticket-panel]');
                 return (p ? `[the ticket panel is on id ${p.dataset.ticketId}]\n` : '') + document.body.innerText",
                vec![],
            )
            .await
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default();
        text.chars().take(2000).collect()
    }

    /// Clicks the first element matching `css`. A live list may replace the element
    /// between finding and clicking it: then the click is aimed again at its successor.
    pub async fn click(&self, css: &str) {
        let started = Instant::now();
        loop {
            let el = self.find(css).await;
            // Inside a scrolled panel WebKitWebDriver may aim at a point outside the window:
            // an element not wholly on screen is brought to the middle of its scroll
            // container first (one on screen is left alone: scrolling a virtual list
            // re-renders its rows).
            let _ = self
                .client
                .execute(
                    "const e = arguments[0], r = e.getBoundingClientRect();
                     if (r.top < 0 || r.left < 0 || r.bottom > window.innerHeight || r.right > window.innerWidth)
                       e.scrollIntoView({block: 'center', inline: 'nearest'});",
                    vec![serde_json::to_value(&el).unwrap_or(Value::Null)],
                )
                .await;
            match el.click().await {
                Ok(()) => return,
                Err(e) => {
                    // WebKitWebDriver reports an element a live list just replaced as "not
                    // found", "stale", or (between a find and a click) with no message at
                    // all: each is aimed again.
                    let replaced = {
                        let m = e.to_string();
                        m.contains("was not found")
                            || m.contains("stale")
                            || m.trim_end().ends_with("error:")
                    };
                    if !replaced || started.elapsed() > PATIENCE {
                        panic!("click {css}: {e}");
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    /// Opens the ticket of the pool row `css` in the side panel. A list that reloads (a
    /// search landing, a live change) can replace the row under the click, so the click is
    /// repeated until the panel shows a ticket.
    pub async fn open_row(&self, css: &str) {
        let started = Instant::now();
        loop {
            let number = self
                .find(css)
                .await
                .attr("data-number")
                .await
                .ok()
                .flatten()
                .unwrap_or_default();
            self.click(css).await;
            let shown = Instant::now();
            while shown.elapsed() < Duration::from_secs(2) {
                let open = match self
                    .client
                    .find(Locator::Css("[data-testid=ticket-number]"))
                    .await
                {
                    Ok(el) => el.text().await.unwrap_or_default(),
                    Err(_) => String::new(),
                };
                if !open.is_empty() && (number.is_empty() || open == number) {
                    return;
                }
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
            if started.elapsed() > PATIENCE {
                let page = self.page_text().await;
                panic!("{css}: the ticket did not open\n--- the page showed ---\n{page}");
            }
        }
    }

    /// Replaces the text of the field `css`. A field just revealed (a section unfolding)
    /// may take a frame to accept focus, and a live view may replace it: both are retried.
    pub async fn type_into(&self, css: &str, text: &str) {
        let started = Instant::now();
        loop {
            let el = self.find(css).await;
            el.clear().await.ok();
            match el.send_keys(text).await {
                Ok(()) => return,
                Err(e) => {
                    let m = e.to_string();
                    let passing = m.contains("not focusable")
                        || m.contains("was not found")
                        || m.contains("stale");
                    if !passing || started.elapsed() > PATIENCE {
                        panic!("type into {css}: {e}");
                    }
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
            }
        }
    }

    /// Picks `value` in the choice (a bits-ui listbox) `css`: opens it as a member would, clicks
    /// the option, and waits until the choice shows it.
    pub async fn select(&self, css: &str, value: &str) {
        self.click(css).await;
        self.click(&format!(
            "[role=listbox] [role=option][data-value=\"{value}\"]"
        ))
        .await;
        self.wait_attr(css, "data-value", value).await;
        self.wait_count("[role=listbox]", 0).await;
    }

    pub async fn text(&self, css: &str) -> String {
        self.find(css).await.text().await.unwrap_or_default()
    }

    /// Waits until the text of `css` satisfies `ok`; returns it.
    pub async fn wait_text(&self, css: &str, what: &str, ok: impl Fn(&str) -> bool) -> String {
        let started = Instant::now();
        loop {
            if let Ok(el) = self.client.find(Locator::Css(css)).await {
                if let Ok(t) = el.text().await {
                    if ok(&t) {
                        return t;
                    }
                    if started.elapsed() > PATIENCE {
                        let page = self.page_text().await;
                        panic!(
                            "{css}: expected {what}, still {t:?}\n--- the page showed ---\n{page}"
                        );
                    }
                }
            } else if started.elapsed() > PATIENCE {
                let page = self.page_text().await;
                panic!("{css}: expected {what}, element missing\n--- the page showed ---\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the first element matching `css` has `attr` = `value`.
    pub async fn wait_attr(&self, css: &str, attr: &str, value: &str) {
        self.wait_attr_for(css, attr, value, PATIENCE).await
    }

    /// [`App::wait_attr`] with its own patience, for states that arrive with time.
    pub async fn wait_attr_for(&self, css: &str, attr: &str, value: &str, patience: Duration) {
        let started = Instant::now();
        loop {
            let now = match self.client.find(Locator::Css(css)).await {
                Ok(el) => el.attr(attr).await.ok().flatten(),
                Err(_) => None,
            };
            if now.as_deref() == Some(value) {
                return;
            }
            if started.elapsed() >= patience {
                let page = self.page_text().await;
                panic!("{css}: expected {attr}={value:?}, still {now:?}\n--- the page showed ---\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the form control `css` holds `value` (its live value, not the attribute).
    pub async fn wait_value(&self, css: &str, value: &str) {
        let started = Instant::now();
        loop {
            let now = self
                .client
                .execute(
                    "const el = document.querySelector(arguments[0]); return el ? el.value : null;",
                    vec![json!(css)],
                )
                .await
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned));
            if now.as_deref() == Some(value) {
                return;
            }
            if started.elapsed() >= PATIENCE {
                let page = self.page_text().await;
                panic!("{css}: expected value {value:?}, still {now:?}\n--- the page showed ---\n{page}");
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until `css` matches exactly `n` elements.
    /// How many elements match `css` now.
    pub async fn count(&self, css: &str) -> usize {
        self.client
            .find_all(Locator::Css(css))
            .await
            .map(|v| v.len())
            .unwrap_or(0)
    }

    pub async fn wait_count(&self, css: &str, n: usize) {
        let started = Instant::now();
        loop {
            let found = self
                .client
                .find_all(Locator::Css(css))
                .await
                .map(|v| v.len())
                .unwrap_or(0);
            if found == n {
                return;
            }
            assert!(
                started.elapsed() < PATIENCE,
                "{css}: expected {n} elements, found {found}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits for a window the session did not know (one of `known`) and makes it current.
    pub async fn switch_to_new_window(
        &self,
        known: &[fantoccini::wd::WindowHandle],
    ) -> fantoccini::wd::WindowHandle {
        let started = Instant::now();
        loop {
            let all = self.client.windows().await.expect("window handles");
            if let Some(new) = all.into_iter().find(|w| !known.contains(w)) {
                self.client
                    .switch_to_window(new.clone())
                    .await
                    .expect("switch to the new window");
                return new;
            }
            assert!(started.elapsed() < PATIENCE, "no new window opened");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// Makes `window` the one the next steps act in.
    pub async fn switch_to(&self, window: &fantoccini::wd::WindowHandle) {
        self.client
            .switch_to_window(window.clone())
            .await
            .expect("switch window");
    }

    /// Signs in as the demo member called `name`.
    pub async fn sign_in(&self, name: &str) {
        self.click(&format!("button[data-testid=account][data-name='{name}']"))
            .await;
        self.wait_text("[data-testid=who]", name, |t| t.contains(name))
            .await;
    }

    /// Types `day` ("YYYY-MM-DD") into the date field `testid` from the keyboard, part by
    /// part as a member would (the field moves on by itself after each part), and waits
    /// until it holds it.
    pub async fn type_date(&self, testid: &str, day: &str) {
        let first = format!("[data-testid={testid}] [data-part=year]");
        self.click(&first).await;
        let digits: String = day.chars().filter(char::is_ascii_digit).collect();
        for key in digits.chars() {
            let focused = self.client.active_element().await.expect("a focused part");
            focused
                .send_keys(&key.to_string())
                .await
                .unwrap_or_else(|e| panic!("type {key} into {testid}: {e}"));
        }
        self.wait_attr(&format!("[data-testid={testid}]"), "data-value", day)
            .await;
    }

    /// Opens the member menu in the header (status, pop-ups, language, sign-out).
    pub async fn open_member_menu(&self) {
        if self
            .client
            .find(Locator::Css("[data-testid=member-menu]"))
            .await
            .is_err()
        {
            self.click("[data-testid=who]").await;
        }
        self.find("[data-testid=member-menu]").await;
    }

    /// Signs out through the member menu.
    pub async fn sign_out(&self) {
        self.open_member_menu().await;
        self.click("[data-testid=sign-out]").await;
    }

    /// Switches the interface language through the member menu ("zh-CN" or "en").
    pub async fn choose_language(&self, lang: &str) {
        self.open_member_menu().await;
        self.click(&format!("[data-testid=language-{lang}]")).await;
    }

    /// Calls a command straight through the IPC bridge, bypassing the UI, as a tampered UI could.
    pub async fn invoke(&self, cmd: &str, args: Value) -> Result<Value, Value> {
        let script = r#"
            const [cmd, args, done] = arguments;
            window.__TAURI_INTERNALS__.invoke(cmd, args)
              .then((ok) => done({ ok: ok === undefined ? null : ok }), (err) => done({ err }));
        "#;
        let out = self
            .client
            .execute_async(script, vec![json!(cmd), args])
            .await
            .expect("execute_async");
        match out.get("err") {
            Some(err) => Err(err.clone()),
            None => Ok(out.get("ok").cloned().unwrap_or(Value::Null)),
        }
    }

    /// Saves a screenshot next to the workspace (for looking at failures).
    #[allow(dead_code)]
    pub async fn screenshot(&self, name: &str) {
        if let Ok(png) = self.client.screenshot().await {
            let _ = std::fs::write(self.data_dir.join(format!("{name}.png")), png);
        }
    }

    /// Ends the WebDriver session and stops the driver (SIGTERM, so WebKitWebDriver stops too).
    pub async fn quit(mut self) {
        let _ = self.client.clone().close().await;
        stop(&mut self.driver);
        assert_no_panics(&self.data_dir);
    }
}

/// Fails the test if the app logged a panic: a background task that died (and was
/// restarted) is a bug even when the screen looked right.
pub fn assert_no_panics(data_dir: &Path) {
    let Ok(entries) = std::fs::read_dir(data_dir.join("logs")) else {
        return;
    };
    for entry in entries.flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let panics: Vec<&str> = text
            .lines()
            .filter(|l| l.contains("a thread panicked") || l.contains("background task panicked"))
            .collect();
        assert!(
            panics.is_empty(),
            "the app panicked ({}):\n{}",
            entry.path().display(),
            panics.join("\n")
        );
    }
}

fn stop(driver: &mut Child) {
    let _ = Command::new("kill")
        .args(["-TERM", &driver.id().to_string()])
        .status();
    let deadline = Instant::now() + Duration::from_secs(5);
    while Instant::now() < deadline {
        if let Ok(Some(_)) = driver.try_wait() {
            return;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let _ = driver.kill();
    let _ = driver.wait();
}

#[cfg(target_os = "linux")]
/// An Xvfb server on a display number it chose itself, stopped on drop.
pub struct OwnDisplay {
    pub name: String,
    server: Child,
}

impl OwnDisplay {
    /// Starts one with a screen of `size` (e.g. "1920x1080x24").
    pub fn start(size: &str) -> OwnDisplay {
        let mut server = Command::new("Xvfb")
            .args(["-displayfd", "1", "-nolisten", "tcp", "-screen", "0", size])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb (apt install xvfb)");
        // Xvfb writes the display number, then a newline, once it accepts connections.
        let mut out = server.stdout.take().unwrap();
        let mut number = String::new();
        let mut byte = [0u8; 1];
        while std::io::Read::read(&mut out, &mut byte).unwrap() == 1 && byte[0] != b'\n' {
            number.push(byte[0] as char);
        }
        OwnDisplay {
            name: format!(":{}", number.trim()),
            server,
        }
    }

    /// Saves the top-left `w`×`h` of the screen as a PNG (where an undecorated window at
    /// the origin shows). Read straight from the X server: WebKitWebDriver's own screenshot
    /// never answers under Xvfb.
    pub fn screenshot(&self, (w, h): (u32, u32), path: &std::path::Path) {
        use x11rb::protocol::xproto::{ConnectionExt as _, ImageFormat};
        let (x, root) = self.connect();
        let (w16, h16) = (w as u16, h as u16);
        let image = x
            .get_image(ImageFormat::Z_PIXMAP, root, 0, 0, w16, h16, !0)
            .unwrap()
            .reply()
            .unwrap();
        // 24-bit depth arrives as 32-bit little-endian pixels: blue, green, red, unused.
        let rgb: Vec<u8> = image
            .data
            .chunks_exact(4)
            .flat_map(|p| [p[2], p[1], p[0]])
            .collect();
        let file = std::io::BufWriter::new(std::fs::File::create(path).unwrap());
        let mut encoder = png::Encoder::new(file, w, h);
        encoder.set_color(png::ColorType::Rgb);
        encoder.set_depth(png::BitDepth::Eight);
        encoder
            .write_header()
            .unwrap()
            .write_image_data(&rgb)
            .unwrap();
    }

    /// An X connection to it and its root window (to send input, drive the screen saver).
    pub fn connect(&self) -> (x11rb::rust_connection::RustConnection, u32) {
        use x11rb::connection::Connection;
        let (conn, screen) = x11rb::connect(Some(&self.name)).unwrap();
        let root = conn.setup().roots[screen].root;
        (conn, root)
    }
}

#[cfg(target_os = "linux")]
impl Drop for OwnDisplay {
    fn drop(&mut self) {
        let _ = self.server.kill();
        let _ = self.server.wait();
    }
}

impl Drop for App {
    fn drop(&mut self) {
        if let Ok(None) = self.driver.try_wait() {
            stop(&mut self.driver);
        }
        if !std::thread::panicking() {
            assert_no_panics(&self.data_dir);
        }
    }
}

/// The demo workspace of a team that assigns by hand (automatic assignment off). Returns
/// how many tickets it holds (the demo's, and the follow-ups its feedback opened).
pub async fn manual_team(dir: &std::path::Path) -> i64 {
    let ws = pulsedesk_store::Workspace::open(
        &dir.join("workspace.db"),
        std::sync::Arc::new(pulsedesk_core::clock::SystemClock),
    )
    .await
    .unwrap();
    ws.seed_demo(pulsedesk_store::demo::DemoOptions::default())
        .await
        .unwrap();
    let admin = ws
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.role == pulsedesk_core::kinds::Role::Admin)
        .unwrap();
    let admin = pulsedesk_core::permissions::Actor {
        id: admin.id,
        role: admin.role,
    };
    let rules = pulsedesk_core::assign::AssignRules {
        auto: false,
        ..ws.assign_rules().await.unwrap()
    };
    ws.save_assign_rules(&admin, rules).await.unwrap();
    let (tickets,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM tickets")
        .fetch_one(ws.pool())
        .await
        .unwrap();
    ws.close().await;
    tickets
}
