//! Faults: connections cut mid-stream and the server stopped and started again, on a
//! cluster of this test's own (so other tests keep theirs). Queued edits arrive exactly
//! once and the desktops recover without a restart.

#![allow(clippy::unwrap_used)]

mod common;

use common::{desk, eventually, server_view};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{NoteAudience, Role};
use pulsedesk_shared::testing::{db_on, new_ticket, Cluster};
use pulsedesk_sync::Link;
use sqlx::postgres::PgConnectOptions;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edits_survive_cut_connections_and_a_server_restart_exactly_once() {
    let cluster = Cluster::start();
    let su: PgConnectOptions = cluster.url.parse().unwrap();
    let db = db_on(su).await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("吴婷", Role::Agent).await;
    let s = desk(&db, &sup).await;
    let a = desk(&db, &agent).await;
    for i in 0..5 {
        s.ws.create_ticket(&s.actor, &new_ticket(&format!("工单 {i}")))
            .await
            .unwrap();
    }
    s.kick();
    eventually("the agent has five tickets", WAIT, || async {
        a.tickets().await.iter().filter(|t| t.0 > 0).count() == 5
    })
    .await;
    let ids: Vec<i64> = a.tickets().await.iter().map(|t| t.0).collect();

    let mut queued = 0;
    for id in &ids {
        a.ws.claim_ticket(&a.actor, TicketId(*id)).await.unwrap();
        queued += 1;
    }
    a.kick();
    // Mid-stream: notes are sent while every session is cut, three times over.
    let mut cut = 0;
    for round in 0..3 {
        for id in &ids {
            a.ws.add_note(
                &a.actor,
                TicketId(*id),
                NoteAudience::Internal,
                &format!("第{round}轮"),
            )
            .await
            .unwrap();
            queued += 1;
            a.kick();
        }
        cut += cluster.cut(&db.name).await;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert!(cut > 0, "sessions were open to cut");

    // The server goes away: the desktop says so, review and edits carry on.
    cluster.down();
    eventually("the agent's desktop is offline", WAIT, || async {
        matches!(a.status().await.link, Link::Offline { .. })
    })
    .await;
    a.ws.move_ticket(
        &a.actor,
        TicketId(ids[0]),
        pulsedesk_core::kinds::Stage::InProgress,
        None,
    )
    .await
    .unwrap();
    a.ws.add_note(
        &a.actor,
        TicketId(ids[0]),
        NoteAudience::Internal,
        "服务器停机时写的",
    )
    .await
    .unwrap();
    queued += 2;
    assert!(a.status().await.pending >= 2);
    assert_eq!(
        a.tickets().await.len(),
        5,
        "the cache still serves the tickets"
    );

    // Back up: the same engines reconnect and send everything, once.
    cluster.up();
    eventually("the agent's outbox drains", WAIT, || async {
        a.status().await.pending == 0 && a.status().await.link == Link::Online
    })
    .await;
    eventually(
        "the supervisor's replica matches the server",
        WAIT,
        || async { s.tickets().await == server_view(&db, &sup).await },
    )
    .await;
    eventually("the agent's replica matches the server", WAIT, || async {
        a.tickets().await == server_view(&db, &agent).await
    })
    .await;
    let (commands, notes): (i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM commands WHERE kind <> 'create_ticket'),
                (SELECT count(*) FROM notes)",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!(a.status().await.rejected, 0);
    assert_eq!(commands, queued, "every queued edit arrived exactly once");
    assert_eq!(notes, queued - 6, "the claims and the move wrote no note");
    let supervisor_notes: i64 = sqlx::query_scalar("SELECT count(*) FROM notes")
        .fetch_one(s.ws.pool())
        .await
        .unwrap();
    assert_eq!(supervisor_notes, notes);
}
