//! The team board in team mode: it reads the desktop's replica, and its figures match a
//! fold of the event log held by the PostgreSQL server itself.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration as Span, Utc};
use common::{act, desk, eventually, finish, mean, start_work};
use pulsedesk_core::kinds::{Role, Stage};
use pulsedesk_core::ticket::{EventKind, TicketCommand, TicketState};
use pulsedesk_shared::testing::{create, db};
use std::collections::BTreeMap;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_board_on_a_replica_matches_the_servers_log() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("吴婷", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let wu = db.connect(&agent).await;

    // Twelve tickets through the server: some waiting, some answered, some finished, with
    // the clock moving between steps so every timing differs.
    let step = |minutes: i64| db.clock.advance(Span::minutes(minutes));
    let mut ids = Vec::new();
    for i in 0..12 {
        ids.push(create(&db, &chen, &format!("工单 {i}")).await);
        step(3 + i);
    }
    for (i, t) in ids.iter().enumerate().skip(3) {
        act(&db, &wu, *t, TicketCommand::Claim).await;
        step(2 + i as i64);
        if i < 10 {
            act(&db, &wu, *t, start_work()).await;
            step(7 * i as i64);
        }
        if i < 7 {
            act(&db, &wu, *t, finish()).await;
            step(11);
        }
    }

    // The supervisor's desktop fills its replica from the server.
    let s = desk(&db, &sup).await;
    eventually(
        "the replica holds all twelve",
        Duration::from_secs(10),
        || async { s.tickets().await.len() == 12 },
    )
    .await;
    // The first fill is a bulk load: the planner has whole statistics for it at once (the
    // replica was empty when it opened).
    let (analysed,): (String,) =
        sqlx::query_as("SELECT stat FROM sqlite_stat1 WHERE idx = 'tickets_by_stage'")
            .fetch_one(s.ws.pool())
            .await
            .unwrap();
    assert!(analysed.starts_with("12 "), "statistics {analysed}");
    let board = s.ws.board(&s.actor, None).await.unwrap();

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
    assert_eq!(all.len(), 12);
    for p in &board.periods {
        let within = |t: Option<DateTime<Utc>>| t.is_some_and(|t| t >= p.from && t < p.to);
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
        let created = all
            .values()
            .filter(|s| within(s.timings.created_at))
            .count();
        assert_eq!(p.created as usize, created, "{:?}", p.key);
        assert_eq!(p.first_response.secs, mean(&fr), "{:?}", p.key);
        assert_eq!(p.first_response.tickets as usize, fr.len(), "{:?}", p.key);
        assert_eq!(p.resolution.secs, mean(&res), "{:?}", p.key);
    }
    let week = &board.periods[1];
    assert_eq!(
        (week.first_response.tickets, week.resolution.tickets),
        (7, 4)
    );
    for sc in &board.backlog_by_stage {
        let n = all.values().filter(|s| s.stage == sc.stage).count();
        assert_eq!(sc.tickets as usize, n, "{:?}", sc.stage);
    }
    assert_eq!(board.waiting.tickets, 3);
    let wu_id = wu.actor().id;
    let mine = board.agents.iter().find(|a| a.id == wu_id).unwrap();
    let open = all
        .values()
        .filter(|s| s.assignee == Some(wu_id) && s.stage != Stage::Done)
        .count();
    assert_eq!(mine.open as usize, open);
}
