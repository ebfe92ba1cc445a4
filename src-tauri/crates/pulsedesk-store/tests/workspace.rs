//! Opening workspace files: migrations keep data; damaged and newer files are refused untouched.

mod common;

use common::{beijing, start};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::view::PoolQuery;
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::{StoreError, Workspace};
use sqlx::migrate::Migrator;
use sqlx::sqlite::SqliteConnectOptions;
use sqlx::{ConnectOptions, Connection};
use std::path::Path;
use std::sync::Arc;

fn clock() -> Arc<ManualClock> {
    Arc::new(ManualClock::new(start(), beijing()))
}

const MIGRATIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/migrations");

#[tokio::test]
async fn a_new_file_gets_the_whole_schema_in_wal_mode() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.db");
    let ws = Workspace::open(&path, clock()).await.unwrap();
    assert!(ws.is_empty().await.unwrap());
    let (mode,): (String,) = sqlx::query_as("PRAGMA journal_mode")
        .fetch_one(ws.pool())
        .await
        .unwrap();
    assert_eq!(mode, "wal");
    // Commits never fold the log in themselves: the workspace's own task does, off their path.
    let (auto,): (i64,) = sqlx::query_as("PRAGMA wal_autocheckpoint")
        .fetch_one(ws.pool())
        .await
        .unwrap();
    assert_eq!(auto, 0);
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM _sqlx_migrations")
        .fetch_one(ws.pool())
        .await
        .unwrap();
    assert_eq!(
        n as usize,
        std::fs::read_dir(MIGRATIONS)
            .unwrap()
            .filter(|f| f
                .as_ref()
                .unwrap()
                .path()
                .extension()
                .is_some_and(|e| e == "sql"))
            .count()
    );
    // Opening again is a no-op.
    ws.close().await;
    Workspace::open(&path, clock()).await.unwrap();
}

#[tokio::test]
async fn upgrading_from_the_previous_schema_keeps_every_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.db");
    // Build a workspace as the first release did: only migration 0001.
    let first_only = dir.path().join("first");
    std::fs::create_dir(&first_only).unwrap();
    std::fs::copy(
        Path::new(MIGRATIONS).join("0001_workspace.sql"),
        first_only.join("0001_workspace.sql"),
    )
    .unwrap();
    let mut conn = SqliteConnectOptions::new()
        .filename(&path)
        .create_if_missing(true)
        .connect()
        .await
        .unwrap();
    Migrator::new(first_only.as_path())
        .await
        .unwrap()
        .run(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO users (name, role) VALUES ('老用户', 'admin')")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO ticket_types (name) VALUES ('咨询')")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query("INSERT INTO customers (name, tier, created_at) VALUES ('张三', 'vip', 0)")
        .execute(&mut conn)
        .await
        .unwrap();
    sqlx::query(
        "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority, priority_rank, subject, stage, created_at, updated_at)
         VALUES ('CS2025010101', 'phone', 1, 1, 'vip', 'high', 1, '旧工单', 'unassigned', 0, 0)",
    )
    .execute(&mut conn)
    .await
    .unwrap();
    sqlx::query("INSERT INTO ticket_events (ticket_id, at, kind, data) VALUES (1, 0, 'created', '{\"type\":\"created\",\"channel\":\"phone\",\"priority\":\"high\",\"tier\":\"vip\"}')")
        .execute(&mut conn)
        .await
        .unwrap();
    conn.close().await.unwrap();

    let ws = Workspace::open(&path, clock()).await.unwrap();
    let admin = ws
        .accounts()
        .await
        .unwrap()
        .into_iter()
        .find(|a| a.role == Role::Admin)
        .unwrap();
    assert_eq!(admin.name, "老用户");
    let actor = ws.actor(admin.id).await.unwrap();
    let page = ws
        .list_pool(
            &actor,
            &PoolQuery {
                limit: 10,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(page.rows.len(), 1);
    assert_eq!(page.rows[0].subject, "旧工单");
    let d = ws.ticket_detail(&actor, page.rows[0].id).await.unwrap();
    assert_eq!(d.timeline.len(), 1);
    assert!(
        d.notes.is_empty(),
        "the notes table from 0002 exists and is empty"
    );
    let q = PoolQuery {
        search: Some("旧工".into()),
        limit: 10,
        ..Default::default()
    };
    let found = ws.list_pool(&actor, &q).await.unwrap();
    assert_eq!(
        found.total, 1,
        "tickets from before search existed are indexed on open"
    );
}

#[tokio::test]
async fn a_file_from_a_newer_version_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("future.db");
    let ws = Workspace::open(&path, clock()).await.unwrap();
    sqlx::query(
        "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) VALUES (9999, 'from the future', 1, x'00', 0)",
    )
    .execute(ws.pool())
    .await
    .unwrap();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)")
        .execute(ws.pool())
        .await
        .unwrap();
    ws.close().await;
    let before = std::fs::read(&path).unwrap();
    let err = Workspace::open(&path, clock()).await.err().unwrap();
    assert!(
        matches!(err, StoreError::NewerSchema { found: 9999, .. }),
        "{err}"
    );
    assert_eq!(err.code(), "newer_schema");
    assert!(err.to_string().contains("Update Pulsedesk"));
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[tokio::test]
async fn a_damaged_file_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("garbage.db");
    let garbage: Vec<u8> = (0..8192u32).map(|i| (i * 31 % 251) as u8).collect();
    std::fs::write(&path, &garbage).unwrap();
    let err = Workspace::open(&path, clock()).await.err().unwrap();
    assert_eq!(err.code(), "corrupt_workspace", "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), garbage);
}

