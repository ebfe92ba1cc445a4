//! Commands on the shared database: exactly once however often they are sent, and a
//! deterministic verdict when two desktops race on one ticket.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{create, db};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::kinds::{NoteAudience, Outcome, Priority, Role, Stage};
use pulsedesk_core::ticket::TicketCommand;
use pulsedesk_shared::command::{Applied, Command, Envelope};

#[tokio::test]
async fn a_resent_command_is_applied_once() {
    let db = db().await;
    let wang = db
        .as_member(&db.connect(&db.member("wang", Role::Agent).await).await)
        .await;
    let t = create(&db, &wang, "resent").await;
    let claim = Envelope::new(
        db.clock.now(),
        Command::Ticket {
            ticket: t,
            change: TicketCommand::Claim,
        },
    );
    assert_eq!(
        wang.apply(&claim).await.unwrap(),
        Applied::Done { ticket: t }
    );
    // The answer was lost on the way back; the desktop sends it again, twice at once.
    let again = claim.clone();
    let (a, b) = tokio::join!(wang.apply(&claim), wang.apply(&again));
    assert_eq!(a.unwrap(), Applied::AlreadyApplied);
    assert_eq!(b.unwrap(), Applied::AlreadyApplied);
    // A note sent twice concurrently on a fresh id lands once.
    let note = Envelope::new(
        db.clock.now(),
        Command::AddNote {
            ticket: t,
            audience: NoteAudience::Internal,
            body: "客户来电确认".into(),
        },
    );
    let note2 = note.clone();
    let (a, b) = tokio::join!(wang.apply(&note), wang.apply(&note2));
    let mut results = [a.unwrap(), b.unwrap()];
    results.sort_by_key(|r| matches!(r, Applied::AlreadyApplied));
    assert_eq!(
        results,
        [Applied::Done { ticket: t }, Applied::AlreadyApplied]
    );
    // So does a new ticket.
    let new = Envelope::new(
        db.clock.now(),
        Command::CreateTicket {
            ticket: common::new_ticket("once"),
        },
    );
    let new2 = new.clone();
    let (a, b) = tokio::join!(wang.apply(&new), wang.apply(&new2));
    assert!(matches!(
        (a.unwrap(), b.unwrap()),
        (Applied::Done { .. }, Applied::AlreadyApplied)
            | (Applied::AlreadyApplied, Applied::Done { .. })
    ));

    let (notes, events, tickets): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM notes), (SELECT count(*) FROM ticket_events), (SELECT count(*) FROM tickets)",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    // created ×2, assigned, stage_changed, note_added
    assert_eq!((notes, events, tickets), (1, 5, 2));
    // The log's entry names the note it added, with the note's audience and body kept.
    let (logged, note_id, audience, body): (i64, i64, String, String) = sqlx::query_as(
        "SELECT (e.data->>'note_id')::bigint, n.id, n.audience, n.body
         FROM ticket_events e, notes n WHERE e.kind = 'note_added' AND n.ticket_id = e.ticket_id",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!(logged, note_id);
    assert_eq!(
        (audience.as_str(), body.as_str()),
        ("internal", "客户来电确认")
    );
}

#[tokio::test]
async fn a_claim_sent_twice_at_once_is_applied_once_and_never_refused() {
    let db = db().await;
    let wang = db
        .as_member(&db.connect(&db.member("wang", Role::Agent).await).await)
        .await;
    sqlx::query("UPDATE users SET cap = 20")
        .execute(db.owner.pool())
        .await
        .unwrap();
    for round in 0..8 {
        let t = create(&db, &wang, &format!("claimed twice {round}")).await;
        let claim = Envelope::new(
            db.clock.now(),
            Command::Ticket {
                ticket: t,
                change: TicketCommand::Claim,
            },
        );
        let again = claim.clone();
        // The second to take the lock finds the ticket already claimed by this very
        // command: it is told the claim was applied, not that the ticket is taken.
        let (a, b) = tokio::join!(wang.apply(&claim), wang.apply(&again));
        let mut results = [a.unwrap(), b.unwrap()];
        results.sort_by_key(|r| matches!(r, Applied::AlreadyApplied));
        assert_eq!(
            results,
            [Applied::Done { ticket: t }, Applied::AlreadyApplied]
        );
    }
    let (claims,): (i64,) =
        sqlx::query_as("SELECT count(*) FROM ticket_events WHERE kind = 'assigned'")
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert_eq!(claims, 8);
}

