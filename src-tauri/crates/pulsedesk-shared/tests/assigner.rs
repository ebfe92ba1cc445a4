//! The team's assigner seat and the SLA alert records, checked in the database itself:
//! members try the functions directly, as psql with their own password would; only the
//! team service's login assigns.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{create, db};
use pulsedesk_core::assign::{AssignWhy, Need, Rule};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::Role;
use pulsedesk_core::sla::{AlertLevel, ClockKind};
use pulsedesk_shared::command::{Applied, Command, Envelope};
use pulsedesk_shared::SharedError;
use sqlx::PgConnection;

const DENIED: &str = "42501";
/// No such function.
const UNDEFINED: &str = "42883";

/// A planned decision's reason, as the core gives it.
fn why() -> AssignWhy {
    AssignWhy {
        rule: Rule::OnlyCandidate,
        required: vec![],
        preferred: None,
        considered: 1,
        eligible: 1,
        ranked: vec![],
    }
}

/// What the team's rules ask of a ticket of type 1 (from the skills set in the test).
fn need(required: &[String]) -> Need<'_> {
    Need {
        required,
        preferred: None,
    }
}

/// The advisory lock the team's assigner once held: any login may take it, and it gives
/// nothing now.
async fn take_seat(c: &mut PgConnection) -> bool {
    let (got,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock(1346651204, 1)")
        .fetch_one(c)
        .await
        .unwrap();
    got
}

/// Runs `sql` as the database owner, `$1` bound to `member` (the admin's side of a test).
async fn as_owner(db: &common::TestDb, sql: &str, member: i64) {
    sqlx::query(sql)
        .bind(member)
        .execute(db.owner.pool())
        .await
        .unwrap();
}

async fn online(db: &common::TestDb, login: &str) {
    let mut c = db.psql(login).await;
    sqlx::query("SELECT pd_set_presence('online')")
        .execute(&mut c)
        .await
        .unwrap();
}

#[tokio::test]
async fn only_the_seat_holder_assigns_and_the_server_checks_every_assignment() {
    let db = db().await;
    let sup = db.member("chen", Role::Supervisor).await;
    let wang = db.member("wang", Role::Agent).await;
    let li = db.member("li", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let (wang_id, li_id) = (
        db.connect(&wang).await.actor().id.0,
        db.connect(&li).await.actor().id.0,
    );
    let t1 = create(&db, &chen, "one").await.0;
    let t2 = create(&db, &chen, "two").await.0;

    // Only the team service assigns: no member does, whatever their role — not even one
    // who takes the seat's lock with psql.
    let mut as_sup = db.psql(&sup).await;
    // Nothing in the database assigns (the rule is the core's, run by the service)...
    let gone = sqlx::query("SELECT pd_auto_assign(1, 1, '{}'::jsonb, now())")
        .execute(&mut as_sup)
        .await;
    assert!(
        matches!(&gone, Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some(UNDEFINED)),
        "{gone:?}"
    );
    // ...and no member reads the team's load the way the assigner does, or writes a ticket
    // with the seat's old lock held.
    let team = sqlx::query("SELECT * FROM pd_assign_team()")
        .execute(&mut as_sup)
        .await;
    assert!(
        matches!(team, Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some(UNDEFINED))
    );
    let mut as_agent = db.psql(&wang).await;
    assert!(take_seat(&mut as_agent).await);
    let pushed =
        sqlx::query("UPDATE tickets SET assignee_id = $1, stage = 'to_contact' WHERE id = $2")
            .bind(wang_id)
            .bind(t1)
            .execute(&mut as_agent)
            .await;
    assert!(
        matches!(&pushed, Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some(DENIED)),
        "an agent holding the lock pushed a ticket: {pushed:?}"
    );
    // Nor can a member take or block the service's lease: its schema is not theirs to name.
    for sql in [
        "LOCK TABLE pd_service_locks.assigner IN SHARE UPDATE EXCLUSIVE MODE NOWAIT",
        "LOCK TABLE pd_service_locks.writer IN ACCESS SHARE MODE",
        "SELECT * FROM pd_service_locks.assigner",
    ] {
        let mut tx = db.psql(&sup).await;
        sqlx::query("BEGIN").execute(&mut tx).await.unwrap();
        let tried = sqlx::query(sql).execute(&mut tx).await;
        assert!(
            matches!(&tried, Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some(DENIED)),
            "{sql}: {tried:?}"
        );
        // Still in that (failed) transaction, the member holds no lock the service needs.
        let service = db.connect(&db.service_login().await).await;
        let seat = service.take_assigner_seat().await.unwrap();
        assert!(seat.is_some(), "{sql} kept the service from its seat");
        seat.unwrap().release().await;
        service.close().await;
    }

    // The service's login assigns; its lease keeps a second service from assigning too.
    let service = db.service_login().await;
    let first = db.connect(&service).await;
    let second = db.connect(&service).await;
    let seat = first.take_assigner_seat().await.unwrap();
    assert!(seat.is_some());
    assert!(second.take_assigner_seat().await.unwrap().is_none());
    let mut seat = seat.unwrap();
    let (t1, t2) = (TicketId(t1), TicketId(t2));
    let (wang_id, li_id) = (UserId(wang_id), UserId(li_id));
    let now = db.clock.now();
    let none: &[String] = &[];

    // Each planned decision is confirmed again when written: an offline agent is passed over.
    assert!(!seat
        .assign(t1, need(none), li_id, why(), now)
        .await
        .unwrap());
    online(&db, &li).await;
    assert!(seat
        .assign(t1, need(none), li_id, why(), now)
        .await
        .unwrap());
    // Out of the pool now: a second decision on it is dropped, not applied twice.
    assert!(!seat
        .assign(t1, need(none), wang_id, why(), now)
        .await
        .unwrap());
    // No such ticket, no such agent (a supervisor is not one the assigner gives work to).
    assert!(!seat
        .assign(TicketId(999_999), need(none), li_id, why(), now)
        .await
        .unwrap());
    let chen_id = chen.actor().id;
    assert!(!seat
        .assign(t2, need(none), chen_id, why(), now)
        .await
        .unwrap());

    // The type's required skill: li lacks it.
    let refund = ["退款".to_string()];
    assert!(!seat
        .assign(t2, need(&refund), li_id, why(), now)
        .await
        .unwrap());
    sqlx::query("INSERT INTO skills (name) VALUES ('退款')")
        .execute(db.owner.pool())
        .await
        .unwrap();
    as_owner(
        &db,
        "INSERT INTO user_skills SELECT $1, id FROM skills WHERE name = '退款'",
        li_id.0,
    )
    .await;
    // At their cap (1): still passed over.
    as_owner(&db, "UPDATE users SET cap = 1 WHERE id = $1", li_id.0).await;
    assert!(!seat
        .assign(t2, need(&refund), li_id, why(), now)
        .await
        .unwrap());
    as_owner(&db, "UPDATE users SET cap = 5 WHERE id = $1", li_id.0).await;
    assert!(seat
        .assign(t2, need(&refund), li_id, why(), now)
        .await
        .unwrap());
    let (t2, li_id) = (t2.0, li_id.0);

    // What was written: the assignment and the stage change, by the system, as replicas
    // read them.
    let (stage, assignee): (String, Option<i64>) =
        sqlx::query_as("SELECT stage, assignee_id FROM tickets WHERE id = $1")
            .bind(t2)
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert_eq!((stage.as_str(), assignee), ("to_contact", Some(li_id)));
    let events: Vec<(
        Option<i64>,
        sqlx::types::Json<pulsedesk_core::ticket::EventKind>,
    )> =
        sqlx::query_as("SELECT actor_id, data FROM ticket_events WHERE ticket_id = $1 ORDER BY id")
            .bind(t2)
            .fetch_all(db.owner.pool())
            .await
            .unwrap();
    let kinds: Vec<_> = events.iter().map(|(a, e)| (*a, e.0.name())).collect();
    assert_eq!(
        kinds[1..],
        [(None, "assigned"), (None, "stage_changed")],
        "{kinds:?}"
    );

    // Closing the holder's connection frees the seat.
    drop(seat);
    let mut tries = 0;
    while second.take_assigner_seat().await.unwrap().is_none() {
        tries += 1;
        assert!(tries < 100, "the seat was never freed");
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
}

#[tokio::test]
async fn an_sla_alert_is_recorded_once_whoever_reports_it() {
    let db = db().await;
    let sup = db.member("chen", Role::Supervisor).await;
    let sup2 = db.member("zhou", Role::Supervisor).await;
    let wang = db.member("wang", Role::Agent).await;
    let li = db.member("li", Role::Agent).await;
    let (chen, zhou, a_wang, a_li) = (
        db.connect(&sup).await,
        db.connect(&sup2).await,
        db.connect(&wang).await,
        db.connect(&li).await,
    );
    let t = create(&db, &chen, "late").await;
    let alert = || {
        Envelope::new(
            db.clock.now(),
            Command::RecordSlaAlert {
                ticket: t,
                clock: ClockKind::FirstResponse,
                level: AlertLevel::Breached,
                round: 1,
            },
        )
    };
    // Two desktops report the same breach, each with its own command: one record, one event.
    assert!(matches!(
        db.as_member(&chen).await.apply(&alert()).await.unwrap(),
        Applied::Done { .. }
    ));
    assert!(matches!(
        db.as_member(&zhou).await.apply(&alert()).await.unwrap(),
        Applied::Done { .. }
    ));
    // A retried command is recognised as such.
    let once = alert();
    db.as_member(&zhou).await.apply(&once).await.unwrap();
    assert_eq!(
        db.as_member(&zhou).await.apply(&once).await.unwrap(),
        Applied::AlreadyApplied
    );
    let records: Vec<(String, String, i32, i64)> =
        sqlx::query_as("SELECT clock, level, round, recorded_by FROM sla_alerts")
            .fetch_all(db.owner.pool())
            .await
            .unwrap();
    assert_eq!(
        records,
        [(
            "first_response".into(),
            "breached".into(),
            1,
            chen.actor().id.0
        )]
    );
    let (events,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM ticket_events WHERE kind = 'sla_alert'")
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert_eq!(events, 1);

    // Once the ticket is wang's, li (another agent) may neither report nor read its alerts.
    let claim = Envelope::new(
        db.clock.now(),
        Command::Ticket {
            ticket: t,
            change: pulsedesk_core::ticket::TicketCommand::Claim,
        },
    );
    db.as_member(&a_wang).await.apply(&claim).await.unwrap();
    let near = Envelope::new(
        db.clock.now(),
        Command::RecordSlaAlert {
            ticket: t,
            clock: ClockKind::Resolution,
            level: AlertLevel::NearBreach,
            round: 1,
        },
    );
    let refused = db.as_member(&a_li).await.apply(&near).await;
    assert!(
        matches!(&refused, Err(SharedError::Domain(d)) if d.code() == "forbidden"),
        "{refused:?}"
    );
    let (seen,): (i64,) = sqlx::query_as("SELECT count(*) FROM sla_alerts")
        .fetch_one(a_li.pool())
        .await
        .unwrap();
    assert_eq!(
        seen, 0,
        "another agent's ticket's alerts are not theirs to read"
    );
    db.as_member(&a_wang).await.apply(&near).await.unwrap();
    let (seen,): (i64,) = sqlx::query_as("SELECT count(*) FROM sla_alerts")
        .fetch_one(a_wang.pool())
        .await
        .unwrap();
    assert_eq!(seen, 2);
    // Members cannot write the records themselves.
    let mut raw = db.psql(&wang).await;
    let direct = sqlx::query(
        "INSERT INTO sla_alerts (ticket_id, clock, level, round, at, recorded_by)
         VALUES ($1, 'resolution', 'breached', 1, now(), $2)",
    )
    .bind(t.0)
    .bind(a_wang.actor().id.0)
    .execute(&mut raw)
    .await;
    assert!(matches!(direct, Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some(DENIED)));
}

/// A desktop's pull asks only for the log entries after the newest it holds, which is
/// sound only if a ticket's entries get their ids in commit order: recording an alert
/// waits for the ticket's row lock like every command — also for another alert's (two
/// inserts that only share the foreign key's lock could commit in either order).
#[tokio::test]
async fn recording_an_sla_alert_waits_for_the_tickets_lock() {
    let db = db().await;
    let sup = db.member("chen", Role::Supervisor).await;
    let chen = db.connect(&sup).await;
    let t = create(&db, &chen, "locked").await;
    // A command on the ticket holds its row, not committed yet.
    let mut holder = db.owner.pool().begin().await.unwrap();
    sqlx::query("SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE")
        .bind(t.0)
        .execute(&mut *holder)
        .await
        .unwrap();
    let record = Envelope::new(
        db.clock.now(),
        Command::RecordSlaAlert {
            ticket: t,
            clock: ClockKind::FirstResponse,
            level: AlertLevel::Breached,
            round: 1,
        },
    );
    let writer = db.as_member(&chen).await;
    let recording = tokio::spawn(async move { writer.apply(&record).await });
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert!(
        !recording.is_finished(),
        "the alert must wait for the ticket's row lock"
    );
    holder.rollback().await.unwrap();
    assert!(matches!(
        recording.await.unwrap().unwrap(),
        Applied::Done { .. }
    ));
    // Members no longer record alerts themselves: only the service writes.
    let mut raw = db.psql(&sup).await;
    let direct = sqlx::query("SELECT pd_record_sla_alert($1, 'resolution', 'breached', 1, now())")
        .bind(t.0)
        .execute(&mut raw)
        .await;
    assert!(
        matches!(&direct, Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some(DENIED)),
        "{direct:?}"
    );
}

#[tokio::test]
async fn a_claim_racing_the_assigner_never_passes_the_cap() {
    let db = db().await;
    let sup = db.member("chen", Role::Supervisor).await;
    let li = db.member("li", Role::Agent).await;
    let chen = db.connect(&sup).await;
    let li_desk = db.as_member(&db.connect(&li).await).await;
    let li_id = li_desk.actor().id.0;
    as_owner(&db, "UPDATE users SET cap = 1 WHERE id = $1", li_id).await;
    online(&db, &li).await;
    let service = db.connect(&db.service_login().await).await;
    let mut seat = service.take_assigner_seat().await.unwrap().unwrap();
    let none: &[String] = &[];

    // Again and again, the assigner and li's own claim race for li's one free slot: both
    // count li's tickets under li's row lock, so exactly one wins and the cap holds.
    for round in 0..12 {
        let planned = create(&db, &chen, &format!("planned {round}")).await;
        let claimed = create(&db, &chen, &format!("claimed {round}")).await;
        let at = db.clock.now();
        let claim_it = Envelope::new(
            at,
            Command::Ticket {
                ticket: claimed,
                change: pulsedesk_core::ticket::TicketCommand::Claim,
            },
        );
        let (assigned, claim) = tokio::join!(
            seat.assign(planned, need(none), UserId(li_id), why(), at),
            li_desk.apply(&claim_it)
        );
        let assigned = assigned.unwrap();
        match &claim {
            Ok(_) => assert!(!assigned, "round {round}: both took li's last slot"),
            Err(SharedError::Domain(d)) => {
                assert!(assigned, "round {round}: {d}");
                assert!(d.to_string().contains("cap 1"), "round {round}: {d}");
            }
            Err(e) => panic!("round {round}: {e}"),
        }
        let (open,): (i64,) = sqlx::query_as(
            "SELECT count(*) FROM tickets WHERE assignee_id = $1 AND stage <> 'done'",
        )
        .bind(li_id)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
        assert_eq!(open, 1, "round {round}");
        // li's ticket is finished (by the owner, for the test): the slot is free again.
        as_owner(
            &db,
            "UPDATE tickets SET stage = 'done', outcome = 'fully' WHERE assignee_id = $1",
            li_id,
        )
        .await;
    }
    seat.release().await;

    // Nobody locks a member's row who may not give them tickets.
    let wang = db.member("wang", Role::Agent).await;
    let mut as_wang = db.psql(&wang).await;
    let denied = sqlx::query("SELECT pd_lock_member($1)")
        .bind(li_id)
        .execute(&mut as_wang)
        .await;
    assert!(matches!(denied, Err(sqlx::Error::Database(d)) if d.code().as_deref() == Some(DENIED)));
}

/// Waits until every connection of `shared`'s pool is back in it (a connection goes back
/// after its use in a task of its own).
async fn settled(shared: &pulsedesk_shared::Shared) {
    let pool = shared.pool();
    for _ in 0..200 {
        if pool.num_idle() == pool.size() as usize {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    }
    panic!("the pool's connections never came back");
}

#[tokio::test]
async fn a_refused_try_for_the_seat_keeps_its_connection() {
    let db = db().await;
    // Two services, each with its own login.
    let a = db.connect(&db.service_login().await).await;
    let liu = db.member("liu", Role::Admin).await;
    db.owner.make_service(&liu).await.unwrap();
    let b = db.connect(&liu).await;
    let seat = a.take_assigner_seat().await.unwrap();
    assert!(seat.is_some(), "the seat was free");
    let backends = |db: &common::TestDb| {
        let pool = db.owner.pool().clone();
        let login = liu.clone();
        async move {
            let pids: Vec<(i32,)> =
                sqlx::query_as("SELECT pid FROM pg_stat_activity WHERE usename = $1 ORDER BY pid")
                    .bind(login)
                    .fetch_all(&pool)
                    .await
                    .unwrap();
            pids
        }
    };
    settled(&b).await;
    let before = backends(&db).await;
    assert!(!before.is_empty());
    for _ in 0..3 {
        settled(&b).await;
        assert!(b.take_assigner_seat().await.unwrap().is_none());
    }
    settled(&b).await;
    // A standing-by service tries every poll: a new login each time would cost the server
    // a process and an authentication.
    assert_eq!(
        backends(&db).await,
        before,
        "a connection that tried was closed"
    );
    // The seat is still taken by the holder's own connection, not by the pool's.
    assert!(b.take_assigner_seat().await.unwrap().is_none());
    drop(seat);
}
