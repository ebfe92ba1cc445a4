//! Commands submitted in the member's own name and applied by the team service: once, in
//! order, refused with the same typed reasons the core gives, and never in another
//! member's name.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::db;
use pulsedesk_core::clock::Clock;
use pulsedesk_core::kinds::{Role, Stage};
use pulsedesk_core::reason::{Permission, Reason};
use pulsedesk_core::ticket::TicketCommand;
use pulsedesk_shared::command::{Command, Envelope};
use pulsedesk_shared::submissions::Outcome;
use pulsedesk_shared::testing::{new_ticket, TestDb};
use pulsedesk_shared::Shared;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// Waits until the service decided every one of `ids`.
async fn decided(who: &Shared, ids: &[Uuid]) -> Vec<Outcome> {
    let started = Instant::now();
    let mut conn = who.pool().acquire().await.unwrap();
    loop {
        let got = who.outcomes(&mut conn, ids).await.unwrap();
        if got.len() == ids.len() {
            return ids.iter().map(|id| got[id].clone()).collect();
        }
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "decided {} of {}",
            got.len(),
            ids.len()
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

async fn submit(who: &Shared, envelopes: &[&Envelope]) {
    let mut conn = who.pool().acquire().await.unwrap();
    who.submit(&mut conn, envelopes).await.unwrap();
}

fn create_cmd(db: &TestDb, subject: &str) -> Envelope {
    Envelope::new(
        db.clock.now(),
        Command::CreateTicket {
            ticket: new_ticket(subject),
        },
    )
}

fn ticket_cmd(
    db: &TestDb,
    ticket: pulsedesk_core::ids::TicketId,
    change: TicketCommand,
) -> Envelope {
    Envelope::new(db.clock.now(), Command::Ticket { ticket, change })
}

#[tokio::test]
async fn submitted_commands_wait_for_the_service_then_apply_once_in_order() {
    let db = db().await;
    let wang = db.connect(&db.member("wang", Role::Agent).await).await;
    let create = create_cmd(&db, "submitted");
    submit(&wang, &[&create]).await;
    // No service yet: the submission waits, nothing is changed.
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut conn = wang.pool().acquire().await.unwrap();
    assert!(wang
        .outcomes(&mut conn, &[create.id])
        .await
        .unwrap()
        .is_empty());
    let (tickets,): (i64,) = sqlx::query_as("SELECT count(*) FROM tickets")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(tickets, 0);

    let _service = db.service().await;
    let [Outcome::Applied { ticket: Some(t) }] = decided(&wang, &[create.id]).await[..] else {
        panic!("the ticket should be logged");
    };
    // Claimed, then moved on, submitted together: applied in the order submitted.
    let claim = ticket_cmd(&db, t, TicketCommand::Claim);
    let contact = ticket_cmd(
        &db,
        t,
        TicketCommand::Move {
            to: Stage::InProgress,
            outcome: None,
        },
    );
    submit(&wang, &[&claim, &contact]).await;
    // Sent again (the answer was lost): the same submissions, not new ones.
    submit(&wang, &[&create, &claim, &contact]).await;
    let outcomes = decided(&wang, &[claim.id, contact.id]).await;
    assert_eq!(
        outcomes,
        vec![
            Outcome::Applied { ticket: Some(t) },
            Outcome::Applied { ticket: Some(t) }
        ]
    );
    let (stage, assignee, submitted): (String, Option<i64>, i64) = sqlx::query_as(
        "SELECT stage, assignee_id, (SELECT count(*) FROM submissions) FROM tickets WHERE id = $1",
    )
    .bind(t.0)
    .fetch_one(&mut *conn)
    .await
    .unwrap();
    assert_eq!(stage, "in_progress");
    assert_eq!(assignee, Some(wang.actor().id.0));
    assert_eq!(submitted, 3, "a resend adds no submission");
    let (events,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM ticket_events WHERE ticket_id = $1")
            .bind(t.0)
            .fetch_one(&mut *conn)
            .await
            .unwrap();
    assert_eq!(
        events, 4,
        "created, claimed, assigned stage, contacted — once each"
    );
}

#[tokio::test]
async fn the_service_refuses_with_the_reason_the_core_gives() {
    let db = db().await;
    let wang = db.connect(&db.member("wang", Role::Agent).await).await;
    let _service = db.service().await;
    let create = create_cmd(&db, "refused");
    submit(&wang, &[&create]).await;
    let [Outcome::Applied { ticket: Some(t) }] = decided(&wang, &[create.id]).await[..] else {
        panic!("the ticket should be logged");
    };
    // Straight to done from the pool.
    let done = ticket_cmd(
        &db,
        t,
        TicketCommand::Move {
            to: Stage::Done,
            outcome: Some(pulsedesk_core::kinds::Outcome::Fully),
        },
    );
    // A command this build cannot read, as a member's psql might submit it.
    let mut psql = db.psql(&wang_login(&wang).await).await;
    let odd = Uuid::new_v4();
    sqlx::query("INSERT INTO submissions (id, at, command) VALUES ($1, now(), '{\"kind\":\"burn_numbers\"}')")
        .bind(odd)
        .execute(&mut psql)
        .await
        .unwrap();
    let claim = ticket_cmd(&db, t, TicketCommand::Claim);
    submit(&wang, &[&done, &claim]).await;
    let outcomes = decided(&wang, &[done.id, odd, claim.id]).await;
    // As the core refuses it: an agent works only their own tickets.
    assert_eq!(
        outcomes[0],
        Outcome::Refused {
            reason: Some(Reason::Forbidden {
                action: Permission::WorkTicket
            }),
            message: "not allowed: only the assignee or a supervisor may work this ticket".into(),
        }
    );
    assert!(
        matches!(
            &outcomes[1],
            Outcome::Refused {
                reason: Some(Reason::UnreadableCommand { .. }),
                ..
            }
        ),
        "{:?}",
        outcomes[1]
    );
    assert_eq!(
        outcomes[2],
        Outcome::Applied { ticket: Some(t) },
        "the service kept serving after both refusals"
    );
}

async fn wang_login(who: &Shared) -> String {
    let (login,): (String,) = sqlx::query_as("SELECT login FROM users WHERE id = $1")
        .bind(who.actor().id.0)
        .fetch_one(who.pool())
        .await
        .unwrap();
    login
}

#[tokio::test]
async fn nobody_submits_in_another_members_name_or_decides_a_submission() {
    let db = db().await;
    let wang_login = db.member("wang", Role::Agent).await;
    let li = db.connect(&db.member("li", Role::Supervisor).await).await;
    let mut psql = db.psql(&wang_login).await;
    // The member column cannot be given: the database fills it in from the login.
    let named = sqlx::query(
        "INSERT INTO submissions (id, at, command, user_id) VALUES ($1, now(), '{}', $2)",
    )
    .bind(Uuid::new_v4())
    .bind(li.actor().id.0)
    .execute(&mut psql)
    .await;
    assert!(named.is_err(), "submitted in the supervisor's name");
    let decided = sqlx::query(
        "INSERT INTO submissions (id, at, command, outcome) VALUES ($1, now(), '{}', 'applied')",
    )
    .bind(Uuid::new_v4())
    .execute(&mut psql)
    .await;
    assert!(decided.is_err(), "a member decided their own submission");
    let own = Uuid::new_v4();
    sqlx::query("INSERT INTO submissions (id, at, command) VALUES ($1, now(), '{}')")
        .bind(own)
        .execute(&mut psql)
        .await
        .unwrap();
    for sql in [
        "UPDATE submissions SET outcome = 'applied'",
        "DELETE FROM submissions",
    ] {
        assert!(sqlx::query(sql).execute(&mut psql).await.is_err(), "{sql}");
    }
    // The supervisor does not even see the agent's submission.
    let mut conn = li.pool().acquire().await.unwrap();
    let (seen,): (i64,) = sqlx::query_as("SELECT count(*) FROM submissions")
        .fetch_one(&mut *conn)
        .await
        .unwrap();
    assert_eq!(seen, 0);
    // And no member's login applies commands.
    assert!(li.take_writer().await.is_err());
}

#[tokio::test]
async fn a_disabled_members_waiting_commands_are_refused_and_one_service_writes() {
    let db = db().await;
    let login = db.member("wang", Role::Agent).await;
    let wang = db.connect(&login).await;
    let create = create_cmd(&db, "before the account was switched off");
    submit(&wang, &[&create]).await;
    db.owner.disable(&login).await.unwrap();
    let first = db.service().await;
    // A second service on the same database stands by.
    let second_login = db.member("second service", Role::Admin).await;
    db.owner.make_service(&second_login).await.unwrap();
    let second = db.connect(&second_login).await;
    let su = db.owner.pool();
    let started = Instant::now();
    let outcome = loop {
        let row: Option<(Option<String>, Option<sqlx::types::Json<Reason>>)> =
            sqlx::query_as("SELECT outcome, reason FROM submissions WHERE id = $1")
                .bind(create.id)
                .fetch_optional(su)
                .await
                .unwrap();
        if let Some((Some(o), r)) = row {
            break (o, r.map(|j| j.0));
        }
        assert!(started.elapsed() < Duration::from_secs(10), "never decided");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    assert_eq!(outcome, ("refused".into(), Some(Reason::AccountDisabled)));
    assert!(
        second.take_writer().await.unwrap().is_none(),
        "only one service writes"
    );
    drop(first);
    // The first one's lock goes with its connection; the second takes over.
    let started = Instant::now();
    loop {
        if second.take_writer().await.unwrap().is_some() {
            break;
        }
        assert!(started.elapsed() < Duration::from_secs(10), "no takeover");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn a_flood_from_one_login_neither_holds_up_the_others_nor_grows_without_bound() {
    let db = db().await;
    let flooder_login = db.member("chen", Role::Supervisor).await;
    let flooder = db.connect(&flooder_login).await;
    let wang = db.connect(&db.member("wang", Role::Agent).await).await;
    let t = common::create(&db, &flooder, "flooded").await;
    let mut psql = db.psql(&flooder_login).await;
    let flood = |n: i64| {
        format!(
            "INSERT INTO submissions (id, at, command)
             SELECT gen_random_uuid(), now(),
                    jsonb_build_object('kind', 'add_note', 'ticket', {}, 'audience', 'internal',
                                       'body', 'flood ' || g)
             FROM generate_series(1, {n}) g",
            t.0
        )
    };
    // More than 10,000 waiting at once: refused whole, said plainly.
    let refused = sqlx::query(&flood(10_001)).execute(&mut psql).await;
    match refused {
        Err(sqlx::Error::Database(d)) => {
            assert_eq!(d.code().as_deref(), Some("PD002"));
            assert!(d.message().contains("10000"), "{}", d.message());
        }
        other => panic!("a flood of 10,001 was taken: {other:?}"),
    }
    let (kept,): (i64,) = sqlx::query_as("SELECT count(*) FROM submissions")
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(kept, 0, "nothing of the refused statement is kept");

    // 3,000 waiting from one login, then one command from another: the other's is
    // applied long before the flood is through.
    sqlx::query(&flood(3_000)).execute(&mut psql).await.unwrap();
    let _service = db.service().await;
    let claim = create_cmd(&db, "not held up");
    submit(&wang, &[&claim]).await;
    let started = Instant::now();
    decided(&wang, &[claim.id]).await;
    let took = started.elapsed();
    let (waiting,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM submissions WHERE outcome IS NULL")
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert!(
        waiting > 1_000,
        "the flood was nearly through already ({waiting} waiting after {took:?}): the test proves nothing"
    );
    // The flood itself is applied, in its order, to the last one.
    let started = Instant::now();
    loop {
        let (left,): (i64,) =
            sqlx::query_as("SELECT count(*) FROM submissions WHERE outcome IS NULL")
                .fetch_one(db.owner.pool())
                .await
                .unwrap();
        if left == 0 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "{left} still waiting"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let (notes, in_order): (i64, bool) = sqlx::query_as(
        "SELECT count(*), bool_and(n = rn) FROM (
             SELECT substr(body, 7)::int AS n, row_number() OVER (ORDER BY id) AS rn
             FROM notes WHERE ticket_id = $1) x",
    )
    .bind(t.0)
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!((notes, in_order), (3_000, true));
}

#[tokio::test]
async fn a_member_holding_the_old_advisory_locks_stops_nothing() {
    let db = db().await;
    let wang = db.connect(&db.member("wang", Role::Agent).await).await;
    let chen_login = db.member("chen", Role::Supervisor).await;
    // With psql, a member takes the locks the service once relied on, and holds them.
    let mut psql = db.psql(&chen_login).await;
    for key in [1, 2] {
        let (got,): (bool,) = sqlx::query_as("SELECT pg_try_advisory_lock(1346651204, $1)")
            .bind(key)
            .fetch_one(&mut psql)
            .await
            .unwrap();
        assert!(got);
    }
    let _service = db.service().await;
    let create = create_cmd(&db, "applied all the same");
    submit(&wang, &[&create]).await;
    assert!(matches!(
        decided(&wang, &[create.id]).await[..],
        [Outcome::Applied { ticket: Some(_) }]
    ));
    // The lease's open transaction holds no transaction id and no snapshot: the feed's
    // horizon and VACUUM never wait for it.
    let leases: Vec<(Option<String>, Option<String>)> = sqlx::query_as(
        "SELECT a.backend_xid::text, a.backend_xmin::text FROM pg_locks l
         JOIN pg_stat_activity a ON a.pid = l.pid
         JOIN pg_class c ON c.oid = l.relation AND c.relname = 'writer'
         JOIN pg_namespace n ON n.oid = c.relnamespace AND n.nspname = 'pd_service_locks'
         WHERE l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())",
    )
    .fetch_all(db.owner.pool())
    .await
    .unwrap();
    assert_eq!(leases, vec![(None, None)]);
}

#[tokio::test]
async fn a_reveal_with_no_service_running_says_so_in_the_members_language() {
    let db = db().await;
    let chen = db.connect(&db.member("chen", Role::Supervisor).await).await;
    let t = common::create(&db, &chen, "no service").await;
    let refused = chen
        .reveal_customer_within(t, Duration::from_millis(300))
        .await
        .map(|c| c.phone);
    match refused {
        Err(e) => assert_eq!(e.reason(), Some(Reason::ServiceSilent), "{e}"),
        Ok(phone) => panic!("revealed {phone} with no service to audit it"),
    }
    // The audit is empty: nothing was shown.
    let (audited,): (i64,) = sqlx::query_as("SELECT count(*) FROM pii_audit")
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
    assert_eq!(audited, 0);
}

#[tokio::test]
async fn only_a_new_submission_wakes_the_service() {
    let db = db().await;
    let wang = db.connect(&db.member("wang", Role::Agent).await).await;
    let mut listener = sqlx::postgres::PgListener::connect_with(db.owner.pool())
        .await
        .unwrap();
    listener
        .listen(pulsedesk_shared::submissions::SUBMITTED)
        .await
        .unwrap();
    let first = create_cmd(&db, "first");
    submit(&wang, &[&first]).await;
    let woke = tokio::time::timeout(Duration::from_secs(5), listener.recv()).await;
    assert!(matches!(woke, Ok(Ok(_))), "a new submission woke nobody");
    // Sent again, as a desktop's next flush does: nothing new, so no wake-up.
    submit(&wang, &[&first]).await;
    let again = tokio::time::timeout(Duration::from_millis(300), listener.recv()).await;
    assert!(again.is_err(), "a resend woke the service: {again:?}");
}
