//! The layout holds at ordinary desktop widths, in both languages: in the real app on an
//! X display of its own, every screen a supervisor and an admin use is measured in the DOM
//! (tests/e2e/layout/probe.js: the header is one row, nothing spills out of its box or
//! scrolls sideways, buttons, badges and table headings stay on one line, no column is
//! squeezed away, no native select) at 1024×700, 1280×820 and 1920×1080, with a screenshot of each.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::{App, OwnDisplay};
use fantoccini::wd::WindowHandle;
use std::path::PathBuf;
use std::time::{Duration, Instant};

const SIZES: &[(u32, u32)] = &[(1024, 700), (1280, 820), (1920, 1080)];
/// Right of the 1920-pixel screen: where a window waits unseen.
const OFF_SCREEN: u32 = 2000;
const PROBE: &str = include_str!("layout/probe.js");

/// Where the screenshots go (kept after the run, to look at).
fn shots() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("layout");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

struct Survey<'a> {
    app: &'a App,
    display: &'a OwnDisplay,
    lang: &'a str,
    faults: Vec<String>,
}

impl Survey<'_> {
    /// Sizes the current window to `w`×`h` and waits until the page has that width.
    async fn resize(&self, (w, h): (u32, u32)) {
        self.app
            .client
            .set_window_rect(0, 0, w, h)
            .await
            .unwrap_or_else(|e| panic!("resize to {w}×{h}: {e}"));
        let started = Instant::now();
        loop {
            let inner = self
                .app
                .client
                .execute("return window.innerWidth", vec![])
                .await
                .unwrap()
                .as_u64()
                .unwrap_or(0);
            if inner == u64::from(w) {
                break;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "the window stayed {inner}px wide, asked for {w}"
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Measures what the window shows now and keeps a screenshot of it.
    async fn measure(&mut self, (w, h): (u32, u32), scene: &str) {
        // Two frames, so the layout after the last change has settled.
        tokio::time::sleep(Duration::from_millis(300)).await;
        let found = self.app.client.execute(PROBE, vec![]).await.unwrap();
        for fault in found.as_array().cloned().unwrap_or_default() {
            let fault = fault.as_str().unwrap_or_default().to_string();
            eprintln!("layout fault: {} {w}×{h} {scene}: {fault}", self.lang);
            self.faults
                .push(format!("{} {w}×{h} {scene}: {fault}", self.lang));
        }
        let file = format!("{}-{w}x{h}-{scene}.png", self.lang);
        self.display.screenshot((w, h), &shots().join(file));
    }
}

/// One language: the sign-in screen, every view of a supervisor (with a ticket open) and
/// the board window, then the admin's settings, at each size.
async fn survey(lang: &str, locale: &str) -> Vec<String> {
    let display = OwnDisplay::start("1920x1080x24");
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(
        dir.path(),
        &[
            ("DISPLAY", display.name.as_str()),
            ("PULSEDESK_LOCALE", locale),
        ],
    )
    .await;
    let mut s = Survey {
        app: &app,
        display: &display,
        lang,
        faults: Vec::new(),
    };
    app.find("[data-testid=account]").await;
    for &size in SIZES {
        s.resize(size).await;
        s.measure(size, "sign-in").await;
    }

    app.sign_in("陈静").await;
    let main = app.client.window().await.unwrap();
    let mut board: Option<WindowHandle> = None;
    for &size in SIZES {
        app.switch_to(&main).await;
        s.resize(size).await;
        app.click("[data-testid=nav-pool]").await;
        app.find("[data-testid=pool-row]").await;
        s.measure(size, "pool").await;
        app.open_row("[data-testid=pool-row]").await;
        s.measure(size, "pool-ticket").await;
        app.click("[data-testid=nav-mine]").await;
        s.measure(size, "mine-ticket").await;
        app.click("[data-testid=nav-new]").await;
        app.find("[data-testid=new-ticket-form]").await;
        s.measure(size, "new-ticket").await;
        app.click("[data-testid=nav-transfers]").await;
        app.find("[data-testid=transfers]").await;
        s.measure(size, "transfers").await;
        app.click("[data-testid=nav-feedback]").await;
        app.find("[data-testid=feedback-view]").await;
        s.measure(size, "feedback").await;
        app.click("[data-testid=nav-measures]").await;
        app.find("[data-testid=measures-view]").await;
        s.measure(size, "measures").await;

        // The board window opens on top of the main one; it is moved off the screen after,
        // so the next screenshots show the main window.
        let handle = match &board {
            Some(h) => h.clone(),
            None => {
                app.click("[data-testid=nav-board]").await;
                let h = app.switch_to_new_window(std::slice::from_ref(&main)).await;
                board = Some(h.clone());
                h
            }
        };
        app.switch_to(&handle).await;
        s.resize(size).await;
        app.find("[data-testid=board-chart-stage] canvas").await;
        s.measure(size, "board").await;
        app.click("[data-testid=tab-review]").await;
        app.find("[data-testid=review-week]").await;
        s.measure(size, "board-review").await;
        app.click("[data-testid=tab-monthly]").await;
        app.find("[data-testid=monthly-chart-stage] canvas").await;
        s.measure(size, "board-monthly").await;
        app.click("[data-testid=tab-live]").await;
        app.client
            .set_window_rect(OFF_SCREEN, 0, size.0, size.1)
            .await
            .unwrap();
        app.switch_to(&main).await;
    }

    app.switch_to(&main).await;
    app.sign_out().await;
    app.sign_in("王敏").await;
    for &size in SIZES {
        s.resize(size).await;
        app.click("[data-testid=nav-admin]").await;
        app.find("[data-testid=admin]").await;
        for tab in ["types", "sla", "rules", "assign", "members", "feedback"] {
            app.click(&format!("[data-testid=tab-{tab}]")).await;
            s.measure(size, &format!("admin-{tab}")).await;
        }
    }
    let faults = s.faults;
    app.quit().await;
    faults
}

#[tokio::test]
async fn every_screen_fits_at_ordinary_widths_in_chinese() {
    let faults = survey("zh", "zh_CN.UTF-8").await;
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}

#[tokio::test]
async fn every_screen_fits_at_ordinary_widths_in_english() {
    let faults = survey("en", "en_US.UTF-8").await;
    assert!(
        faults.is_empty(),
        "{} faults:\n{}",
        faults.len(),
        faults.join("\n")
    );
}