#[tokio::test]
async fn a_damaged_row_is_an_error_not_a_panic() {
    let e = common::env(20).await;
    let sup = e.first(Role::Supervisor).await;
    sqlx::query("UPDATE tickets SET stage = 'exploded' WHERE id = 3")
        .execute(e.ws.pool())
        .await
        .unwrap();
    let err =
        e.ws.list_pool(
            &sup,
            &PoolQuery {
                limit: 100,
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), "corrupt_workspace");
    assert!(err.to_string().contains("exploded"));
    sqlx::query("UPDATE ticket_events SET data = '{' WHERE ticket_id = 4")
        .execute(e.ws.pool())
        .await
        .unwrap();
    let err =
        e.ws.ticket_detail(&sup, pulsedesk_core::ids::TicketId(4))
            .await
            .unwrap_err();
    assert_eq!(err.code(), "corrupt_workspace");
}

#[tokio::test]
async fn seeding_is_once_and_deterministic() {
    let a = common::env(50).await;
    assert!(
        !a.ws.seed_demo(DemoOptions::default()).await.unwrap(),
        "a team exists: no second seed"
    );
    let b = common::env(50).await;
    let sup_a = a.first(Role::Supervisor).await;
    let sup_b = b.first(Role::Supervisor).await;
    let q = PoolQuery {
        limit: 100,
        ..Default::default()
    };
    let pa = a.ws.list_pool(&sup_a, &q).await.unwrap();
    let pb = b.ws.list_pool(&sup_b, &q).await.unwrap();
    assert_eq!(pa, pb);
}

/// The query planner's statistics for the tickets table, index by index.
async fn ticket_stats(ws: &Workspace) -> Vec<(String, String)> {
    sqlx::query_as("SELECT idx, stat FROM sqlite_stat1 WHERE tbl = 'tickets' ORDER BY idx")
        .fetch_all(ws.pool())
        .await
        .expect("the statistics table")
}

#[tokio::test]
async fn the_planners_statistics_stay_whole_across_a_session() {
    // Sampled statistics (an analysis limit) once told the planner that a stage holds 201 of
    // 1,000,000 tickets, and the board took 2.5 s instead of 45 ms. Whatever a session does,
    // the statistics it leaves are those of a full analysis.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("ws.db");
    let clock = clock();
    let ws = Workspace::open(&path, clock.clone()).await.unwrap();
    ws.seed_demo(DemoOptions {
        tickets: 5000,
        days: 60,
        seed: 3,
    })
    .await
    .unwrap();
    let sup = {
        let accounts = ws.accounts().await.unwrap();
        let a = accounts
            .iter()
            .find(|a| a.role == Role::Supervisor)
            .unwrap();
        pulsedesk_core::permissions::Actor {
            id: a.id,
            role: a.role,
        }
    };
    let whole = ticket_stats(&ws).await;
    assert!(!whole.is_empty(), "seeding analyses the tickets");
    // A session's work: the board and the pool, on every connection of the pool.
    let q = PoolQuery::default();
    for _ in 0..4 {
        let (b, p) = tokio::join!(ws.board(&sup, None), ws.list_pool(&sup, &q));
        b.unwrap();
        p.unwrap();
    }
    ws.close().await;
    let ws = Workspace::open(&path, clock).await.unwrap();
    assert_eq!(ticket_stats(&ws).await, whole);
    ws.close().await;
}
