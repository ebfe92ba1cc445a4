//! In the real app on an X display of its own: the screen saver (what screen lockers turn
//! on) sets the signed-in agent away, input brings them back online — in the header and in
//! the workspace — and the presence watcher survives every change (the harness fails the
//! test on any logged panic).

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::{App, OwnDisplay};
use pulsedesk_core::clock::SystemClock;
use pulsedesk_core::kinds::Presence;
use pulsedesk_store::Workspace;
use std::sync::Arc;
use x11rb::protocol::xproto::{ConnectionExt as _, ScreenSaver, MOTION_NOTIFY_EVENT};
use x11rb::protocol::xtest::ConnectionExt as _;

async fn stored_presence(dir: &std::path::Path, name: &str) -> Presence {
    let ws = Workspace::open(&dir.join("workspace.db"), Arc::new(SystemClock))
        .await
        .unwrap();
    let me = ws
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.name == name)
        .unwrap();
    let p = ws.presence_of(me.id).await.unwrap().presence;
    ws.close().await;
    p
}

#[tokio::test]
async fn the_screen_lock_sets_away_and_returning_sets_online_again() {
    let display = OwnDisplay::start("1280x820x24");
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(
        dir.path(),
        &[
            ("DISPLAY", display.name.as_str()),
            ("PULSEDESK_PRESENCE_POLL_MS", "200"),
            ("PULSEDESK_DEMO_TICKETS", "20"),
        ],
    )
    .await;
    app.sign_in("李娜").await;
    app.wait_attr("[data-testid=presence]", "data-presence", "online")
        .await;

    let (x, root) = display.connect();
    for round in 0..2 {
        x.force_screen_saver(ScreenSaver::ACTIVE).unwrap();
        x.get_input_focus().unwrap().reply().unwrap();
        app.wait_attr("[data-testid=presence]", "data-presence", "away")
            .await;
        assert_eq!(
            stored_presence(dir.path(), "李娜").await,
            Presence::Away,
            "round {round}: the workspace holds what the header shows"
        );

        // The member comes back: input, and the screen saver goes off.
        x.xtest_fake_input(MOTION_NOTIFY_EVENT, 0, 0, root, 40 + round, 40, 0)
            .unwrap();
        x.force_screen_saver(ScreenSaver::RESET).unwrap();
        x.get_input_focus().unwrap().reply().unwrap();
        app.wait_attr("[data-testid=presence]", "data-presence", "online")
            .await;
        assert_eq!(
            stored_presence(dir.path(), "李娜").await,
            Presence::Online,
            "round {round}"
        );
    }
    assert_eq!(
        app.count("[data-testid=background-trouble]").await,
        0,
        "no background task failed"
    );
    app.quit().await;
}
