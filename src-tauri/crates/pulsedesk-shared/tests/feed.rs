//! The change feed never skips a row committed out of sequence order, and concurrent
//! writers' changes each reach a puller exactly once.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{create, db};
use pulsedesk_core::kinds::Role;
use pulsedesk_shared::feed::Batch;
use pulsedesk_shared::feed::{pull, Cursor};
use sqlx::PgConnection;
use std::collections::HashSet;
use std::time::{Duration, Instant};

/// Pulls from `after` until `ok` holds for the batch (or 30 s pass).
async fn pull_until(
    reader: &mut PgConnection,
    after: Cursor,
    ok: impl Fn(&Batch) -> bool,
) -> Batch {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        let batch = pull(reader, after, 100).await.unwrap();
        if ok(&batch) || Instant::now() > deadline {
            return batch;
        }
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
}

#[tokio::test]
async fn a_change_committed_after_a_later_numbered_one_is_still_delivered() {
    let db = db().await;
    let chen = db.connect(&db.member("chen", Role::Supervisor).await).await;
    // The team service's login is part of the setup.
    db.service_login().await;
    let mut reader = chen.pool().acquire().await.unwrap();
    // Read what setting up the team wrote.
    let (setup,): (i64,) = sqlx::query_as("SELECT count(*) FROM changes")
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    let setup = usize::try_from(setup).unwrap();
    let start = pull_until(&mut reader, Cursor::default(), |b| b.rows == setup)
        .await
        .next;

    // A slow transaction takes its transaction id first...
    let mut slow = db.owner.pool().begin().await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()")
        .execute(&mut *slow)
        .await
        .unwrap();
    // ...a quick one logs a ticket and commits (its change row gets the lower number)...
    let quick = create(&db, &chen, "quick").await;
    // ...then the slow one writes its change (a higher number) and is still open.
    sqlx::query("INSERT INTO changes (ticket_id, kind) VALUES (NULL, 'config')")
        .execute(&mut *slow)
        .await
        .unwrap();

    // While the slow one runs, the quick one's row is held back: taking it now would move
    // the cursor past the slow one's row.
    let held = pull(&mut reader, start, 100).await.unwrap();
    assert_eq!((held.rows, held.next), (0, start));

    slow.commit().await.unwrap();
    // Other tests share the server, and the horizon is server-wide: their transactions may
    // hold the feed back a moment longer (a delay, never a loss).
    let batch = pull_until(&mut reader, start, |b| b.rows >= 2).await;
    assert_eq!(batch.rows, 2);
    assert!(batch.config, "the slow transaction's change arrived");
    assert_eq!(batch.tickets, vec![quick]);
    let after = pull(&mut reader, batch.next, 100).await.unwrap();
    assert_eq!(after.rows, 0, "nothing twice");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn concurrent_writers_changes_each_reach_the_puller() {
    let db = db().await;
    let chen = db.connect(&db.member("chen", Role::Supervisor).await).await;
    let mut writers = Vec::new();
    for w in 0..4 {
        let login = db.member(&format!("agent{w}"), Role::Agent).await;
        let desk = db.as_member(&db.connect(&login).await).await;
        let clock = db.clock.clone();
        writers.push(tokio::spawn(async move {
            for i in 0..25 {
                let env = pulsedesk_shared::command::Envelope::new(
                    pulsedesk_core::clock::Clock::now(clock.as_ref()),
                    pulsedesk_shared::command::Command::CreateTicket {
                        ticket: common::new_ticket(&format!("w{w} {i}")),
                    },
                );
                desk.apply(&env).await.unwrap();
            }
        }));
    }
    // Pull in small batches while they write.
    let mut reader = chen.pool().acquire().await.unwrap();
    let mut cursor = Cursor::default();
    let mut seen = Vec::new();
    // Until every ticket arrived (other tests on the server may delay the feed, so the
    // end is "all 100 seen", with a generous deadline, not "an empty pull").
    let deadline = Instant::now() + Duration::from_secs(30);
    while seen.len() < 100 && Instant::now() < deadline {
        let batch = pull(&mut reader, cursor, 7).await.unwrap();
        assert!(batch.next >= cursor, "the cursor only moves forward");
        cursor = batch.next;
        seen.extend(batch.tickets);
        if batch.rows == 0 {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }
    for w in writers {
        w.await.unwrap();
    }
    let all: Vec<(i64,)> = sqlx::query_as("SELECT id FROM tickets")
        .fetch_all(db.owner.pool())
        .await
        .unwrap();
    let unique: HashSet<i64> = seen.iter().map(|t| t.0).collect();
    if seen.len() < 100 {
        // Say who held the server-wide horizon back, for whoever reads the failure.
        let holders: Vec<String> = sqlx::query_scalar(
            "SELECT concat_ws(' | ', datname, application_name, state, left(query, 80))
                 FROM pg_stat_activity
                 WHERE backend_xid IS NOT NULL OR backend_xmin IS NOT NULL",
        )
        .fetch_all(db.owner.pool())
        .await
        .unwrap_or_default();
        eprintln!("transactions holding the feed back: {holders:#?}");
    }
    assert_eq!(seen.len(), 100, "each ticket's one change, once");
    assert_eq!(
        unique,
        all.into_iter().map(|(id,)| id).collect::<HashSet<_>>()
    );
}

/// Transaction ids gain digits as a server ages (999 → 1000). The feed orders by the xid
/// itself, not its text, so a change with a shorter id is never passed over; and a new
/// replica's starting cursor is the highest change, by number.
#[tokio::test]
async fn changes_come_in_numeric_xid_order_across_a_digit_boundary() {
    let db = db().await;
    let chen = db.connect(&db.member("chen", Role::Supervisor).await).await;
    // Two old changes (ids far below any running transaction), the longer id written first.
    sqlx::query("INSERT INTO changes (xid, ticket_id, kind) VALUES ('10'::xid8, NULL, 'config')")
        .execute(db.owner.pool())
        .await
        .unwrap();
    sqlx::query("INSERT INTO changes (xid, ticket_id, kind) VALUES ('9'::xid8, NULL, 'config')")
        .execute(db.owner.pool())
        .await
        .unwrap();
    let mut reader = chen.pool().acquire().await.unwrap();
    let first = pull(&mut reader, Cursor::default(), 1).await.unwrap();
    assert_eq!(first.next.xid, 9, "9 before 10");
    let second = pull(&mut reader, first.next, 1).await.unwrap();
    assert_eq!(second.next.xid, 10);
    drop(reader);
    let newest: i64 = sqlx::query_scalar(
        "SELECT max(xid::text::bigint) FROM changes WHERE xid < pg_snapshot_xmin(pg_current_snapshot())",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    let start = chen.start(chrono::Utc::now()).await.unwrap();
    assert!(
        i64::try_from(start.cursor.xid).unwrap() >= newest,
        "the starting cursor {:?} is the newest change ({newest}), by number",
        start.cursor
    );
}
