//! In the real app, a ticket with a short SLA target counts down in the pool, in the ticket
//! view and in the header, turns near breach and then breached as time passes — driven by
//! the live clock and the SLA scheduler, with nobody touching it.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use crate::harness::App;
use chrono::{Duration as ChronoDuration, FixedOffset, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::{Channel, Priority, Role, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::sla::setup::PolicyInput;
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

/// A workspace with a one-minute first-response policy for urgent tickets (near breach at
/// 80%: 48 s) and one urgent ticket created `age` ago. Returns its number.
async fn prepare(dir: &Path, age: ChronoDuration) -> String {
    let clock = Arc::new(ManualClock::new(
        Utc::now() - age,
        FixedOffset::east_opt(8 * 3600).unwrap(),
    ));
    let ws = Workspace::open(&dir.join("workspace.db"), clock)
        .await
        .unwrap();
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    let accounts = ws.accounts().await.unwrap();
    let who = |role| {
        let a = accounts.iter().find(|a| a.role == role).unwrap();
        Actor { id: a.id, role }
    };
    ws.save_sla_policy(
        &who(Role::Admin),
        None,
        &PolicyInput {
            name: "E2E one minute".into(),
            priorities: vec![Priority::Urgent],
            type_ids: vec![],
            tiers: vec![],
            first_response_minutes: 1,
            resolution_minutes: 60,
            near_percent: 80,
            pause_awaiting_reply: true,
            calendar_id: None,
        },
    )
    .await
    .unwrap();
    let row = ws
        .create_ticket(
            &who(Role::Agent),
            &NewTicket {
                channel: Channel::Chat,
                type_id: TicketTypeId(1),
                customer: CustomerChoice::New(NewCustomer {
                    name: "赵敏".into(),
                    phone: "13700001234".into(),
                    email: String::new(),
                    tier: Tier::Vip,
                }),
                priority: Priority::Urgent,
                subject: "E2E 倒计时".into(),
                description: String::new(),
                departments: vec![],
                attachments: vec![],
            },
        )
        .await
        .unwrap();
    ws.close().await;
    row.number
}

#[tokio::test]
async fn a_short_target_counts_down_to_near_breach_then_breached() {
    let dir = tempfile::tempdir().unwrap();
    let number = prepare(dir.path(), ChronoDuration::seconds(30)).await;
    let app = App::launch_in(dir.path(), &[]).await;
    // A supervisor sees (and is warned about) unassigned tickets.
    app.sign_in("陈静").await;
    let row = format!("[data-testid=pool-row][data-number='{number}'] [data-testid=countdown]");
    app.wait_attr(&row, "data-state", "on_track").await;
    let text = app.text(&row).await;
    assert!(text.ends_with("left"), "{text}");
    app.open_row(&format!("[data-testid=pool-row][data-number='{number}']"))
        .await;
    app.wait_attr("[data-testid=sla-first_response]", "data-state", "on_track")
        .await;

    // 48 s after creation: near breach, in the list, the ticket view and the header.
    let patience = Duration::from_secs(40);
    app.wait_attr_for(&row, "data-state", "near_breach", patience)
        .await;
    app.wait_attr(
        "[data-testid=sla-first_response]",
        "data-state",
        "near_breach",
    )
    .await;
    app.wait_text("[data-testid=near-count]", "one near breach", |t| {
        t.starts_with('1')
    })
    .await;

    // Past one minute: breached, and the scheduler wrote it to the ticket's timeline.
    app.wait_attr_for(&row, "data-state", "breached", patience)
        .await;
    app.wait_attr("[data-testid=sla-first_response]", "data-state", "breached")
        .await;
    let over = app.text(&row).await;
    assert!(over.ends_with("over"), "{over}");
    app.wait_text("[data-testid=breached-count]", "one breached", |t| {
        t.starts_with('1')
    })
    .await;
    app.wait_text("[data-testid=timeline]", "the breach record", |t| {
        t.contains("Response SLA breached")
    })
    .await;
    assert!(app
        .text("[data-testid=timeline]")
        .await
        .contains("Response SLA near breach"));
    app.quit().await;
}

/// The demo workspace as a supervisor sees it: a ticket flagged stale is one that has not
/// breached (a breached one wears its red countdown, not both), and tickets waiting on the
/// customer are not flagged.
#[tokio::test]
async fn stale_marks_only_tickets_that_have_not_breached() {
    let dir = tempfile::tempdir().unwrap();
    let app = App::launch_in(dir.path(), &[]).await;
    app.sign_in("陈静").await;
    app.wait_text("[data-testid=pool-count]", "the demo tickets", |t| {
        t != "0 tickets"
    })
    .await;
    let rows: serde_json::Value = app
        .client
        .execute(
            "return [...document.querySelectorAll('[data-testid=pool-row]')].map(r => ({
               stage: r.dataset.stage,
               stale: !!r.querySelector('[data-testid=stale]'),
               sla: r.querySelector('[data-testid=countdown]')?.dataset.state ?? null }))",
            vec![],
        )
        .await
        .unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.len() > 10, "{rows:?}");
    for r in rows {
        if r["stale"] == true {
            assert_ne!(r["sla"], "breached", "stale and breached at once: {r}");
            assert_ne!(r["stage"], "awaiting_reply", "{r}");
        }
    }
    assert!(
        rows.iter()
            .any(|r| r["sla"] == "breached" && r["stale"] == false),
        "the demo has breached tickets, none of them flagged stale: {rows:?}"
    );
    app.quit().await;
}
