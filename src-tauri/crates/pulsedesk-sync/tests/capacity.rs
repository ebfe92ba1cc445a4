//! Waiting for capacity in team mode: the team service's assigner marks a pool ticket it
//! cannot place (with the reason, and a `capacity_wait` entry in its log); a supervisor's
//! replica follows, counts it on the board and opens one episode for it; once an agent
//! can take the ticket the service assigns it, the wait ends and so does the episode.

#![allow(clippy::unwrap_used)]

mod common;

use common::{desk, eventually};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::kinds::{Role, WaitReason};
use pulsedesk_shared::testing::{create, db};
use pulsedesk_store::Episode;
use std::time::Duration;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_nobody_can_take_waits_and_the_supervisor_sees_one_episode() {
    let db = db().await;
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("李娜", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let li_id = db.connect(&agent).await.actor().id.0;
    let t = create(&db, &chen, "没人在线").await;

    // The service's assigner: li is offline, so the ticket waits, once.
    let service = db.connect(&db.service_login().await).await;
    let mut seat = service.take_assigner_seat().await.unwrap().unwrap();
    let drained = seat.drain(db.clock.now()).await.unwrap();
    assert_eq!(drained.waiting, vec![t]);
    assert!(drained.assigned.is_empty());
    let again = seat.drain(db.clock.now()).await.unwrap();
    assert!(again.waiting.is_empty(), "marked once: {again:?}");
    let (since, reason): (Option<chrono::DateTime<chrono::Utc>>, Option<String>) =
        sqlx::query_as("SELECT waiting_since, wait_reason FROM tickets WHERE id = $1")
            .bind(t.0)
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert!(since.is_some());
    assert_eq!(reason.as_deref(), Some(WaitReason::NobodyOnline.as_str()));

    // The supervisor's desktop follows: the board counts it, and one episode opens.
    let s = desk(&db, &sup).await;
    eventually(
        "the replica knows it waits",
        Duration::from_secs(10),
        || async {
            let w: Option<i64> =
                sqlx::query_scalar("SELECT waiting_since FROM tickets WHERE id = ?")
                    .bind(t.0)
                    .fetch_optional(s.ws.pool())
                    .await
                    .unwrap()
                    .flatten();
            w.is_some()
        },
    )
    .await;
    let board = s.ws.board(&s.actor, None).await.unwrap();
    assert_eq!(board.waiting.tickets, 1);
    assert!(matches!(
        s.ws.settle_capacity_episode().await.unwrap(),
        Some(Episode::Started { waiting: 1, .. })
    ));
    assert_eq!(s.ws.settle_capacity_episode().await.unwrap(), None);

    // li comes online: the service assigns the ticket and the wait ends, on both sides.
    let mut li = db.psql(&agent).await;
    sqlx::query("SELECT pd_set_presence('online')")
        .execute(&mut li)
        .await
        .unwrap();
    let placed = seat.drain(db.clock.now()).await.unwrap();
    assert_eq!(
        placed.assigned,
        vec![(t, pulsedesk_core::ids::UserId(li_id))]
    );
    let (since,): (Option<chrono::DateTime<chrono::Utc>>,) =
        sqlx::query_as("SELECT waiting_since FROM tickets WHERE id = $1")
            .bind(t.0)
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert_eq!(since, None);
    let kinds: Vec<String> =
        sqlx::query_scalar("SELECT kind FROM ticket_events WHERE ticket_id = $1 ORDER BY id")
            .bind(t.0)
            .fetch_all(db.owner.pool())
            .await
            .unwrap();
    assert_eq!(
        kinds,
        ["created", "capacity_wait", "assigned", "stage_changed"]
    );
    eventually(
        "the replica sees it placed",
        Duration::from_secs(10),
        || async { s.ticket(t.0).await.is_some_and(|r| r.3 == Some(li_id)) },
    )
    .await;
    assert!(matches!(
        s.ws.settle_capacity_episode().await.unwrap(),
        Some(Episode::Ended { .. })
    ));
    assert_eq!(s.ws.board(&s.actor, None).await.unwrap().waiting.tickets, 0);
    seat.release().await;
}
