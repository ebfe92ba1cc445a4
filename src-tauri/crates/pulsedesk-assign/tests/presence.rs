//! Presence from real inputs: a private Xvfb display's XScreenSaver idle counter and
//! screen-saver state, and the watcher's online ↔ away moves on a real workspace.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::{member, Env};
use pulsedesk_assign::idle::x11::X11Idle;
use pulsedesk_assign::idle::IdleSource;
use pulsedesk_assign::watch::check;
use pulsedesk_core::assign::presence::Activity;
use pulsedesk_core::kinds::Presence;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use x11rb::connection::Connection;
use x11rb::protocol::xproto::{ConnectionExt as _, ScreenSaver, MOTION_NOTIFY_EVENT};
use x11rb::protocol::xtest::ConnectionExt as _;

/// An Xvfb server of our own, stopped on drop.
struct Display {
    name: String,
    child: Child,
}

impl Display {
    fn start() -> Display {
        let n = (90..200)
            .find(|n| !std::path::Path::new(&format!("/tmp/.X11-unix/X{n}")).exists())
            .unwrap();
        let name = format!(":{n}");
        let child = Command::new("Xvfb")
            .args([
                name.as_str(),
                "-nolisten",
                "tcp",
                "-screen",
                "0",
                "640x480x24",
            ])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("Xvfb (apt install xvfb)");
        Display { name, child }
    }

    fn connect(&self) -> X11Idle {
        for _ in 0..100 {
            if let Some(x) = X11Idle::connect_to(Some(&self.name)) {
                return x;
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("Xvfb {} did not come up", self.name);
    }
}

impl Drop for Display {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[test]
fn x11_reports_idle_time_input_and_the_screen_saver() {
    let display = Display::start();
    let x = display.connect();
    std::thread::sleep(std::time::Duration::from_millis(1200));
    let before = x.read().unwrap();
    assert!(before.idle >= Duration::milliseconds(1000), "{before:?}");
    assert!(!before.locked);

    // A pointer move (synthetic, through XTEST) resets the idle counter.
    x.with_connection(|c, root| {
        c.xtest_fake_input(MOTION_NOTIFY_EVENT, 0, 0, root, 10, 10, 0)
            .unwrap();
        c.flush().unwrap();
        c.get_input_focus().unwrap().reply().unwrap();
    })
    .unwrap();
    let after = x.read().unwrap();
    assert!(after.idle < Duration::milliseconds(500), "{after:?}");

    // The screen saver (which screen lockers turn on) reads as locked.
    x.with_connection(|c, _| {
        c.force_screen_saver(ScreenSaver::ACTIVE).unwrap();
        c.get_input_focus().unwrap().reply().unwrap();
    })
    .unwrap();
    assert!(x.read().unwrap().locked);
}

/// A reading set by the test.
struct Fake(Mutex<Option<Activity>>);

impl Fake {
    fn set(&self, idle_minutes: i64, locked: bool) {
        *self.0.lock().unwrap() = Some(Activity {
            idle: Duration::minutes(idle_minutes),
            locked,
        });
    }
}

impl IdleSource for Fake {
    fn read(&self) -> Option<Activity> {
        *self.0.lock().unwrap()
    }
}

#[tokio::test]
async fn idle_and_lock_set_away_and_return_sets_online_unless_chosen_by_hand() {
    let e: Env = common::env().await;
    let ws = &e.ws;
    let me = member(ws, "李娜").await;
    ws.set_presence(me.id, Presence::Online, false)
        .await
        .unwrap();
    let idle = Fake(Mutex::new(None));
    assert_eq!(
        check(ws, &idle, me.id).await.unwrap(),
        None,
        "no reading, no change"
    );

    idle.set(9, false);
    assert_eq!(check(ws, &idle, me.id).await.unwrap(), None);
    idle.set(10, false);
    assert_eq!(check(ws, &idle, me.id).await.unwrap(), Some(Presence::Away));
    assert_eq!(
        ws.presence_of(me.id).await.unwrap().presence,
        Presence::Away
    );
    idle.set(0, false);
    assert_eq!(
        check(ws, &idle, me.id).await.unwrap(),
        Some(Presence::Online)
    );
    idle.set(0, true);
    assert_eq!(check(ws, &idle, me.id).await.unwrap(), Some(Presence::Away));

    // "Away" chosen by hand stays until the member changes it.
    ws.set_presence(me.id, Presence::Away, true).await.unwrap();
    idle.set(0, false);
    assert_eq!(check(ws, &idle, me.id).await.unwrap(), None);
    assert_eq!(
        ws.presence_of(me.id).await.unwrap().presence,
        Presence::Away
    );
}
