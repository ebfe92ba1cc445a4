//! SLA alerts seen on several desktops are recorded once on the server. (The team's
//! assignment is the team service's: pulsedesk-server's tests.)

#![allow(clippy::unwrap_used)]

mod common;

use common::{desk, eventually, Desk};
use pulsedesk_core::kinds::Role;
use pulsedesk_core::sla::alert::dues_of;
use pulsedesk_core::sla::AlertLevel;
use pulsedesk_shared::testing::create;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(15);

/// Everything queued in a desktop's outbox, bookkeeping included.
async fn outbox(d: &Desk) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM outbox")
        .fetch_one(d.ws.pool())
        .await
        .unwrap();
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_breach_seen_on_two_desktops_is_recorded_once_and_reaches_both() {
    let db = pulsedesk_shared::testing::db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let s1 = desk(&db, &db.member("陈静", Role::Supervisor).await).await;
    let s2 = desk(&db, &db.member("周杰", Role::Supervisor).await).await;
    let chen = db.connect(&s1.login).await;
    let t = create(&db, &chen, "没人回复").await;
    for d in [&s1, &s2] {
        eventually("the replica has the ticket", WAIT, || async {
            d.ticket(t.0).await.is_some()
        })
        .await;
    }
    // A day later every clock has run out, on both desktops' cached deadlines. The
    // desktops are offline when they notice.
    let (mut s1, mut s2) = (s1, s2);
    s1.stop().await;
    s2.stop().await;
    db.clock.advance(chrono::Duration::days(1));
    for d in [&s1, &s2] {
        let watched = d.ws.watched_ticket(t).await.unwrap().unwrap();
        let due = dues_of(t, watched.round, &watched.running)
            .into_iter()
            .find(|d| d.key.level == AlertLevel::Breached && d.repeat == 0)
            .unwrap();
        let record = d.ws.record_alert(&due).await.unwrap().unwrap();
        assert!(
            record.newly_recorded,
            "each desktop raises it for its member"
        );
        // Queued for the server, but not one of the member's unsent edits.
        assert_eq!(outbox(d).await, 1);
        assert_eq!(d.ws.outbox_counts().await.unwrap().pending, 0);
    }
    s1.start(&db, db.server.clone());
    s2.start(&db, db.server.clone());
    for d in [&s1, &s2] {
        eventually("the report reached the server", WAIT, || async {
            outbox(d).await == 0
        })
        .await;
    }
    let (records, events): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM sla_alerts),
                (SELECT count(*) FROM ticket_events WHERE kind = 'sla_alert')",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!((records, events), (1, 1));
    // Each replica ends with the server's one entry in the timeline.
    for d in [&s1, &s2] {
        eventually(
            "the replica holds exactly the server's alert",
            WAIT,
            || async {
                let (n, provisional): (i64, i64) = sqlx::query_as(
                    // Local entries have negative ids until the server's replace them.
                    "SELECT count(*), count(*) FILTER (WHERE id < 0)
                 FROM ticket_events WHERE ticket_id = ? AND kind = 'sla_alert'",
                )
                .bind(t.0)
                .fetch_one(d.ws.pool())
                .await
                .unwrap();
                n == 1 && provisional == 0
            },
        )
        .await;
    }
}
