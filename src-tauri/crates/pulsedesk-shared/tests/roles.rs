//! The role matrix, enforced by PostgreSQL itself: each member connects with their own
//! login, as psql would, and tries every table directly. Allowed things work; forbidden
//! ones fail (or touch no row) in the database, whatever the app would have checked.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{create, db, exec, TestDb};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::ticket::TicketCommand;
use pulsedesk_shared::command::{Command, Envelope};
use pulsedesk_shared::{Shared, SharedError};
use sqlx::PgConnection;

async fn count(c: &mut PgConnection, sql: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(c).await.unwrap();
    n
}

const DENIED: &str = "42501";

async fn change(
    db: &TestDb,
    who: &Shared,
    ticket: TicketId,
    change: TicketCommand,
) -> Result<(), SharedError> {
    let env = Envelope::new(db.clock.now(), Command::Ticket { ticket, change });
    db.as_member(who).await.apply(&env).await.map(|_| ())
}

#[tokio::test]
async fn each_role_reaches_only_what_it_may_in_the_database_itself() {
    let db = db().await;
    // The team service applies commands (and audits reveals).
    let _service = db.service().await;
    let wang = db.member("wang", Role::Agent).await;
    let li = db.member("li", Role::Agent).await;
    let chen = db.member("chen", Role::Supervisor).await;
    let zhao = db.member("zhao", Role::Admin).await;
    let (a_wang, a_li, a_chen, a_zhao) = (
        db.connect(&wang).await,
        db.connect(&li).await,
        db.connect(&chen).await,
        db.connect(&zhao).await,
    );

    // Three tickets: one stays in the pool, one is Wang's, one is Li's.
    let pool = create(&db, &a_wang, "still in the pool").await;
    let wangs = create(&db, &a_wang, "Wang's").await;
    let lis = create(&db, &a_li, "Li's").await;
    change(&db, &a_wang, wangs, TicketCommand::Claim)
        .await
        .unwrap();
    change(
        &db,
        &a_chen,
        lis,
        TicketCommand::Assign {
            to: a_li.actor().id,
        },
    )
    .await
    .unwrap();

    // --- An agent, with psql and their own password. ---
    let mut w = db.psql(&wang).await;
    assert_eq!(
        count(&mut w, "SELECT count(*) FROM tickets").await,
        2,
        "the pool and their own"
    );
    // The owner's policy is not theirs, and they cannot take the owner's role.
    assert_eq!(
        count(&mut w, "SELECT count(*) FROM tickets WHERE pd_is_owner()").await,
        0
    );
    let owner_role: String = sqlx::query_scalar(
        "SELECT pg_get_userbyid(datdba)::text FROM pg_database WHERE datname = current_database()",
    )
    .fetch_one(&mut w)
    .await
    .unwrap();
    assert!(exec(&mut w, &format!("SET ROLE \"{owner_role}\""))
        .await
        .is_err());
    assert_eq!(
        count(
            &mut w,
            &format!("SELECT count(*) FROM tickets WHERE id = {}", lis.0)
        )
        .await,
        0
    );
    assert_eq!(
        count(
            &mut w,
            &format!(
                "SELECT count(*) FROM ticket_events WHERE ticket_id = {}",
                lis.0
            )
        )
        .await,
        0,
        "another agent's timeline is hidden too"
    );
    // Full contact details are not readable at all; the masked ones are.
    assert_eq!(
        exec(&mut w, "SELECT phone FROM customers").await,
        Err(DENIED.into())
    );
    let (masked,): (String,) = sqlx::query_as("SELECT phone_masked FROM customers LIMIT 1")
        .fetch_one(&mut w)
        .await
        .unwrap();
    assert_eq!(masked, "138****1234");
    // Taking a pool ticket for someone else, or touching another's ticket, fails in the database.
    assert_eq!(
        exec(
            &mut w,
            &format!(
                "UPDATE tickets SET assignee_id = {} WHERE id = {}",
                a_li.actor().id.0,
                pool.0
            )
        )
        .await,
        Err(DENIED.into())
    );
    // Nor their own: only the team service writes tickets (their commands go through it).
    for sql in [
        format!("UPDATE tickets SET stage = 'done' WHERE id = {}", lis.0),
        format!(
            "UPDATE tickets SET stage = 'done', first_response_at = now(), resolved_at = now() WHERE id = {}",
            wangs.0
        ),
        format!(
            "UPDATE tickets SET assignee_id = {} WHERE id = {}",
            a_wang.actor().id.0,
            pool.0
        ),
        format!(
            "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES ({}, now(), {}, 'first_response', '{{}}')",
            pool.0,
            a_wang.actor().id.0
        ),
        format!(
            "INSERT INTO notes (ticket_id, author_id, audience, body, created_at) VALUES ({}, {}, 'internal', 'x', now())",
            wangs.0,
            a_wang.actor().id.0
        ),
        "INSERT INTO customers (name, phone, tier, created_at) VALUES ('x', '13800000000', 'vip', now())".into(),
        format!(
            "INSERT INTO commands (id, user_id, kind) VALUES (gen_random_uuid(), {}, 'x')",
            a_wang.actor().id.0
        ),
        "INSERT INTO ticket_counters (day, last) VALUES ('20991231', 99)".into(),
        format!(
            "INSERT INTO sla_alerts (ticket_id, clock, level, round, at, recorded_by) VALUES ({}, 'resolution', 'breached', 1, now(), {})",
            wangs.0,
            a_wang.actor().id.0
        ),
        "INSERT INTO pii_audit (user_id, ticket_id, customer_id) SELECT 1, 1, 1".into(),
    ] {
        assert_eq!(exec(&mut w, &sql).await, Err(DENIED.into()), "{sql}");
    }
    // No lock that would hold up the service: not a ticket's row, not the tickets' table,
    // not another member's row; and no ticket numbers taken.
    for sql in [
        format!("SELECT 1 FROM tickets WHERE id = {} FOR UPDATE", wangs.0),
        format!("SELECT 1 FROM tickets WHERE id = {} FOR SHARE", wangs.0),
        "LOCK TABLE tickets IN SHARE ROW EXCLUSIVE MODE".into(),
        "LOCK TABLE ticket_events IN EXCLUSIVE MODE".into(),
        "LOCK TABLE submissions IN EXCLUSIVE MODE".into(),
        format!("SELECT pd_lock_member({})", a_wang.actor().id.0),
        "SELECT pd_next_number('20991231')".into(),
        format!("SELECT pd_ticket_exists({})", lis.0),
    ] {
        let mut tx = db.psql(&wang).await;
        assert_eq!(exec(&mut tx, "BEGIN").await, Ok(0));
        assert_eq!(exec(&mut tx, &sql).await, Err(DENIED.into()), "{sql}");
    }
    assert_eq!(
        exec(&mut w, "DELETE FROM tickets").await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(&mut w, "UPDATE tickets SET subject = 'x'").await,
        Err(DENIED.into())
    );
    // Events and notes only in one's own name, on tickets one may work.
    assert_eq!(
        exec(&mut w, &format!(
            "INSERT INTO ticket_events (ticket_id, at, actor_id, kind, data) VALUES ({}, now(), {}, 'x', '{{}}')",
            wangs.0, a_li.actor().id.0
        )).await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(&mut w, &format!(
            "INSERT INTO notes (ticket_id, author_id, audience, body, created_at) VALUES ({}, {}, 'team', 'x', now())",
            lis.0, a_wang.actor().id.0
        )).await,
        Err(DENIED.into())
    );
    // Configuration, roles and the audit are out of reach.
    assert_eq!(
        exec(&mut w, "INSERT INTO ticket_types (name) VALUES ('x')").await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(
            &mut w,
            &format!("UPDATE users SET role = 'admin' WHERE login = '{wang}'")
        )
        .await,
        Err(DENIED.into())
    );
    // Nor can the setup be locked, which would hang every desktop reading it.
    for table in ["ticket_types", "settings", "skills", "user_skills", "users"] {
        let mut tx = db.psql(&wang).await;
        assert_eq!(
            exec(&mut tx, "BEGIN").await,
            Ok(0),
            "a transaction to lock {table} in"
        );
        assert_eq!(
            exec(
                &mut tx,
                &format!("LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE")
            )
            .await,
            Err(DENIED.into()),
            "{table}"
        );
    }
    for write in [
        "UPDATE settings SET value = '{}'",
        "DELETE FROM ticket_types",
        "INSERT INTO skills (name) VALUES ('x')",
    ] {
        assert_eq!(exec(&mut w, write).await, Err(DENIED.into()), "{write}");
    }
    assert_eq!(
        exec(&mut w, "UPDATE users SET presence = 'online'").await,
        Err(DENIED.into())
    );
    assert_eq!(count(&mut w, "SELECT count(*) FROM pii_audit").await, 0);
    assert_eq!(
        exec(&mut w, "SELECT * FROM ticket_counters").await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(&mut w, "INSERT INTO changes (kind) VALUES ('config')").await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(&mut w, &format!("SET ROLE {chen}")).await,
        Err(DENIED.into())
    );
    // Full details only through the team service, which checks the right and audits.
    for ticket in [lis.0, wangs.0] {
        assert_eq!(
            exec(
                &mut w,
                &format!("SELECT * FROM pd_reveal_customer({ticket})")
            )
            .await,
            Err(DENIED.into()),
            "the old reveal that audited in the member's own transaction"
        );
        assert_eq!(
            exec(
                &mut w,
                &format!("SELECT * FROM pd_revealed_customer({ticket})")
            )
            .await,
            Err(DENIED.into()),
            "details before any audited reveal"
        );
    }
    let theirs = a_wang.reveal_customer(lis).await;
    assert_eq!(theirs.map_err(|e| e.code()).err(), Some("forbidden"));
    // Revealing their own ticket's customer works, and is audited before the details are
    // readable: a transaction rolled back afterwards leaves the audit entry.
    let full = a_wang.reveal_customer(wangs).await.unwrap();
    assert_eq!(full.phone, "13812341234");
    let audited = || async {
        let (n,): (i64,) = sqlx::query_as("SELECT count(*) FROM pii_audit WHERE ticket_id = $1")
            .bind(wangs.0)
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
        n
    };
    assert_eq!(audited().await, 1);
    assert_eq!(exec(&mut w, "BEGIN").await, Ok(0));
    let (phone,): (String,) = sqlx::query_as(&format!(
        "SELECT phone FROM pd_revealed_customer({})",
        wangs.0
    ))
    .fetch_one(&mut w)
    .await
    .unwrap();
    assert_eq!(phone, "13812341234");
    assert_eq!(exec(&mut w, "ROLLBACK").await, Ok(0));
    assert_eq!(
        audited().await,
        1,
        "the rollback took the audit entry with it"
    );
    // A reveal submitted in a transaction that rolls back never happened: no details.
    assert_eq!(exec(&mut w, "BEGIN").await, Ok(0));
    assert_eq!(
        exec(
            &mut w,
            &format!(
                "INSERT INTO submissions (id, at, command) VALUES (gen_random_uuid(), now(), '{{\"kind\":\"reveal_customer\",\"ticket\":{}}}')",
                pool.0
            )
        )
        .await,
        Ok(1)
    );
    assert_eq!(exec(&mut w, "ROLLBACK").await, Ok(0));
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    assert_eq!(
        exec(
            &mut w,
            &format!("SELECT * FROM pd_revealed_customer({})", pool.0)
        )
        .await,
        Err(DENIED.into())
    );
    // Their own presence only, through the function.
    assert_eq!(
        exec(&mut w, "SELECT pd_set_presence('online')").await,
        Ok(1)
    );

    // The app's own path refuses the same things before the database does.
    let refused = change(
        &db,
        &a_wang,
        pool,
        TicketCommand::Assign {
            to: a_li.actor().id,
        },
    )
    .await;
    assert_eq!(refused.map_err(|e| e.code()), Err("forbidden"));
    let hidden = change(
        &db,
        &a_wang,
        lis,
        TicketCommand::Move {
            to: pulsedesk_core::kinds::Stage::InProgress,
            outcome: None,
        },
    )
    .await;
    // Another's ticket is not theirs to work, as the core says on every desktop.
    assert_eq!(hidden.map_err(|e| e.code()), Err("forbidden"));

    // --- A supervisor sees the team and may assign, but not configure. ---
    let mut c = db.psql(&chen).await;
    assert_eq!(count(&mut c, "SELECT count(*) FROM tickets").await, 3);
    // Reassigning is the service's to write, on the supervisor's command.
    assert_eq!(
        exec(
            &mut c,
            &format!(
                "UPDATE tickets SET assignee_id = {} WHERE id = {}",
                a_wang.actor().id.0,
                lis.0
            )
        )
        .await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(&mut c, "INSERT INTO ticket_types (name) VALUES ('x')").await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(&mut c, "SELECT phone FROM customers").await,
        Err(DENIED.into())
    );
    assert_eq!(
        a_chen.reveal_customer(pool).await.unwrap().phone,
        "13812341234"
    );
    assert_eq!(
        count(&mut c, "SELECT count(*) FROM pii_audit").await,
        0,
        "the audit is for admins"
    );

    // --- An admin configures; sees the audit; works no one else's ticket. ---
    let mut z = db.psql(&zhao).await;
    assert_eq!(
        exec(&mut z, "INSERT INTO ticket_types (name) VALUES ('投诉')").await,
        Ok(1)
    );
    assert_eq!(
        exec(
            &mut z,
            &format!("UPDATE users SET cap = 8 WHERE login = '{li}'")
        )
        .await,
        Ok(1)
    );
    assert_eq!(
        count(&mut z, "SELECT count(*) FROM pii_audit").await,
        2,
        "Wang's and Chen's reveals"
    );
    assert_eq!(
        exec(
            &mut z,
            &format!("UPDATE tickets SET stage = 'done' WHERE id = {}", wangs.0)
        )
        .await,
        Err(DENIED.into())
    );
    assert_eq!(
        exec(&mut z, "SELECT phone FROM customers").await,
        Err(DENIED.into())
    );
    let admin_claim = change(&db, &a_zhao, pool, TicketCommand::Claim).await;
    assert_eq!(admin_claim.map_err(|e| e.code()), Err("forbidden"));

    // The right to configure follows the role: an admin made agent loses it at once, and
    // gets it back with the role.
    db.owner.set_role(&zhao, Role::Agent).await.unwrap();
    let mut z = db.psql(&zhao).await;
    assert_eq!(
        exec(&mut z, "INSERT INTO ticket_types (name) VALUES ('退货')").await,
        Err(DENIED.into())
    );
    db.owner.set_role(&zhao, Role::Admin).await.unwrap();
    let mut z = db.psql(&zhao).await;
    assert_eq!(
        exec(&mut z, "INSERT INTO ticket_types (name) VALUES ('退货')").await,
        Ok(1)
    );

    // --- Someone who is not a member gets nothing, even with a login on the server. ---
    sqlx::query(&format!(
        "CREATE ROLE {}_stranger LOGIN PASSWORD '{}'",
        db.name,
        common::PASSWORD
    ))
    .execute(db.owner.pool())
    .await
    .unwrap();
    let stranger = pulsedesk_shared::Shared::connect(
        &db.server,
        &format!("{}_stranger", db.name),
        common::PASSWORD,
        db.clock.clone(),
    )
    .await;
    assert!(
        matches!(
            stranger,
            Err(SharedError::BadLogin | SharedError::Refused(_))
        ),
        "{:?}",
        stranger.err()
    );
}

