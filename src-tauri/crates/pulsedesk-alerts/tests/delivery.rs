//! Delivery: the scheduler raises a warning and the pop-up arrives on a desktop bus.
//!
//! The test starts its own D-Bus session daemon, owns `org.freedesktop.Notifications` on it
//! with a small recording server, and runs the real scheduler with the real notify-rust
//! notifier. It then plays the member clicking the pop-up (the server's `ActionInvoked`
//! signal) and checks the app is asked to open that ticket.

// Test helpers: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use chrono::Duration;
use common::env;
use pulsedesk_alerts::testing::{wait_for_call, PrivateBus};
use pulsedesk_alerts::DesktopNotifier;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::sla::notice::Lang;
use std::sync::{Arc, Mutex};
use std::time::{Duration as StdDuration, Instant};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_warning_arrives_on_the_desktop_bus_and_a_click_opens_its_ticket() {
    let bus =
        PrivateBus::start().expect("dbus-daemon is installed (scripts/setup.sh installs dbus)");
    // This test binary runs alone in its process (nextest), so pointing the session bus
    // at the private daemon affects nothing else.
    std::env::set_var("DBUS_SESSION_BUS_ADDRESS", &bus.address);
    let (conn, calls) = bus.serve_notifications().await.unwrap();

    let e = env().await;
    let agent = e.member(Role::Agent, 0).await;
    e.sit(agent, Lang::En);
    let opened: Arc<Mutex<Vec<Option<TicketId>>>> = Arc::default();
    let sink = opened.clone();
    let notifier =
        DesktopNotifier::new("Pulsedesk", Arc::new(move |t| sink.lock().unwrap().push(t)));
    let sched = e.start(Arc::new(notifier)).await;
    let t = e.ticket(&agent, "Parcel lost").await;
    e.ws.claim_ticket(&agent, t.id).await.unwrap();
    sched.ticket_changed(t.id);
    e.clock.advance(Duration::minutes(24));
    assert_eq!(sched.tick().await, 1);

    let call =
        wait_for_call(&calls, StdDuration::from_secs(10), |_| true).expect("the Notify call");
    assert_eq!(call.app_name, "Pulsedesk");
    assert_eq!(call.summary, format!("Near breach: {}", t.number));
    assert_eq!(
        call.body,
        "VIP customer · First response due at 10:30 · assigned to 李娜\nParcel lost"
            .replace("李娜", &e.ws.account(agent.id).await.unwrap().name)
    );
    assert!(
        call.actions.contains(&"default".to_string()),
        "clickable: {:?}",
        call.actions
    );

    // The member clicks it. The notifier subscribes right after showing, so repeat the
    // signal until it is heard.
    let deadline = Instant::now() + StdDuration::from_secs(10);
    let clicked = loop {
        conn.emit_signal(
            None::<&str>,
            "/org/freedesktop/Notifications",
            "org.freedesktop.Notifications",
            "ActionInvoked",
            &(1u32, "default"),
        )
        .await
        .unwrap();
        if let Some(t) = opened.lock().unwrap().first().cloned() {
            break t;
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for the click to open the ticket"
        );
        tokio::time::sleep(StdDuration::from_millis(50)).await;
    };
    assert_eq!(clicked, Some(t.id));

    // The breach arrives too, and nothing is shown twice.
    e.clock.advance(Duration::minutes(6) + Duration::seconds(1));
    assert_eq!(sched.tick().await, 1);
    let second = wait_for_call(&calls, StdDuration::from_secs(10), |c| {
        c.summary.starts_with("SLA breached")
    })
    .expect("the breach");
    assert_eq!(second.summary, format!("SLA breached: {}", t.number));
    std::thread::sleep(StdDuration::from_millis(200));
    assert_eq!(calls.lock().unwrap().len(), 2);
}
