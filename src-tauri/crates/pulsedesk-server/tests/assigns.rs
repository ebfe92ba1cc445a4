//! The team service, as a real process against a real PostgreSQL: it assigns a ticket logged
//! while no desktop is open; a second service on the same database stands by and takes over
//! when the first is killed; it records SLA alerts with no desktop open; killed mid-stream,
//! restarted and its database stopped under it, it applies every command once, in order;
//! the password never reaches its output.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::{NoteAudience, Role};
use pulsedesk_shared::command::{Command as Cmd, Envelope};
use pulsedesk_shared::submissions::Outcome;
use pulsedesk_shared::testing::{create, db, ServiceProcess, TestDb, PASSWORD};
use std::time::{Duration, Instant};

/// The real binary, as `login` with `password`.
fn run_service(db: &TestDb, login: &str, password: &str) -> ServiceProcess {
    ServiceProcess::start(
        std::path::Path::new(env!("CARGO_BIN_EXE_pulsedesk-server")),
        db,
        login,
        password,
    )
}

async fn assignee(db: &TestDb, ticket: i64) -> Option<i64> {
    let (a,): (Option<i64>,) = sqlx::query_as("SELECT assignee_id FROM tickets WHERE id = $1")
        .bind(ticket)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    a
}

async fn wait_assigned(db: &TestDb, ticket: i64, to: i64) {
    let started = Instant::now();
    while assignee(db, ticket).await != Some(to) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "ticket {ticket} not assigned to {to}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn the_service_assigns_with_no_desktop_open_and_a_second_takes_over() {
    let db = db().await;
    let service = db.member("pulsedesk service", Role::Admin).await;
    db.owner.make_service(&service).await.unwrap();
    let sup = db.member("chen", Role::Supervisor).await;
    let li = db.member("li", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let li_id = db.connect(&li).await.actor().id.0;
    sqlx::query("SELECT pd_set_presence('online')")
        .execute(&mut db.psql(&li).await)
        .await
        .unwrap();

    // One service: a ticket logged while no desktop is open goes to the online agent.
    let first = run_service(&db, &service, PASSWORD);
    first.wait_to_say("assigning for the team").await;
    let t1 = create(&db, &chen, "logged at night").await.0;
    wait_assigned(&db, t1, li_id).await;

    // It applies what members submit, as the member who submitted it.
    let agent = db.connect(&li).await;
    let note = Envelope::new(
        db.clock.now(),
        Cmd::AddNote {
            ticket: TicketId(t1),
            audience: NoteAudience::Internal,
            body: "客户已回电".into(),
        },
    );
    let mut conn = agent.pool().acquire().await.unwrap();
    agent.submit(&mut conn, &[&note]).await.unwrap();
    let started = Instant::now();
    while agent
        .outcomes(&mut conn, &[note.id])
        .await
        .unwrap()
        .is_empty()
    {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            first.output()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let (author,): (i64,) = sqlx::query_as("SELECT author_id FROM notes WHERE ticket_id = $1")
        .bind(t1)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(author, li_id, "the note is the agent's, not the service's");

    // A second one stands by while the first holds the seat and writes...
    let second = run_service(&db, &service, PASSWORD);
    second
        .wait_to_say("standing by: another service holds")
        .await;
    second
        .wait_to_say("standing by: another service applies")
        .await;
    // ...and takes over when the first is killed.
    drop(first);
    second.wait_to_say("assigning for the team").await;
    second.wait_to_say("applying the team's commands").await;
    let t2 = create(&db, &chen, "after the takeover").await.0;
    wait_assigned(&db, t2, li_id).await;
    assert!(!second.output().contains(PASSWORD), "{}", second.output());
}

#[tokio::test]
async fn a_member_login_not_made_the_service_is_told_how_to_make_it_so() {
    let db = db().await;
    let admin = db.member("an admin", Role::Admin).await;
    let svc = run_service(&db, &admin, PASSWORD);
    svc.wait_to_say(&format!("run pulsedesk-admin service {admin}"))
        .await;
    assert!(!svc.output().contains("applying"), "{}", svc.output());
}

#[tokio::test]
async fn a_login_that_is_not_a_member_is_reported_and_retried_not_fatal() {
    let db = db().await;
    let svc = run_service(&db, "nobody_here", "hunter2-not-this");
    svc.wait_to_say("the team database refused nobody_here")
        .await;
    // Still running: it keeps trying.
    let mut svc = svc;
    assert!(svc.child.try_wait().unwrap().is_none(), "{}", svc.output());
    assert!(!svc.output().contains("hunter2"), "{}", svc.output());
}

#[tokio::test]
async fn the_service_records_sla_alerts_with_no_desktop_open() {
    let db = db().await;
    let service = db.member("pulsedesk service", Role::Admin).await;
    db.owner.make_service(&service).await.unwrap();
    let service_id = db.connect(&service).await.actor().id.0;
    let sup = db.member("chen", Role::Supervisor).await;
    let chen = db.connect(&sup).await;
    let svc = run_service(&db, &service, PASSWORD);
    svc.wait_to_say("in step with the team database").await;
    // Logged two weeks ago by the test's clock and never answered: both clocks breached.
    let t = create(&db, &chen, "nobody answered").await.0;
    let started = Instant::now();
    let recorded = loop {
        let rows: Vec<(String, String, i64, chrono::DateTime<chrono::Utc>)> = sqlx::query_as(
            "SELECT clock, level, recorded_by, at FROM sla_alerts WHERE ticket_id = $1 ORDER BY clock, level",
        )
        .bind(t)
        .fetch_all(db.owner.pool())
        .await
        .unwrap();
        if rows.iter().filter(|r| r.1 == "breached").count() == 2 {
            break rows;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "no breach recorded for {t}: {rows:?}\n{}",
            svc.output()
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    };
    let (created,): (chrono::DateTime<chrono::Utc>,) =
        sqlx::query_as("SELECT created_at FROM tickets WHERE id = $1")
            .bind(t)
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    for (clock, level, by, at) in &recorded {
        assert_eq!(*by, service_id, "{clock} {level} recorded by the service");
        // Stamped when the clock crossed, days ago, not when the service computed it.
        assert!(
            *at > created && *at < created + chrono::Duration::days(3),
            "{clock} {level} at {at} (logged {created})"
        );
    }
    // The record reached the ticket's timeline.
    let (events,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM ticket_events WHERE ticket_id = $1 AND kind = 'sla_alert'",
    )
    .bind(t)
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!(usize::try_from(events).unwrap(), recorded.len());
}

/// The server processes holding the service's two leases (the assigner's and the
/// writer's), by table.
async fn lock_holders(db: &TestDb) -> Vec<(String, i32)> {
    sqlx::query_as(
        "SELECT c.relname::text, l.pid FROM pg_locks l
         JOIN pg_class c ON c.oid = l.relation
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'pd_service_locks'
         WHERE l.granted AND l.mode = 'ShareUpdateExclusiveLock'
           AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
         ORDER BY c.relname",
    )
    .fetch_all(db.owner.pool())
    .await
    .unwrap()
}

#[tokio::test]
async fn cut_connections_lose_no_command_and_apply_none_twice() {
    let db = db().await;
    let service = db.member("pulsedesk service", Role::Admin).await;
    db.owner.make_service(&service).await.unwrap();
    let chen = db.member("chen", Role::Supervisor).await;
    let svc = run_service(&db, &service, PASSWORD);
    svc.wait_to_say("applying the team's commands").await;
    let agent = db.connect(&chen).await;
    let t = create(&db, &agent, "断线").await;
    let notes: Vec<Envelope> = (0..30)
        .map(|i| {
            Envelope::new(
                db.clock.now(),
                Cmd::AddNote {
                    ticket: t,
                    audience: NoteAudience::Internal,
                    body: format!("第 {i} 条"),
                },
            )
        })
        .collect();
    let mut conn = agent.pool().acquire().await.unwrap();
    for (i, note) in notes.iter().enumerate() {
        agent.submit(&mut conn, &[note]).await.unwrap();
        if i % 10 == 5 {
            // Every connection of the service is cut, mid-stream, once it holds both locks.
            let started = Instant::now();
            while lock_holders(&db).await.len() != 2 {
                assert!(
                    started.elapsed() < Duration::from_secs(10),
                    "{}",
                    svc.output()
                );
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            sqlx::query(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = $1",
            )
            .bind(&service)
            .execute(db.owner.pool())
            .await
            .unwrap();
        }
    }
    // It comes back, takes both locks again and applies everything, in order, once.
    let started = Instant::now();
    loop {
        let ids: Vec<_> = notes.iter().map(|n| n.id).collect();
        let outcomes = agent.outcomes(&mut conn, &ids).await.unwrap();
        if outcomes.len() == notes.len() {
            assert!(
                outcomes
                    .values()
                    .all(|o| matches!(o, Outcome::Applied { .. })),
                "{outcomes:?}"
            );
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}",
            svc.output()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let bodies: Vec<(String,)> =
        sqlx::query_as("SELECT body FROM notes WHERE ticket_id = $1 ORDER BY id")
            .bind(t.0)
            .fetch_all(db.owner.pool())
            .await
            .unwrap();
    let want: Vec<String> = (0..30).map(|i| format!("第 {i} 条")).collect();
    assert_eq!(bodies.into_iter().map(|b| b.0).collect::<Vec<_>>(), want);
    let started = Instant::now();
    while lock_holders(&db).await.len() != 2 {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "{}",
            svc.output()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// Every outcome of `ids` decided, as `member` reads them (at most 40 s).
async fn all_decided(member: &pulsedesk_shared::Shared, ids: &[uuid::Uuid], svc: &ServiceProcess) {
    let mut conn = member.pool().acquire().await.unwrap();
    let started = Instant::now();
    loop {
        let outcomes = member.outcomes(&mut conn, ids).await.unwrap();
        if outcomes.len() == ids.len() {
            assert!(
                outcomes
                    .values()
                    .all(|o| matches!(o, Outcome::Applied { .. })),
                "{outcomes:?}"
            );
            return;
        }
        assert!(
            started.elapsed() < Duration::from_secs(40),
            "{} of {} decided\n{}",
            outcomes.len(),
            ids.len(),
            svc.output()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

/// How many of `ids` the service has decided so far.
async fn decided(db: &TestDb, ids: &[uuid::Uuid]) -> usize {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT count(*) FROM submissions WHERE id = ANY($1) AND outcome IS NOT NULL",
    )
    .bind(ids)
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    usize::try_from(n).unwrap()
}

#[tokio::test]
async fn a_killed_service_and_a_stopped_database_lose_no_command_and_apply_none_twice() {
    // A cluster of its own: this test stops PostgreSQL.
    let cluster = pulsedesk_shared::testing::Cluster::start();
    let db = pulsedesk_shared::testing::db_on(cluster.superuser()).await;
    let service = db.member("pulsedesk service", Role::Admin).await;
    db.owner.make_service(&service).await.unwrap();
    // Two members, each with a ticket and 300 notes for it, submitted at once.
    let mut members = Vec::new();
    for name in ["chen", "zhou"] {
        let login = db.member(name, Role::Supervisor).await;
        let member = db.connect(&login).await;
        let ticket = create(&db, &member, name).await;
        let notes: Vec<Envelope> = (0..300)
            .map(|i| {
                Envelope::new(
                    db.clock.now(),
                    Cmd::AddNote {
                        ticket,
                        audience: NoteAudience::Internal,
                        body: format!("{name} {i}"),
                    },
                )
            })
            .collect();
        members.push((name, login, member, ticket, notes));
    }
    let ids: Vec<uuid::Uuid> = members
        .iter()
        .flat_map(|m| m.4.iter().map(|n| n.id))
        .collect();
    let svc = run_service(&db, &service, PASSWORD);
    svc.wait_to_say("applying the team's commands").await;
    for (_, _, member, _, notes) in &members {
        let mut conn = member.pool().acquire().await.unwrap();
        let refs: Vec<&Envelope> = notes.iter().collect();
        member.submit(&mut conn, &refs).await.unwrap();
    }

    // Killed mid-stream: some commands applied, their outcomes perhaps not yet recorded.
    let started = Instant::now();
    while decided(&db, &ids).await < 40 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}",
            svc.output()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    drop(svc);
    let before_restart = decided(&db, &ids).await;
    assert!(
        before_restart < ids.len(),
        "the service finished before it was killed"
    );

    // Restarted; then PostgreSQL stops under it and starts again.
    let svc = run_service(&db, &service, PASSWORD);
    svc.wait_to_say("applying the team's commands").await;
    let started = Instant::now();
    while decided(&db, &ids).await < before_restart + 40 {
        assert!(
            started.elapsed() < Duration::from_secs(20),
            "{}",
            svc.output()
        );
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    let before_stop = decided(&db, &ids).await;
    cluster.down();
    assert!(
        before_stop < ids.len(),
        "the service finished before the database stopped"
    );
    tokio::time::sleep(Duration::from_millis(500)).await;
    cluster.up();

    // Everything applied, once each, in the order each member submitted it.
    for (_, login, _, _, notes) in &members {
        let member = db.connect(login).await;
        let mine: Vec<uuid::Uuid> = notes.iter().map(|n| n.id).collect();
        all_decided(&member, &mine, &svc).await;
    }
    for (name, _, _, ticket, notes) in &members {
        let bodies: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM notes WHERE ticket_id = $1 ORDER BY id")
                .bind(ticket.0)
                .fetch_all(db.owner.pool())
                .await
                .unwrap();
        let want: Vec<String> = (0..notes.len()).map(|i| format!("{name} {i}")).collect();
        assert_eq!(
            bodies.into_iter().map(|b| b.0).collect::<Vec<_>>(),
            want,
            "{name}'s notes"
        );
    }
    let (records,): (i64,) = sqlx::query_as("SELECT count(*) FROM commands WHERE id = ANY($1)")
        .bind(&ids)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(usize::try_from(records).unwrap(), ids.len());
}