#[tokio::test]
async fn a_disabled_member_is_cut_off_and_a_new_role_applies_at_once() {
    let db = db().await;
    let wang = db.member("wang", Role::Agent).await;
    let chen = db.member("chen", Role::Supervisor).await;
    let a_chen = db.connect(&chen).await;
    let a_wang = db.connect(&wang).await;
    let t = create(&db, &a_chen, "team ticket").await;
    change(
        &db,
        &a_chen,
        t,
        TicketCommand::Assign {
            to: a_chen.actor().id,
        },
    )
    .await
    .unwrap();

    // Promoted: Wang sees the whole team on the very next query.
    let mut w = db.psql(&wang).await;
    assert_eq!(count(&mut w, "SELECT count(*) FROM tickets").await, 0);
    db.owner.set_role(&wang, Role::Supervisor).await.unwrap();
    assert_eq!(count(&mut w, "SELECT count(*) FROM tickets").await, 1);

    // Disabled: the open session ends and signing in again fails.
    db.owner.disable(&wang).await.unwrap();
    assert!(
        sqlx::query("SELECT 1").execute(&mut w).await.is_err(),
        "the session was ended"
    );
    let again =
        pulsedesk_shared::Shared::connect(&db.server, &wang, common::PASSWORD, db.clock.clone())
            .await;
    assert!(
        matches!(again, Err(SharedError::BadLogin)),
        "{:?}",
        again.err()
    );
    drop(a_wang);

    // A reset password works; the old one does not.
    db.owner.enable(&wang).await.unwrap();
    db.owner
        .reset_password(&wang, "a brand new secret")
        .await
        .unwrap();
    let old =
        pulsedesk_shared::Shared::connect(&db.server, &wang, common::PASSWORD, db.clock.clone())
            .await;
    assert!(matches!(old, Err(SharedError::BadLogin)), "{:?}", old.err());
    let new = pulsedesk_shared::Shared::connect(
        &db.server,
        &wang,
        "a brand new secret",
        db.clock.clone(),
    )
    .await;
    assert_eq!(new.unwrap().actor().role, Role::Supervisor);

    let status = db.owner.status().await.unwrap();
    assert_eq!(
        (status.supervisors, status.tickets, status.open_tickets),
        (2, 1, 1)
    );
}

