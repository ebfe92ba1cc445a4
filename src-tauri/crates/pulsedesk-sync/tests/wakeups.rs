//! Wake-ups alone keep a replica in step: with the safety poll an hour away, bursts of
//! commands from several sessions at once (the feed busy, pulls gathered) all reach it.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{desk_with, eventually, options, Desk};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::kinds::{NoteAudience, Role};
use pulsedesk_shared::command::{Command, Envelope};
use pulsedesk_shared::testing::{create, db, TestDb};
use pulsedesk_sync::{Link, Options};
use std::time::Duration;

/// `login`'s desktop, online, with its safety poll an hour away: nothing but the feed's own
/// signals brings it changes.
async fn online_without_polling(db: &TestDb, login: &str) -> Desk {
    let desk = desk_with(
        db,
        login,
        db.server.clone(),
        Options {
            safety_poll: Duration::from_secs(3600),
            ..options()
        },
    )
    .await;
    eventually("the reader is online", Duration::from_secs(10), || async {
        desk.status().await.link == Link::Online
    })
    .await;
    desk
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn bursts_from_many_sessions_all_arrive_by_wake_ups_alone() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let reader = db.member("刘洋", Role::Supervisor).await;
    let writer = db.connect(&sup).await;
    let mut tickets = Vec::new();
    for i in 0..4 {
        tickets.push(create(&db, &writer, &format!("工单 {i}")).await);
    }
    let mut desk = online_without_polling(&db, &reader).await;

    // Four sessions write 40 notes each, as fast as they can, on their own tickets.
    let mut sessions = Vec::new();
    for _ in &tickets {
        sessions.push(db.as_member(&db.connect(&sup).await).await);
    }
    let bursts = sessions.iter().zip(&tickets).map(|(s, t)| {
        let at = db.clock.now();
        async move {
            for n in 0..40 {
                let note = Envelope::new(
                    at,
                    Command::AddNote {
                        ticket: *t,
                        audience: NoteAudience::Internal,
                        body: format!("第 {n} 条"),
                    },
                );
                s.apply(&note).await.unwrap();
            }
        }
    });
    futures_util::future::join_all(bursts).await;
    eventually(
        "every note reaches the reader's replica",
        Duration::from_secs(10),
        || async {
            let n: i64 = sqlx::query_scalar("SELECT count(*) FROM notes")
                .fetch_one(desk.ws.pool())
                .await
                .unwrap();
            n == 160
        },
    )
    .await;
    desk.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_change_held_behind_a_silent_transaction_arrives_when_it_ends() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let reader = db.member("刘洋", Role::Supervisor).await;
    let writer = db.connect(&sup).await;
    let ticket = create(&db, &writer, "工单").await;
    let mut desk = online_without_polling(&db, &reader).await;
    let notes = || async {
        sqlx::query_scalar::<_, i64>("SELECT count(*) FROM notes")
            .fetch_one(desk.ws.pool())
            .await
            .unwrap()
    };

    // A transaction that holds an id and notifies nobody when it ends (an analyse, an
    // admin's session in psql) is running when the note commits: the feed keeps the note
    // back until it ends, and the note's wake-up has been spent by then.
    let mut silent = db.owner.pool().begin().await.unwrap();
    sqlx::query("SELECT pg_current_xact_id()")
        .execute(&mut *silent)
        .await
        .unwrap();
    let note = Envelope::new(
        db.clock.now(),
        Command::AddNote {
            ticket,
            audience: NoteAudience::Internal,
            body: "等待".into(),
        },
    );
    db.as_member(&writer).await.apply(&note).await.unwrap();
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        notes().await,
        0,
        "the feed keeps it back while the transaction runs"
    );
    silent.rollback().await.unwrap();
    eventually(
        "the note arrives once the transaction ends",
        Duration::from_secs(3),
        || async { notes().await == 1 },
    )
    .await;
    desk.stop().await;
}