#[tokio::test]
async fn notes_sent_at_once_on_one_ticket_all_land_once_each() {
    let db = db().await;
    let chen = db
        .as_member(&db.connect(&db.member("chen", Role::Supervisor).await).await)
        .await;
    let liu = db
        .as_member(&db.connect(&db.member("liu", Role::Supervisor).await).await)
        .await;
    let t = create(&db, &chen, "busy").await;
    let note = |n: usize| {
        Envelope::new(
            db.clock.now(),
            Command::AddNote {
                ticket: t,
                audience: NoteAudience::Internal,
                body: format!("第 {n} 条"),
            },
        )
    };
    // Each write finds the version moved by another now and then: it reads and decides
    // again, and after a few tries waits for the row's lock.
    let notes: Vec<Envelope> = (0..24).map(note).collect();
    let runs = notes.iter().enumerate().map(|(i, e)| {
        let who = if i % 2 == 0 { &chen } else { &liu };
        who.apply(e)
    });
    for r in futures_util::future::join_all(runs).await {
        assert_eq!(r.unwrap(), Applied::Done { ticket: t });
    }
    let (notes, logged, version): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM notes WHERE ticket_id = $1),
                (SELECT count(*) FROM ticket_events WHERE ticket_id = $1 AND kind = 'note_added'),
                (SELECT version FROM tickets WHERE id = $1)",
    )
    .bind(t.0)
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!((notes, logged, version), (24, 24, 25));
}

#[tokio::test]
async fn one_id_sent_for_two_tickets_at_once_is_applied_once() {
    let db = db().await;
    let chen = db
        .as_member(&db.connect(&db.member("chen", Role::Supervisor).await).await)
        .await;
    for round in 0..12 {
        let t1 = create(&db, &chen, &format!("one {round}")).await;
        let t2 = create(&db, &chen, &format!("two {round}")).await;
        // A desktop that sends the same id twice, each time for a different ticket: the
        // second write finds the id recorded by the first and undoes itself whole.
        let first = Envelope::new(
            db.clock.now(),
            Command::AddNote {
                ticket: t1,
                audience: NoteAudience::Internal,
                body: "一".into(),
            },
        );
        let mut second = first.clone();
        second.command = Command::AddNote {
            ticket: t2,
            audience: NoteAudience::Internal,
            body: "二".into(),
        };
        let (a, b) = tokio::join!(chen.apply(&first), chen.apply(&second));
        let results = [a.unwrap(), b.unwrap()];
        assert_eq!(
            results
                .iter()
                .filter(|r| matches!(r, Applied::AlreadyApplied))
                .count(),
            1,
            "{results:?}"
        );
        let (notes, versions): (i64, i64) = sqlx::query_as(
            "SELECT (SELECT count(*) FROM notes WHERE ticket_id IN ($1, $2)),
                    (SELECT sum(version)::bigint FROM tickets WHERE id IN ($1, $2))",
        )
        .bind(t1.0)
        .bind(t2.0)
        .fetch_one(db.owner.pool())
        .await
        .unwrap();
        assert_eq!((notes, versions), (1, 3), "round {round}");
    }
}

#[tokio::test]
async fn two_agents_claiming_one_ticket_one_wins_and_the_other_is_told() {
    let db = db().await;
    let wang = db
        .as_member(&db.connect(&db.member("wang", Role::Agent).await).await)
        .await;
    let li = db
        .as_member(&db.connect(&db.member("li", Role::Agent).await).await)
        .await;
    sqlx::query("UPDATE users SET cap = 20")
        .execute(db.owner.pool())
        .await
        .unwrap();
    for round in 0..12 {
        let t = create(&db, &wang, &format!("race {round}")).await;
        let claim = |_| Command::Ticket {
            ticket: t,
            change: TicketCommand::Claim,
        };
        let (ew, el) = (
            Envelope::new(db.clock.now(), claim(())),
            Envelope::new(db.clock.now(), claim(())),
        );
        let (a, b) = tokio::join!(wang.apply(&ew), li.apply(&el));
        let (won, lost) = match (a, b) {
            (Ok(_), Err(e)) => (wang.actor().id, e),
            (Err(e), Ok(_)) => (li.actor().id, e),
            other => panic!("exactly one claim wins: {other:?}"),
        };
        assert_eq!(lost.code(), "conflict", "{lost}");
        assert_eq!(lost.to_string(), "someone has already taken this ticket");
        let (assignee, version): (i64, i64) =
            sqlx::query_as("SELECT assignee_id, version FROM tickets WHERE id = $1")
                .bind(t.0)
                .fetch_one(db.owner.pool())
                .await
                .unwrap();
        assert_eq!((assignee, version), (won.0, 2));
    }
}