#[tokio::test]
async fn no_member_chooses_an_id_a_version_or_a_clock() {
    let db = db().await;
    let wang = db.member("wang", Role::Agent).await;
    let chen = db.member("chen", Role::Supervisor).await;
    let (a_wang, a_chen) = (db.connect(&wang).await, db.connect(&chen).await);
    let wangs = create(&db, &a_wang, "Wang's").await;
    change(&db, &a_wang, wangs, TicketCommand::Claim)
        .await
        .unwrap();
    let far = 9_000_000_000_000_000_000_i64;
    for (login, actor) in [(&wang, a_wang.actor().id.0), (&chen, a_chen.actor().id.0)] {
        let mut c = db.psql(login).await;
        // A note or a log entry with an id far ahead of the sequence would leave every
        // desktop waiting above it for that ticket's later entries.
        let note = |id: &str, value: &str| {
            format!(
                "INSERT INTO notes ({id}ticket_id, author_id, audience, body, created_at)
                 OVERRIDING SYSTEM VALUE VALUES ({value}{}, {actor}, 'internal', 'x', now())",
                wangs.0
            )
        };
        assert_eq!(
            exec(&mut c, &note("id, ", &format!("{far}, "))).await,
            Err(DENIED.into()),
            "{login} chose a note's id"
        );
        assert_eq!(
            exec(&mut c, &note("", "")).await,
            Err(DENIED.into()),
            "{login}'s note: only the service writes"
        );
        let entry = |id: &str, value: &str| {
            format!(
                "INSERT INTO ticket_events ({id}ticket_id, at, actor_id, kind, data)
                 OVERRIDING SYSTEM VALUE VALUES ({value}{}, now(), {actor}, 'x', '{{}}')",
                wangs.0
            )
        };
        assert_eq!(
            exec(&mut c, &entry("id, ", &format!("{far}, "))).await,
            Err(DENIED.into()),
            "{login} chose a log entry's id"
        );
        assert_eq!(
            exec(&mut c, &entry("", "")).await,
            Err(DENIED.into()),
            "{login}'s entry: only the service writes"
        );
        // A new ticket: not already numbered, versioned, answered or resolved.
        let ticket = |extra: &str, value: &str| {
            format!(
                "INSERT INTO tickets (number, channel, type_id, customer_id, tier, priority,
                     priority_rank, subject, stage, created_at, updated_at{extra})
                 OVERRIDING SYSTEM VALUE
                 SELECT number || '-{login}{}', channel, type_id, customer_id, tier, priority,
                     priority_rank, subject, 'unassigned', now(), now(){value}
                 FROM tickets WHERE id = {}",
                extra.len(),
                wangs.0
            )
        };
        for (column, value) in [
            ("id", format!("{far}")),
            ("version", "99".into()),
            ("first_response_at", "now()".into()),
            ("resolved_at", "now()".into()),
            ("round", "5".into()),
        ] {
            assert_eq!(
                exec(
                    &mut c,
                    &ticket(&format!(", {column}"), &format!(", {value}"))
                )
                .await,
                Err(DENIED.into()),
                "{login} set a new ticket's {column}"
            );
        }
        assert_eq!(
            exec(&mut c, &ticket("", "")).await,
            Err(DENIED.into()),
            "{login}'s ticket: only the service writes"
        );
        // A command's record: when it was applied is the server's to say.
        let record = |extra: &str, value: &str| {
            format!(
                "INSERT INTO commands (id, user_id, kind, ticket_id{extra})
                 VALUES (gen_random_uuid(), {actor}, 'x', {}{value})",
                wangs.0
            )
        };
        assert_eq!(
            exec(
                &mut c,
                &record(", applied_at", ", now() - interval '1 day'")
            )
            .await,
            Err(DENIED.into()),
            "{login} dated a command"
        );
        assert_eq!(
            exec(&mut c, &record("", "")).await,
            Err(DENIED.into()),
            "{login}'s command: only the service writes"
        );
    }
    // The app's own writes, applied by the service as the member, need nothing more: a
    // note, a move (one statement each), a claim (in a transaction) and a new ticket.
    let note = Envelope::new(
        db.clock.now(),
        Command::AddNote {
            ticket: wangs,
            audience: pulsedesk_core::kinds::NoteAudience::Internal,
            body: "via the app".into(),
        },
    );
    db.as_member(&a_wang).await.apply(&note).await.unwrap();
    change(
        &db,
        &a_wang,
        wangs,
        TicketCommand::Move {
            to: pulsedesk_core::kinds::Stage::InProgress,
            outcome: None,
        },
    )
    .await
    .unwrap();
    let theirs = create(&db, &a_chen, "the supervisor's").await;
    change(&db, &a_chen, theirs, TicketCommand::Claim)
        .await
        .unwrap();
}
