//! Many desktops working one shared database at once, with random commands: every replica
//! converges on exactly what the server holds for its member, and every accepted command
//! is applied once.

// Test setup: a failed step should stop the test at once.
#![allow(clippy::unwrap_used)]

mod common;

use common::{desk, eventually, server_entries, server_view, Desk};
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{NoteAudience, Outcome, Priority, Role, Stage};
use pulsedesk_shared::testing::{db, new_ticket, TestDb};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::time::Duration;

const WAIT: Duration = Duration::from_secs(30);

/// What one desktop's random session queued.
#[derive(Default)]
struct Tally {
    queued: usize,
    notes: usize,
    creates: usize,
}

/// One desktop's random session: `ops` changes on whatever its replica shows.
async fn work(d: &Desk, agents: &[UserId], seed: u64, ops: usize) -> Tally {
    let mut rng = StdRng::seed_from_u64(seed);
    let mut tally = Tally::default();
    let stages = [
        Stage::ToContact,
        Stage::InProgress,
        Stage::AwaitingReply,
        Stage::Done,
    ];
    let priorities = [
        Priority::Urgent,
        Priority::High,
        Priority::Medium,
        Priority::Low,
    ];
    for _ in 0..ops {
        let ids: Vec<i64> = d
            .tickets()
            .await
            .iter()
            .map(|t| t.0)
            .filter(|id| *id > 0)
            .collect();
        let Some(&id) = ids.get(rng.random_range(0..ids.len().max(1))) else {
            continue;
        };
        let id = TicketId(id);
        let supervisor = d.actor.role == pulsedesk_core::kinds::Role::Supervisor;
        let queued = match rng.random_range(0..5) {
            0 if supervisor => {
                let to = agents[rng.random_range(0..agents.len())];
                d.ws.assign_ticket(&d.actor, id, to).await.map(|_| "assign")
            }
            0 => d.ws.claim_ticket(&d.actor, id).await.map(|_| "claim"),
            1 => {
                let to = stages[rng.random_range(0..stages.len())];
                let outcome = (to == Stage::Done).then_some(Outcome::Fully);
                d.ws.move_ticket(&d.actor, id, to, outcome)
                    .await
                    .map(|_| "move")
            }
            2 => {
                d.ws.add_note(
                    &d.actor,
                    id,
                    NoteAudience::Internal,
                    &format!("note {seed}"),
                )
                .await
                .map(|_| "note")
            }
            3 => {
                let to = priorities[rng.random_range(0..priorities.len())];
                d.ws.change_priority(&d.actor, id, to)
                    .await
                    .map(|_| "priority")
            }
            _ if supervisor => {
                d.ws.create_ticket(&d.actor, &new_ticket("随机工单"))
                    .await
                    .map(|_| "create")
            }
            _ => continue,
        };
        // A change the local rules refuse is never queued.
        if let Ok(kind) = queued {
            tally.queued += 1;
            tally.notes += usize::from(kind == "note");
            tally.creates += usize::from(kind == "create");
            d.kick();
        }
        tokio::time::sleep(Duration::from_millis(rng.random_range(0..15))).await;
    }
    tally
}

/// (id, priority) of every ticket in `d`'s replica.
async fn priorities(d: &Desk) -> Vec<(i64, String)> {
    sqlx::query_as(PRIORITIES)
        .fetch_all(d.ws.pool())
        .await
        .unwrap()
}

/// (id, priority) of every ticket `login` may see on the server.
async fn server_priorities(db: &TestDb, login: &str) -> Vec<(i64, String)> {
    let s = db.connect(login).await;
    let rows = sqlx::query_as(PRIORITIES)
        .fetch_all(s.pool())
        .await
        .unwrap();
    s.close().await;
    rows
}

const PRIORITIES: &str = "SELECT id, priority FROM tickets ORDER BY id";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn eight_desktops_with_random_commands_converge_on_the_server() {
    let db = db().await;
    // The team service applies what the desktops submit.
    let _service = db.service().await;
    let mut logins = vec![
        db.member("陈静", Role::Supervisor).await,
        db.member("刘洋", Role::Supervisor).await,
    ];
    for name in ["吴婷", "周杰", "孙悦", "郑浩", "冯雪", "何军"] {
        logins.push(db.member(name, Role::Agent).await);
    }
    let mut desks = Vec::new();
    for l in &logins {
        desks.push(desk(&db, l).await);
    }
    let agents: Vec<UserId> = desks[2..].iter().map(|d| d.actor.id).collect();
    for i in 0..20 {
        desks[i % 2]
            .ws
            .create_ticket(&desks[i % 2].actor, &new_ticket(&format!("工单 {i}")))
            .await
            .unwrap();
    }
    desks[0].kick();
    desks[1].kick();
    eventually("the first tickets reach every desktop", WAIT, || async {
        let mut all = true;
        for d in &desks {
            all &= d.tickets().await.iter().filter(|t| t.0 > 0).count() == 20;
        }
        all
    })
    .await;

    let tallies = futures_join(&desks, &agents).await;

    eventually("every outbox is empty", WAIT, || async {
        let mut pending = 0;
        for d in &desks {
            pending += d.status().await.pending;
        }
        pending == 0
    })
    .await;
    for (d, login) in desks.iter().zip(&logins) {
        eventually(
            &format!("{login}'s replica matches the server"),
            WAIT,
            || async {
                d.tickets().await == server_view(&db, login).await
                    && d.entries().await == server_entries(&db, login).await
                    && priorities(d).await == server_priorities(&db, login).await
            },
        )
        .await;
    }
    // Every command accepted, once: queued = applied + refused.
    let mut rejected = 0;
    let mut rejected_notes = 0;
    let mut rejected_creates = 0;
    for d in &desks {
        for r in d.ws.outbox_rejections().await.unwrap() {
            rejected += 1;
            rejected_notes += usize::from(r.kind == "add_note");
            rejected_creates += usize::from(r.kind == "create_ticket");
        }
    }
    let queued: usize = tallies.iter().map(|t| t.queued).sum::<usize>() + 20;
    let notes: usize = tallies.iter().map(|t| t.notes).sum();
    let creates: usize = tallies.iter().map(|t| t.creates).sum::<usize>() + 20;
    let (commands, server_notes, tickets): (i64, i64, i64) = sqlx::query_as(
        "SELECT (SELECT count(*) FROM commands), (SELECT count(*) FROM notes), (SELECT count(*) FROM tickets)",
    )
    .fetch_one(db.owner.pool())
    .await
    .unwrap();
    eprintln!("{queued} commands queued, {rejected} refused by the server, {commands} applied");
    assert!(queued > 60, "the session did real work ({queued} commands)");
    assert_eq!(
        commands as usize,
        queued - rejected,
        "no command lost or applied twice"
    );
    assert_eq!(server_notes as usize, notes - rejected_notes);
    assert_eq!(tickets as usize, creates - rejected_creates);
    // A note applied twice would log twice.
    let logged: i64 =
        sqlx::query_scalar("SELECT count(*) FROM ticket_events WHERE kind = 'note_added'")
            .fetch_one(db.owner.pool())
            .await
            .unwrap();
    assert_eq!(logged, server_notes);
}

/// Runs every desktop's session at once.
async fn futures_join(desks: &[Desk], agents: &[UserId]) -> Vec<Tally> {
    let sessions = desks
        .iter()
        .enumerate()
        .map(|(i, d)| work(d, agents, 1000 + i as u64, 25));
    futures_util::future::join_all(sessions).await
}