#[tokio::test]
async fn the_workflow_runs_on_the_shared_database_with_timings() {
    let db = db().await;
    let wang = db
        .as_member(&db.connect(&db.member("wang", Role::Agent).await).await)
        .await;
    let t = create(&db, &wang, "workflow").await;
    let step = |change| Envelope::new(db.clock.now(), Command::Ticket { ticket: t, change });
    wang.apply(&step(TicketCommand::Claim)).await.unwrap();
    db.clock.advance(chrono::Duration::minutes(7));
    wang.apply(&step(TicketCommand::Move {
        to: Stage::InProgress,
        outcome: None,
    }))
    .await
    .unwrap();
    let skip = wang
        .apply(&step(TicketCommand::Move {
            to: Stage::ToContact,
            outcome: None,
        }))
        .await;
    assert_eq!(skip.map_err(|e| e.code()), Err("illegal_transition"));
    db.clock.advance(chrono::Duration::minutes(30));
    wang.apply(&step(TicketCommand::Move {
        to: Stage::Done,
        outcome: Some(Outcome::Fully),
    }))
    .await
    .unwrap();
    let (stage, first, resolved, created, number): (
        String,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
        chrono::DateTime<chrono::Utc>,
        String,
    ) = sqlx::query_as(
        "SELECT stage, first_response_at, resolved_at, created_at, number FROM tickets WHERE id = $1",
    )
    .bind(t.0)
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    assert_eq!(stage, "done");
    assert_eq!((first - created).num_minutes(), 7);
    assert_eq!((resolved - created).num_minutes(), 37);
    assert_eq!(number, "CS2026112301");
}

#[tokio::test]
async fn a_priority_changes_once_by_the_same_rule_as_on_the_desktop() {
    let db = db().await;
    let wang = db
        .as_member(&db.connect(&db.member("wang", Role::Agent).await).await)
        .await;
    let li = db
        .as_member(&db.connect(&db.member("li", Role::Agent).await).await)
        .await;
    let t = create(&db, &wang, "priority").await;
    let change = |to| Envelope::new(db.clock.now(), Command::ChangePriority { ticket: t, to });
    let row = || async {
        sqlx::query_as::<_, (String, i32, i64)>(
            "SELECT priority, priority_rank, version FROM tickets WHERE id = $1",
        )
        .bind(t.0)
        .fetch_one(db.owner.pool())
        .await
        .unwrap()
    };
    let (before, _, version) = row().await;
    assert_eq!(before, "high", "new_ticket's priority");

    // Not in the pool: only whoever works the ticket (or a supervisor) may.
    let pool = wang.apply(&change(Priority::Low)).await.unwrap_err();
    assert_eq!(pool.code(), "forbidden", "{pool}");
    let claim = Envelope::new(
        db.clock.now(),
        Command::Ticket {
            ticket: t,
            change: TicketCommand::Claim,
        },
    );
    wang.apply(&claim).await.unwrap();
    let version = version + 1; // the claim
    let lower = change(Priority::Low);
    assert_eq!(
        wang.apply(&lower).await.unwrap(),
        Applied::Done { ticket: t }
    );
    assert_eq!(wang.apply(&lower).await.unwrap(), Applied::AlreadyApplied);
    assert_eq!(row().await, ("low".into(), 3, version + 1));
    let logged: Vec<serde_json::Value> = sqlx::query_scalar(
        "SELECT data FROM ticket_events WHERE ticket_id = $1 AND kind = 'priority_changed'",
    )
    .bind(t.0)
    .fetch_all(db.owner.pool())
    .await
    .unwrap();
    assert_eq!(
        logged,
        vec![serde_json::json!({"type": "priority_changed", "from": "high", "to": "low"})]
    );

    // Refused: the same priority again; someone else's ticket; a finished one.
    let same = wang.apply(&change(Priority::Low)).await.unwrap_err();
    assert_eq!(same.code(), "invalid_input", "{same}");
    let not_theirs = li.apply(&change(Priority::Urgent)).await.unwrap_err();
    assert!(
        matches!(not_theirs.code(), "forbidden" | "conflict"),
        "{not_theirs}"
    );
    for to in [Stage::InProgress, Stage::Done] {
        let step = Envelope::new(
            db.clock.now(),
            Command::Ticket {
                ticket: t,
                change: TicketCommand::Move {
                    to,
                    outcome: (to == Stage::Done).then_some(Outcome::Fully),
                },
            },
        );
        wang.apply(&step).await.unwrap();
    }
    let finished = wang.apply(&change(Priority::Urgent)).await.unwrap_err();
    assert_eq!(finished.code(), "invalid_input", "{finished}");
    assert_eq!(row().await.0, "low");
}
