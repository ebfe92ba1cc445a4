//! A team database made by the previous release's schema upgrades in place: every ticket,
//! event, note, customer and member is still there and readable after `Owner::migrate`, and
//! the team keeps working on it.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{create, db_at, superuser, TestDb};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::kinds::{NoteAudience, Role};
use pulsedesk_core::ticket::TicketCommand;
use pulsedesk_shared::command::{Applied, Command, Envelope};
use pulsedesk_shared::MIGRATOR;

type Rows = Vec<(i64, String, String, Option<i64>, String)>;

/// Every ticket as the owner sees it, with its events and notes in order.
async fn everything(db: &TestDb) -> (Rows, Vec<(i64, String)>, Vec<(i64, String)>, i64, i64) {
    let pool = db.owner.pool();
    let tickets: Rows =
        sqlx::query_as("SELECT id, number, stage, assignee_id, subject FROM tickets ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    let events: Vec<(i64, String)> =
        sqlx::query_as("SELECT ticket_id, kind FROM ticket_events ORDER BY id")
            .fetch_all(pool)
            .await
            .unwrap();
    let notes: Vec<(i64, String)> = sqlx::query_as("SELECT ticket_id, body FROM notes ORDER BY id")
        .fetch_all(pool)
        .await
        .unwrap();
    let (customers,): (i64,) = sqlx::query_as("SELECT count(*) FROM customers")
        .fetch_one(pool)
        .await
        .unwrap();
    let (users,): (i64,) = sqlx::query_as("SELECT count(*) FROM users")
        .fetch_one(pool)
        .await
        .unwrap();
    (tickets, events, notes, customers, users)
}

/// The migrations of the release before the team service wrote the team's data (0001–0013).
const RELEASED: usize = 13;

#[tokio::test]
async fn a_database_made_by_the_previous_schema_upgrades_in_place_with_nothing_lost() {
    let all = MIGRATOR.migrations.len();
    let db = db_at(superuser(), RELEASED).await;
    let sup = db.member("chen", Role::Supervisor).await;
    let wang = db.member("wang", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let w = db.connect(&wang).await;

    // A team's work on the old schema, where each desktop applied its own commands: tickets
    // (logged by the member's own login), a claim, notes.
    let mut ids = Vec::new();
    for i in 0..5 {
        let new = Envelope::new(
            db.clock.now(),
            Command::CreateTicket {
                ticket: pulsedesk_shared::testing::new_ticket(&format!("升级前的工单 {i}")),
            },
        );
        match chen.apply(&new).await.unwrap() {
            Applied::Done { ticket } => ids.push(ticket),
            Applied::AlreadyApplied => panic!("a new command was seen before"),
        }
    }
    // The claim and the notes as the old desktops wrote them (today's writes know columns
    // the old schema lacks): the row, and its log entries.
    let wang_id = w.actor().id.0;
    let pool = db.owner.pool();
    sqlx::query(
        "UPDATE tickets SET stage = 'to_contact', assignee_id = $2, version = version + 1
         WHERE id = $1",
    )
    .bind(ids[0].0)
    .bind(wang_id)
    .execute(pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES
             ($1, now(), $2, 'assigned', jsonb_build_object('type', 'assigned', 'from', NULL, 'to', $2)),
             ($1, now(), $2, 'stage_changed', jsonb_build_object('type', 'stage_changed',
                 'from', 'unassigned', 'to', 'to_contact', 'outcome', NULL))",
    )
    .bind(ids[0].0)
    .bind(wang_id)
    .execute(pool)
    .await
    .unwrap();
    let chen_id = chen.actor().id.0;
    for (t, body) in [(ids[0], "客户来电确认地址"), (ids[1], "等待仓库回复")] {
        sqlx::query(
            "WITH n AS (
                 INSERT INTO notes (ticket_id, author_id, audience, body, created_at)
                 VALUES ($1, $2, 'internal', $3, now()) RETURNING id)
             INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data)
             SELECT $1, now(), $2, 'note_added',
                    jsonb_build_object('type', 'note_added', 'note_id', n.id, 'audience', 'internal')
             FROM n",
        )
        .bind(t.0)
        .bind(chen_id)
        .bind(body)
        .execute(pool)
        .await
        .unwrap();
    }
    let before = everything(&db).await;
    assert_eq!(before.0.len(), 5);
    assert_eq!(before.2.len(), 2);

    // The upgrade, in place.
    db.owner.migrate().await.unwrap();
    let (applied,): (i64,) = sqlx::query_as("SELECT count(*) FROM _sqlx_migrations WHERE success")
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(usize::try_from(applied).unwrap(), all);

    // Nothing lost, nothing changed.
    assert_eq!(everything(&db).await, before);
    // Still readable through the members' own logins (row-level security included)...
    let (seen,): (i64,) = sqlx::query_as("SELECT count(*) FROM tickets")
        .fetch_one(chen.pool())
        .await
        .unwrap();
    assert_eq!(seen, 5);
    let bodies: Vec<(String,)> = sqlx::query_as("SELECT body FROM notes ORDER BY id")
        .fetch_all(chen.pool())
        .await
        .unwrap();
    assert_eq!(
        bodies,
        [
            ("客户来电确认地址".to_owned(),),
            ("等待仓库回复".to_owned(),)
        ]
    );
    // ...no longer written by them: an old desktop's own write is refused...
    let late = Envelope::new(
        db.clock.now(),
        Command::AddNote {
            ticket: ids[2],
            audience: NoteAudience::Internal,
            body: "旧版桌面端".into(),
        },
    );
    assert!(chen.apply(&late).await.is_err(), "a member wrote directly");
    // ...and the team keeps working on it through the team service.
    let after = create(&db, &chen, "升级后的工单").await;
    let reclaim = Envelope::new(
        db.clock.now(),
        Command::Ticket {
            ticket: after,
            change: TicketCommand::Claim,
        },
    );
    assert_eq!(
        db.as_member(&w).await.apply(&reclaim).await.unwrap(),
        Applied::Done { ticket: after }
    );
    assert_eq!(everything(&db).await.0.len(), 6);
}
