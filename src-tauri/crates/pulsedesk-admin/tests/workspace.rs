//! `pulsedesk-admin import-workspace`: a desktop's embedded workspace moved into a shared
//! database — refused whole while its members are missing, then every ticket, customer
//! and note, with timelines that fold to the same state as the workspace's.

#![allow(clippy::unwrap_used)]

mod common;

use pulsedesk_core::clock::SystemClock;
use pulsedesk_core::kinds::Role;
use pulsedesk_shared::testing::db;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use sqlx::{Connection, PgConnection};

/// (number, stage, outcome, assignee name, customer phone, first response, resolved) per
/// ticket, from a workspace.
type Row = (
    String,
    String,
    Option<String>,
    Option<String>,
    String,
    Option<i64>,
    Option<i64>,
);

/// A ticket's stage and assignee, and its log with each entry's time.
type Log = (
    String,
    Option<i64>,
    Vec<sqlx::types::Json<pulsedesk_core::ticket::EventKind>>,
    Vec<chrono::DateTime<chrono::Utc>>,
);

#[tokio::test]
async fn a_workspace_moves_in_whole_once_its_members_exist() {
    let db = db().await;
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("workspace.db");
    // Real time: the admin imports as of now, and refuses history from the future.
    let ws = Workspace::open(&file, std::sync::Arc::new(SystemClock))
        .await
        .unwrap();
    ws.seed_demo(DemoOptions {
        tickets: 60,
        days: 5,
        seed: 7,
    })
    .await
    .unwrap();
    let expected: Vec<Row> = sqlx::query_as(
        "SELECT t.number, t.stage, t.outcome, u.name, c.phone, t.first_response_at, t.resolved_at
         FROM tickets t JOIN customers c ON c.id = t.customer_id
         LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.number",
    )
    .fetch_all(ws.pool())
    .await
    .unwrap();
    let (notes,): (i64,) = sqlx::query_as("SELECT count(*) FROM notes")
        .fetch_one(ws.pool())
        .await
        .unwrap();
    let team: Vec<(String, String)> = sqlx::query_as("SELECT name, role FROM users ORDER BY id")
        .fetch_all(ws.pool())
        .await
        .unwrap();
    ws.close().await;
    // The demo's 60 tickets, and follow-ups its feedback opened.
    assert!(expected.len() >= 60 && notes > 0);
    let path = file.to_str().unwrap();

    // The team is not in the shared database yet: every missing member is named, and
    // nothing is written.
    let run = common::admin_on(&db.name, &["import-workspace", path]);
    assert!(!run.ok, "{}", run.text());
    assert!(
        run.stderr.contains("nothing was imported") && run.stderr.contains("no member"),
        "{}",
        run.stderr
    );
    let mut c = PgConnection::connect(&common::url(&db.name)).await.unwrap();
    let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM tickets")
        .fetch_one(&mut c)
        .await
        .unwrap();
    assert_eq!(n, 0);

    for (name, role) in &team {
        db.member(name, Role::parse(role).unwrap()).await;
    }
    // A file that is not there is named, not created.
    let missing = dir.path().join("nope.db");
    let run = common::admin_on(&db.name, &["import-workspace", missing.to_str().unwrap()]);
    assert!(
        !run.ok && run.stderr.contains("no such file"),
        "{}",
        run.text()
    );
    assert!(!missing.exists());

    let run = common::admin_on(&db.name, &["import-workspace", path, "--dry-run"]);
    assert!(
        run.ok && run.stdout.contains("would be imported"),
        "{}",
        run.text()
    );
    let run = common::admin_on(&db.name, &["import-workspace", path]);
    assert!(run.ok, "{}", run.text());
    assert!(
        run.stdout
            .contains(&format!("imported {} tickets", expected.len()))
            && run.stdout.contains(&format!("{notes} notes")),
        "{}",
        run.stdout
    );

    let got: Vec<Row> = sqlx::query_as(
        "SELECT t.number, t.stage, t.outcome, u.name, c.phone,
                (extract(epoch FROM t.first_response_at) * 1000)::bigint,
                (extract(epoch FROM t.resolved_at) * 1000)::bigint
         FROM tickets t JOIN customers c ON c.id = t.customer_id
         LEFT JOIN users u ON u.id = t.assignee_id ORDER BY t.number",
    )
    .fetch_all(&mut c)
    .await
    .unwrap();
    assert_eq!(got, expected);
    let (moved,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM notes n JOIN ticket_events e
           ON e.ticket_id = n.ticket_id AND e.kind = 'note_added'
          AND (e.data ->> 'note_id')::bigint = n.id AND e.actor_id = n.author_id",
    )
    .fetch_one(&mut c)
    .await
    .unwrap();
    assert_eq!(moved, notes, "each note with its timeline entry");
    // Each ticket's timeline folds to the state its row holds.
    let logs: Vec<Log> =
        sqlx::query_as(
            "SELECT t.stage, t.assignee_id, array_agg(e.data ORDER BY e.id), array_agg(e.at ORDER BY e.id)
             FROM tickets t JOIN ticket_events e ON e.ticket_id = t.id GROUP BY t.id",
        )
        .fetch_all(&mut c)
        .await
        .unwrap();
    assert_eq!(logs.len(), expected.len());
    for (stage, assignee, events, ats) in logs {
        let mut state = pulsedesk_core::ticket::TicketState::default();
        for (e, at) in events.iter().zip(&ats) {
            state.apply(*at, &e.0);
        }
        assert_eq!(
            (state.stage.as_str(), state.assignee.map(|u| u.0)),
            (stage.as_str(), assignee)
        );
    }
    // Moving it a second time is refused whole: the numbers are taken.
    let run = common::admin_on(&db.name, &["import-workspace", path]);
    assert!(
        !run.ok && run.stderr.contains("already in the database"),
        "{}",
        run.text()
    );
    c.close().await.unwrap();
}
