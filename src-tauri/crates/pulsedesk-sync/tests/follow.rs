//! Desktops following one shared database: changes travel as commands and come back
//! through the feed into every replica that may see them.

mod common;

use common::{desk, desk_on, eventually, server_view};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{NoteAudience, Role, Stage};
use pulsedesk_shared::testing::{db, new_ticket};
use pulsedesk_shared::Server;
use pulsedesk_sync::Link;
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(10);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_logged_on_one_desktop_reaches_the_others_and_a_claim_comes_back() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("吴婷", Role::Agent).await;
    let s = desk(&db, &sup).await;
    let a = desk(&db, &agent).await;

    // Logged on the supervisor's desktop: a provisional ticket at once, numbered by the server.
    let row =
        s.ws.create_ticket(&s.actor, &new_ticket("包裹三天没有物流更新"))
            .await
            .unwrap();
    assert!(row.id.0 < 0 && row.number.starts_with("NEW-"), "{row:?}");
    s.kick();
    eventually(
        "the agent's replica has the numbered ticket",
        WAIT,
        || async { a.tickets().await.iter().any(|t| t.1.starts_with("CS")) },
    )
    .await;
    let id = a.tickets().await[0].0;
    eventually("the provisional ticket is replaced", WAIT, || async {
        s.tickets().await.iter().map(|t| t.0).collect::<Vec<_>>() == vec![id]
    })
    .await;
    // The masked customer came along; the full phone number did not.
    let (name, phone): (String, String) = sqlx::query_as("SELECT name, phone FROM customers")
        .fetch_one(a.ws.pool())
        .await
        .unwrap();
    assert_eq!((name.as_str(), phone.as_str()), ("张**", "138****1234"));
    let shown =
        a.ws.ticket_detail(&a.actor, TicketId(id))
            .await
            .unwrap()
            .customer;
    assert_eq!(
        (
            shown.name.as_str(),
            shown.phone.as_str(),
            shown.email.as_str()
        ),
        ("张**", "138****1234", "z***@example.com"),
        "the ticket view masks the already-masked values to themselves"
    );

    // The agent takes it and writes a note; the supervisor's replica follows.
    a.ws.claim_ticket(&a.actor, TicketId(id)).await.unwrap();
    a.ws.move_ticket(&a.actor, TicketId(id), Stage::InProgress, None)
        .await
        .unwrap();
    a.ws.add_note(&a.actor, TicketId(id), NoteAudience::Internal, "已联系物流")
        .await
        .unwrap();
    a.kick();
    eventually("the supervisor sees the agent's work", WAIT, || async {
        s.ticket(id)
            .await
            .is_some_and(|t| t.2 == "in_progress" && t.3 == Some(a.actor.id.0))
    })
    .await;
    eventually(
        "the supervisor has the note, with the server's id",
        WAIT,
        || async {
            let notes: Vec<(i64, String)> = sqlx::query_as("SELECT id, body FROM notes")
                .fetch_all(s.ws.pool())
                .await
                .unwrap();
            notes.len() == 1 && notes[0].0 > 0 && notes[0].1 == "已联系物流"
        },
    )
    .await;
    // Both replicas hold exactly what the server holds for their member.
    eventually("both replicas match the server", WAIT, || async {
        s.tickets().await == server_view(&db, &sup).await
            && a.tickets().await == server_view(&db, &agent).await
    })
    .await;
    assert_eq!(a.status().await.pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn offline_a_desktop_reviews_its_cache_queues_edits_and_sends_them_on_reconnect() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let agent = db.member("吴婷", Role::Agent).await;
    let s = desk(&db, &sup).await;
    let mut a = desk(&db, &agent).await;
    s.ws.create_ticket(&s.actor, &new_ticket("发票抬头错误"))
        .await
        .unwrap();
    s.kick();
    eventually("the agent has the ticket", WAIT, || async {
        a.tickets().await.iter().any(|t| t.0 > 0)
    })
    .await;
    let id = a.tickets().await[0].0;

    // The server is unreachable for this desktop (nothing listens on port 9).
    a.stop().await;
    let nowhere = Server {
        port: 9,
        ..db.server.clone()
    };
    a.start(&db, nowhere);
    eventually("the desktop says it is offline", WAIT, || async {
        matches!(a.status().await.link, Link::Offline { .. })
    })
    .await;
    // Review keeps working on the cache: pool, ticket, search.
    let pool =
        a.ws.list_pool(
            &a.actor,
            &pulsedesk_core::view::PoolQuery {
                search: Some("发票".into()),
                limit: 50,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(pool.rows.len(), 1);
    a.ws.ticket_detail(&a.actor, TicketId(id)).await.unwrap();
    // Edits queue, visibly.
    a.ws.claim_ticket(&a.actor, TicketId(id)).await.unwrap();
    a.ws.add_note(&a.actor, TicketId(id), NoteAudience::Internal, "离线时写的")
        .await
        .unwrap();
    assert_eq!(a.status().await.pending, 2);
    // The app is told too (it shows the count from what the engine publishes), offline.
    a.kick();
    eventually(
        "the queued count is published while offline",
        WAIT,
        || async {
            a.seen
                .statuses
                .lock()
                .unwrap()
                .last()
                .is_some_and(|s| s.pending == 2 && matches!(s.link, Link::Offline { .. }))
        },
    )
    .await;
    // Server state is not applied over a ticket with unsent edits.
    let held =
        a.ws.apply_tickets(&[], &[TicketId(id)], None)
            .await
            .unwrap();
    assert_eq!(held.held, vec![TicketId(id)]);
    assert_eq!(a.ticket(id).await.unwrap().3, Some(a.actor.id.0));

    // Back online: sent in order, once.
    a.stop().await;
    a.start(&db, db.server.clone());
    eventually("the queue drains", WAIT, || async {
        a.status().await.pending == 0
    })
    .await;
    eventually("the supervisor sees the claim", WAIT, || async {
        s.ticket(id)
            .await
            .is_some_and(|t| t.3 == Some(a.actor.id.0))
    })
    .await;
    let (commands, notes): (i64, i64) =
        sqlx::query_as("SELECT (SELECT count(*) FROM commands), (SELECT count(*) FROM notes)")
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert_eq!((commands, notes), (3, 1), "create, claim, note: each once");
    eventually("the desktop says it is online", WAIT, || async {
        a.status().await.link == Link::Online
    })
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_edit_the_server_refuses_is_kept_with_its_reason_and_the_server_wins() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let sup = db.member("陈静", Role::Supervisor).await;
    let first = db.member("吴婷", Role::Agent).await;
    let second = db.member("周杰", Role::Agent).await;
    let s = desk(&db, &sup).await;
    let a = desk(&db, &first).await;
    let mut b = desk(&db, &second).await;
    s.ws.create_ticket(&s.actor, &new_ticket("退款未到账"))
        .await
        .unwrap();
    s.kick();
    eventually("both agents have the ticket", WAIT, || async {
        a.tickets().await.iter().any(|t| t.0 > 0) && b.tickets().await.iter().any(|t| t.0 > 0)
    })
    .await;
    let id = a.tickets().await[0].0;

    // B is offline and claims; A claims online first.
    b.stop().await;
    b.ws.claim_ticket(&b.actor, TicketId(id)).await.unwrap();
    a.ws.claim_ticket(&a.actor, TicketId(id)).await.unwrap();
    a.kick();
    eventually("A's claim is on the server", WAIT, || async {
        server_view(&db, &sup).await[0].3 == Some(a.actor.id.0)
    })
    .await;
    b.start(&db, db.server.clone());
    eventually("B's claim is refused", WAIT, || async {
        b.status().await.rejected == 1
    })
    .await;
    let refused = b.ws.outbox_rejections().await.unwrap();
    assert_eq!(refused[0].kind, "claim");
    assert_eq!(refused[0].ticket, Some(TicketId(id)));
    assert!(
        refused[0].reason.contains("already taken"),
        "{}",
        refused[0].reason
    );
    // The server's state replaced B's optimistic claim: the ticket is A's, so B no longer
    // sees it at all.
    eventually("B's replica drops A's ticket", WAIT, || async {
        b.ticket(id).await.is_none()
    })
    .await;
    b.ws.dismiss_rejection(&refused[0].id).await.unwrap();
    assert_eq!(b.status().await.rejected, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_stops_the_engine_with_a_plain_reason() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let agent = db.member("吴婷", Role::Agent).await;
    let mut a = desk(&db, &agent).await;
    eventually("online", WAIT, || async {
        a.status().await.link == Link::Online
    })
    .await;
    a.stop().await;
    db.owner
        .reset_password(&agent, "another password 123")
        .await
        .unwrap();
    a.start(&db, db.server.clone());
    eventually("the login is refused", WAIT, || async {
        matches!(a.status().await.link, Link::Refused { .. })
    })
    .await;
    let _ = desk_on;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_priority_changed_on_one_desktop_reaches_the_others() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let chen = db.member("陈静", Role::Supervisor).await;
    let liu = db.member("刘洋", Role::Supervisor).await;
    let a = desk(&db, &chen).await;
    let b = desk(&db, &liu).await;
    let t = pulsedesk_shared::testing::create(&db, &db.connect(&chen).await, "加急处理").await;
    let priority = |d: &common::Desk| {
        let ws = d.ws.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT priority FROM tickets WHERE id = ?")
                .bind(t.0)
                .fetch_optional(ws.pool())
                .await
                .unwrap()
        }
    };
    eventually("both replicas have the ticket", WAIT, || async {
        priority(&a).await.is_some() && priority(&b).await.is_some()
    })
    .await;

    // Changed on A at once (queued), then on the server, then on B.
    a.ws.change_priority(&a.actor, t, pulsedesk_core::kinds::Priority::Urgent)
        .await
        .unwrap();
    assert_eq!(priority(&a).await.as_deref(), Some("urgent"));
    a.kick();
    eventually("B shows the new priority", WAIT, || async {
        priority(&b).await.as_deref() == Some("urgent")
    })
    .await;
    let on_server: (String,) = sqlx::query_as("SELECT priority FROM tickets WHERE id = $1")
        .bind(t.0)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(on_server.0, "urgent");
    eventually(
        "A's change is settled and its entry is the server's",
        WAIT,
        || async {
            let ids: Vec<i64> = sqlx::query_scalar(
                "SELECT id FROM ticket_events WHERE ticket_id = ? AND kind = 'priority_changed'",
            )
            .bind(t.0)
            .fetch_all(a.ws.pool())
            .await
            .unwrap();
            a.status().await.pending == 0 && ids.len() == 1 && ids[0] > 0
        },
    )
    .await;
}
