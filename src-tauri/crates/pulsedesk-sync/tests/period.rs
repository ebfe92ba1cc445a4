//! Reports of a period older than the replica keeps: read from the PostgreSQL server into a
//! workspace of their own, and their figures match a fold of the server's own event log.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration as Span, Utc};
use common::{act, desk, eventually, finish, mean, start_work};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::ticket::{EventKind, TicketCommand, TicketState};
use pulsedesk_shared::testing::{create, db};
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_month_older_than_the_replica_is_reported_from_the_server() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("吴婷", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let wu = db.connect(&agent).await;
    let step = |minutes: i64| db.clock.advance(Span::minutes(minutes));

    // Ten tickets on 2026-11-23 (Beijing), eight of them answered and six finished.
    let day = db.clock.local_day(db.clock.now());
    let mut ids = Vec::new();
    for i in 0..10 {
        ids.push(create(&db, &chen, &format!("旧工单 {i}")).await);
        step(4 + i);
    }
    // The first two stay in the pool.
    for (i, t) in ids.iter().enumerate().filter(|(i, _)| *i >= 2) {
        act(&db, &wu, *t, TicketCommand::Claim).await;
        step(3 + i as i64);
        act(&db, &wu, *t, start_work()).await;
        step(5 * i as i64);
        if i < 8 {
            act(&db, &wu, *t, finish()).await;
            step(13);
        }
    }

    // Seventy days on, one new ticket; the replica keeps 30 days of finished tickets.
    db.clock.advance(Span::days(70));
    create(&db, &chen, "新工单").await;
    let s = desk(&db, &sup).await;
    eventually(
        "the replica holds the open tickets",
        Duration::from_secs(10),
        || async { s.tickets().await.len() == 5 },
    )
    .await;
    let engine = s.engine.as_ref().unwrap();
    let local = s.ws.monthly_report(&s.actor, day).await.unwrap();
    assert!(!engine.replica_reaches(local.from));
    assert_eq!(
        local.this_month.resolved, 0,
        "the replica no longer has them"
    );

    // The month read from the server.
    let dir = tempfile::tempdir().unwrap();
    let since = db.clock.now() - Span::days(200);
    let period = engine
        .period_workspace(&dir.path().join("period.db"), since, db.clock.now())
        .await
        .unwrap();
    let report = period.monthly_report(&s.actor, day).await.unwrap();

    // The oracle: the server's own log, folded.
    let rows: Vec<(i64, DateTime<Utc>, String)> = sqlx::query_as(
        "SELECT ticket_id, at, data::text FROM ticket_events ORDER BY ticket_id, id",
    )
    .fetch_all(db.owner.pool())
    .await
    .unwrap();
    let mut all: BTreeMap<i64, TicketState> = BTreeMap::new();
    for (ticket, at, data) in rows {
        let kind: EventKind = serde_json::from_str(&data).unwrap();
        all.entry(ticket).or_default().apply(at, &kind);
    }
    let within = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= report.from && t < report.to);
    let logged = all
        .values()
        .filter(|s| within(s.timings.created_at))
        .count();
    let fr: Vec<i64> = all
        .values()
        .filter(|s| within(s.timings.first_response_at))
        .map(|s| s.timings.first_response_secs().unwrap())
        .collect();
    let res: Vec<i64> = all
        .values()
        .filter(|s| within(s.timings.resolved_at))
        .map(|s| s.timings.resolution_secs().unwrap())
        .collect();
    let m = &report.this_month;
    assert_eq!(
        (m.logged as usize, m.resolved as usize),
        (logged, res.len())
    );
    assert_eq!((logged, res.len(), fr.len()), (10, 6, 8));
    assert_eq!(m.first_response.secs, mean(&fr));
    assert_eq!(m.first_response.tickets as usize, fr.len());
    assert_eq!(m.resolution.secs, mean(&res));
    // Backlog now: the two never claimed, the two left in progress, and the new one.
    assert_eq!(report.backlog, 5);

    // Read three tickets at a time, the same month comes out the same.
    let chunked = pulsedesk_sync::period_workspace(
        &chen,
        db.clock.clone(),
        &dir.path().join("chunked.db"),
        (since, db.clock.now()),
        3,
    )
    .await
    .unwrap();
    assert_eq!(chunked.monthly_report(&s.actor, day).await.unwrap(), report);
    chunked.close().await;

    // The weekly review of that week, from the same workspace: the agent's six finished.
    let review = period.weekly_review(&s.actor, day).await.unwrap();
    let wu_id = wu.actor().id;
    let trend = review.agents.iter().find(|a| a.id == wu_id.0).unwrap();
    assert_eq!(trend.this_week.resolved, 6);
    period.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_a_past_period_fails_plainly_and_leaves_no_file() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    // A port nothing listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let gone = pulsedesk_shared::Server {
        host: "127.0.0.1".into(),
        port,
        database: db.server.database.clone(),
    };
    let s = common::desk_on(&db, &sup, gone).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("period.db");
    let now = db.clock.now();
    let err = s
        .engine
        .as_ref()
        .unwrap()
        .period_workspace(&path, now - Span::days(90), now)
        .await
        .err()
        .unwrap();
    assert!(
        matches!(
            err,
            pulsedesk_sync::SyncError::Shared(pulsedesk_shared::SharedError::Unreachable(_))
        ),
        "{err}"
    );
    assert!(
        !path.exists(),
        "nothing is written before the server answers"
    );
}
