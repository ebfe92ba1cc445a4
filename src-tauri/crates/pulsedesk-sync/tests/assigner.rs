//! The team's assigner across desktops: exactly one running desktop assigns; when it quits
//! or its connection is cut, another takes over within seconds. SLA alerts seen on several
//! desktops are recorded once on the server.

#![allow(clippy::unwrap_used)]

mod common;

use common::{desk, eventually, Desk};
use pulsedesk_core::kinds::{Presence, Role};
use pulsedesk_core::sla::alert::dues_of;
use pulsedesk_core::sla::AlertLevel;
use pulsedesk_shared::testing::{create, TestDb};
use std::time::{Duration, Instant};

const WAIT: Duration = Duration::from_secs(15);

async fn seated(desks: &[&Desk]) -> Vec<usize> {
    let mut out = Vec::new();
    for (i, d) in desks.iter().enumerate() {
        if d.engine.is_some() && d.status().await.assigner {
            out.push(i);
        }
    }
    out
}

/// Everything queued in a desktop's outbox, bookkeeping included.
async fn outbox(d: &Desk) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM outbox")
        .fetch_one(d.ws.pool())
        .await
        .unwrap();
    n
}

/// How many connections hold the assigner's lock on the server.
async fn holders(db: &TestDb) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND classid = 1346651204::oid AND objid = 1::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    n
}

/// (ticket, assignee, assigned events) for every ticket on the server.
async fn assignments(db: &TestDb) -> Vec<(i64, Option<i64>, i64)> {
    sqlx::query_as(
        "SELECT t.id, t.assignee_id,
                (SELECT count(*) FROM ticket_events e WHERE e.ticket_id = t.id AND e.kind = 'assigned')
         FROM tickets t ORDER BY t.id",
    )
    .fetch_all(db.owner.pool())
    .await
    .unwrap()
}

/// An agent whose own desktop is running and online.
async fn online_agent(db: &TestDb, name: &str) -> Desk {
    let login = db.member(name, Role::Agent).await;
    let d = desk(db, &login).await;
    d.ws.set_presence(d.actor.id, Presence::Online, false)
        .await
        .unwrap();
    d.engine.as_ref().unwrap().presence_changed();
    d
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn one_desktop_assigns_and_another_takes_over_when_it_quits() {
    let db = pulsedesk_shared::testing::db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let mut s = desk(&db, &sup).await;
    let mut a = online_agent(&db, "吴婷").await;
    let mut b = online_agent(&db, "李娜").await;
    eventually("one desktop holds the seat", WAIT, || async {
        seated(&[&s, &a, &b]).await.len() == 1
    })
    .await;
    // And only one, for a while.
    for _ in 0..10 {
        assert_eq!(seated(&[&s, &a, &b]).await.len(), 1);
        assert_eq!(holders(&db).await, 1);
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    eventually("both agents count as online", WAIT, || async {
        let (n,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM users WHERE role = 'agent' AND presence = 'online'",
        )
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
        n == 2
    })
    .await;

    let chen = db.connect(&sup).await;
    for i in 0..6 {
        create(&db, &chen, &format!("工单 {i}")).await;
    }
    eventually("all six are assigned", WAIT, || async {
        assignments(&db).await.iter().all(|t| t.1.is_some())
    })
    .await;
    let rows = assignments(&db).await;
    assert!(
        rows.iter().all(|t| t.2 == 1),
        "assigned exactly once: {rows:?}"
    );
    let to_a = rows.iter().filter(|t| t.1 == Some(a.actor.id.0)).count();
    assert_eq!(to_a, 3, "least loaded first spreads them evenly: {rows:?}");
    // Every replica that may see them has them as assigned.
    eventually(
        "the supervisor's replica shows the assignments",
        WAIT,
        || async {
            let mine = s.tickets().await;
            mine.len() == 6 && mine.iter().all(|t| t.2 == "to_contact" && t.3.is_some())
        },
    )
    .await;

    // The seated desktop quits; another takes the seat within seconds.
    let desks = [&mut s, &mut a, &mut b];
    let holder = seated(&[&*desks[0], &*desks[1], &*desks[2]]).await[0];
    let quit = Instant::now();
    desks[holder].stop().await;
    let (x, y) = match holder {
        0 => (1, 2),
        1 => (0, 2),
        _ => (0, 1),
    };
    eventually("another desktop takes the seat", WAIT, || async {
        seated(&[&*desks[x], &*desks[y]]).await.len() == 1
    })
    .await;
    let takeover = quit.elapsed();
    assert!(
        takeover < Duration::from_secs(5),
        "took {takeover:?} to take over"
    );
    assert_eq!(holders(&db).await, 1);
    // The new assigner carries on (a desktop that quit without signing out keeps its
    // member online until their heartbeat lapses, so either agent may get these).
    for i in 6..8 {
        create(&db, &chen, &format!("工单 {i}")).await;
    }
    eventually("the new assigner assigns the new tickets", WAIT, || async {
        assignments(&db).await.iter().all(|t| t.1.is_some())
    })
    .await;
    assert!(assignments(&db).await.iter().all(|t| t.2 == 1));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cut_assigner_connection_frees_the_seat_for_another_desktop() {
    let db = pulsedesk_shared::testing::db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let s1 = desk(&db, &db.member("陈静", Role::Supervisor).await).await;
    let s2 = desk(&db, &db.member("周杰", Role::Supervisor).await).await;
    eventually("one desktop holds the seat", WAIT, || async {
        seated(&[&s1, &s2]).await.len() == 1
    })
    .await;
    let (pid,): (i32,) = sqlx::query_as(
        "SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted
           AND classid = 1346651204::oid AND objid = 1::oid
           AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    let cut = Instant::now();
    let (done,): (bool,) = sqlx::query_as("SELECT pg_terminate_backend($1)")
        .bind(pid)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert!(done);
    eventually("a new connection holds the seat", WAIT, || async {
        let (n, other): (i64, bool) = sqlx::query_as(
            "SELECT count(*), bool_or(pid <> $1) FROM pg_locks WHERE locktype = 'advisory'
               AND granted AND classid = 1346651204::oid AND objid = 1::oid
               AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        )
        .bind(pid)
        .fetch_one(db.owner.pool())
        .await
        .unwrap_or((0, false));
        n == 1 && other
    })
    .await;
    assert!(
        cut.elapsed() < Duration::from_secs(5),
        "{:?}",
        cut.elapsed()
    );
    // The desktop that lost it knows: exactly one says it assigns.
    eventually("exactly one desktop says it assigns", WAIT, || async {
        seated(&[&s1, &s2]).await.len() == 1
    })
    .await;
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
