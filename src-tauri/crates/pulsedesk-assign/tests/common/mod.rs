//! A workspace in a temp dir with the demo team and a manual clock.

#![allow(dead_code)]
// Test helpers: a failed setup step should stop the test at once.
#![allow(clippy::unwrap_used)]

use chrono::{FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::permissions::Actor;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::sync::Arc;

pub struct Env {
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
    pub clock: Arc<ManualClock>,
}

/// The demo team, no tickets, at 2026-11-23 10:00 Beijing time.
pub async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
        FixedOffset::east_opt(8 * 3600).unwrap(),
    ));
    let ws = Workspace::open(&dir.path().join("ws.db"), clock.clone())
        .await
        .unwrap();
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    Env { dir, ws, clock }
}

pub async fn member(ws: &Workspace, name: &str) -> Actor {
    let a = ws
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap();
    Actor {
        id: a.id,
        role: a.role,
    }
}
