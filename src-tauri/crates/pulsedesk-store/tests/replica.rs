//! A replica written from the server's snapshots, on a real SQLite file: many tickets at
//! once, logs that only grow, alerts the team recorded, held tickets and bad data.

#![allow(clippy::unwrap_used)]

mod common;

use chrono::{DateTime, Duration, Utc};
use common::{beijing, start};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::{TicketId, UserId};
use pulsedesk_core::kinds::{Channel, Priority, Tier};
use pulsedesk_core::replica::{
    After, ConfigSnapshot, CustomerSnapshot, EventSnapshot, MemberSnapshot, NoteSnapshot,
    TicketSnapshot, TypeSnapshot,
};
use pulsedesk_core::search::index_terms;
use pulsedesk_core::sla::{AlertLevel, ClockKind};
use pulsedesk_core::ticket::EventKind;
use pulsedesk_store::Workspace;
use std::sync::Arc;

async fn replica() -> (tempfile::TempDir, Workspace) {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(start(), beijing()));
    let ws = Workspace::open(&dir.path().join("replica.db"), clock)
        .await
        .unwrap();
    ws.become_replica().await.unwrap();
    ws.apply_config(&ConfigSnapshot {
        members: vec![MemberSnapshot {
            id: 7,
            name: "王芳".into(),
            role: "agent".into(),
            cap: 10,
            active: true,
            presence: "online".into(),
            last_assigned_at: None,
        }],
        skills: vec![],
        member_skills: vec![],
        types: vec![TypeSnapshot {
            id: 3,
            name: "物流".into(),
            template: String::new(),
            active: true,
        }],
    })
    .await
    .unwrap();
    (dir, ws)
}

fn event(id: i64, at: DateTime<Utc>, kind: &EventKind) -> EventSnapshot {
    EventSnapshot {
        id,
        at,
        actor_id: Some(7),
        kind: kind.name().into(),
        data: serde_json::to_string(kind).unwrap(),
    }
}

fn created() -> EventKind {
    EventKind::Created {
        channel: Channel::Phone,
        priority: Priority::High,
        tier: Tier::Vip,
    }
}

/// Ticket `id` with one `created` entry (event id `id * 100`) and `notes` notes.
fn ticket(id: i64, subject: &str, notes: i64) -> TicketSnapshot {
    let at = start();
    TicketSnapshot {
        id,
        number: format!("CS20261123{id:02}"),
        channel: "phone".into(),
        type_id: 3,
        customer: CustomerSnapshot {
            id: 500 + id % 2,
            name: "张**".into(),
            phone: "138****0000".into(),
            email: String::new(),
            tier: "vip".into(),
            created_at: at,
        },
        tier: "vip".into(),
        priority: "high".into(),
        priority_rank: 1,
        subject: subject.into(),
        description: String::new(),
        departments: "[]".into(),
        attachments: "[]".into(),
        stage: "unassigned".into(),
        assignee_id: None,
        outcome: None,
        round: 1,
        created_at: at,
        updated_at: at,
        first_response_at: None,
        resolved_at: None,
        version: 1,
        waiting_since: None,
        wait_reason: None,
        events: vec![event(id * 100, at, &created())],
        notes: (0..notes)
            .map(|n| NoteSnapshot {
                id: id * 100 + n,
                author_id: 7,
                audience: "internal".into(),
                body: format!("备注 {n}"),
                created_at: at + Duration::minutes(n),
            })
            .collect(),
        after: None,
    }
}

async fn count(ws: &Workspace, sql: &str, ticket: i64) -> i64 {
    sqlx::query_scalar(sql)
        .bind(ticket)
        .fetch_one(ws.pool())
        .await
        .unwrap()
}

async fn total(ws: &Workspace, sql: &str) -> i64 {
    sqlx::query_scalar(sql).fetch_one(ws.pool()).await.unwrap()
}

#[tokio::test]
async fn thousands_of_tickets_arrive_whole_in_one_apply() {
    let (_dir, ws) = replica().await;
    let all: Vec<TicketSnapshot> = (1..=2500).map(|i| ticket(i, "快递延误", 2)).collect();
    let applied = ws.apply_tickets(&all, &[], Some("c1")).await.unwrap();
    assert_eq!(applied.written.len(), 2500);
    assert_eq!(total(&ws, "SELECT count(*) FROM tickets").await, 2500);
    assert_eq!(total(&ws, "SELECT count(*) FROM ticket_events").await, 2500);
    assert_eq!(total(&ws, "SELECT count(*) FROM notes").await, 5000);
    assert_eq!(total(&ws, "SELECT count(*) FROM customers").await, 2);
    assert_eq!(ws.replica_cursor().await.unwrap().as_deref(), Some("c1"));
    // Search finds them through the index written with them.
    let hits: i64 = sqlx::query_scalar(
        "SELECT count(*) FROM ticket_search WHERE ticket_search MATCH '\"CS2026112399\"'",
    )
    .fetch_one(ws.pool())
    .await
    .unwrap();
    assert_eq!(hits, 1);
}

#[tokio::test]
async fn a_first_fill_larger_than_sqlites_parameter_limit_arrives_in_one_apply() {
    // A month of a 3,000-a-day team is more tickets than SQLite takes parameters in one
    // statement (32,766): nothing may bind one parameter a ticket.
    let (_dir, ws) = replica().await;
    let all: Vec<TicketSnapshot> = (1..=33_000).map(|i| ticket(i, "退款", 0)).collect();
    let applied = ws.apply_tickets(&all, &[], Some("c1")).await.unwrap();
    assert_eq!(applied.written.len(), 33_000);
    assert_eq!(total(&ws, "SELECT count(*) FROM tickets").await, 33_000);
    // Every one has its SLA clocks projected (a VIP high-priority ticket waiting).
    assert_eq!(
        total(
            &ws,
            "SELECT count(*) FROM tickets WHERE sla_due_at IS NOT NULL"
        )
        .await,
        33_000
    );
}

#[tokio::test]
async fn the_log_grows_provisional_entries_go_and_recorded_alerts_are_not_raised_again() {
    let (_dir, ws) = replica().await;
    ws.apply_tickets(&[ticket(1, "退款", 1)], &[], None)
        .await
        .unwrap();
    // A provisional local entry (negative id) is superseded by the server's log.
    sqlx::query(
        "INSERT INTO ticket_events (id, ticket_id, at, actor_id, kind, data) VALUES (-1, 1, 0, 7, 'note_added', '{}')",
    )
    .execute(ws.pool())
    .await
    .unwrap();
    let mut later = ticket(1, "退款", 2);
    let alert = EventKind::SlaAlert {
        clock: ClockKind::FirstResponse,
        level: AlertLevel::NearBreach,
        round: 1,
    };
    later
        .events
        .push(event(101, start() + Duration::minutes(8), &alert));
    later.version = 2;
    // The same ticket twice in one batch: the later copy is the one kept.
    let applied = ws
        .apply_tickets(&[ticket(1, "退款", 1), later], &[], None)
        .await
        .unwrap();
    assert_eq!(applied.written, vec![TicketId(1)]);
    let log: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM ticket_events WHERE ticket_id = 1 ORDER BY id")
            .fetch_all(ws.pool())
            .await
            .unwrap();
    assert_eq!(log, vec![100, 101]);
    assert_eq!(
        count(&ws, "SELECT count(*) FROM notes WHERE ticket_id = ?", 1).await,
        2
    );
    assert_eq!(
        count(&ws, "SELECT version FROM tickets WHERE id = ?", 1).await,
        2
    );
    assert_eq!(
        count(
            &ws,
            "SELECT count(*) FROM sla_alerts WHERE ticket_id = ? AND clock = 'first_response' AND level = 'near_breach'",
            1
        )
        .await,
        1
    );
    // Applying the same state again changes nothing.
    let mut again = ticket(1, "退款", 2);
    again
        .events
        .push(event(101, start() + Duration::minutes(8), &alert));
    ws.apply_tickets(&[again], &[], None).await.unwrap();
    assert_eq!(
        count(
            &ws,
            "SELECT count(*) FROM ticket_events WHERE ticket_id = ?",
            1
        )
        .await,
        2
    );
}

#[tokio::test]
async fn a_pull_adds_only_what_followed_and_the_search_index_follows_the_subject() {
    let (_dir, ws) = replica().await;
    ws.apply_tickets(&[ticket(1, "退款", 3), ticket(2, "换货", 1)], &[], None)
        .await
        .unwrap();
    // The member's provisional note on ticket 1, its command sent (settled, not read back).
    sqlx::query(
        "INSERT INTO notes (id, ticket_id, author_id, audience, body, created_at)
         VALUES (-5, 1, 7, 'internal', '本地', 0)",
    )
    .execute(ws.pool())
    .await
    .unwrap();
    sqlx::query("INSERT INTO replica_stale (ticket_id) VALUES (1)")
        .execute(ws.pool())
        .await
        .unwrap();
    // What the pull asks the server for: what follows the newest server entries held
    // (never the provisional ones); a ticket the replica lacks starts from nothing.
    let asks = ws.replica_after(&[TicketId(1), TicketId(9)]).await.unwrap();
    assert_eq!(
        asks,
        vec![
            (
                TicketId(1),
                After {
                    event: 100,
                    note: 102
                }
            ),
            (TicketId(9), After::default())
        ]
    );
    // The server answers with the row and the one note that followed.
    let full = ticket(1, "退款加急", 4);
    let mut delta = full.clone();
    delta.events.clear();
    delta.notes = full.notes[3..].to_vec();
    delta.after = Some(asks[0].1);
    ws.apply_tickets(&[delta], &[], None).await.unwrap();
    let notes: Vec<i64> =
        sqlx::query_scalar("SELECT id FROM notes WHERE ticket_id = 1 ORDER BY id")
            .fetch_all(ws.pool())
            .await
            .unwrap();
    assert_eq!(
        notes,
        vec![100, 101, 102, 103],
        "the older entries stay, the provisional one goes"
    );
    assert_eq!(
        count(
            &ws,
            "SELECT count(*) FROM ticket_events WHERE ticket_id = ?",
            1
        )
        .await,
        1
    );
    // The search index follows the new subject; the untouched ticket keeps its entry.
    let terms = |id: i64| {
        let ws = ws.clone();
        async move {
            sqlx::query_scalar::<_, String>("SELECT terms FROM ticket_search WHERE rowid = ?")
                .bind(id)
                .fetch_all(ws.pool())
                .await
                .unwrap()
        }
    };
    assert_eq!(
        terms(1).await,
        vec![index_terms("CS2026112301 退款加急 张**")]
    );
    assert_eq!(terms(2).await, vec![index_terms("CS2026112302 换货 张**")]);
}

/// The row as the lists read it.
#[derive(Debug, PartialEq, sqlx::FromRow)]
struct Listed {
    number: String,
    channel: String,
    type_id: i64,
    customer_id: i64,
    tier: String,
    priority: String,
    priority_rank: i64,
    stage: String,
    assignee_id: Option<i64>,
    created_at: i64,
    first_response_at: Option<i64>,
    resolved_at: Option<i64>,
    updated_at: i64,
    version: i64,
    waiting_since: Option<i64>,
    wait_reason: Option<String>,
}

async fn listed(ws: &Workspace, id: i64) -> Listed {
    sqlx::query_as(
        "SELECT number, channel, type_id, customer_id, tier, priority, priority_rank, stage,
             assignee_id, created_at, first_response_at, resolved_at, updated_at, version,
             waiting_since, wait_reason
         FROM tickets WHERE id = ?",
    )
    .bind(id)
    .fetch_one(ws.pool())
    .await
    .unwrap()
}

fn expected(t: &TicketSnapshot) -> Listed {
    Listed {
        number: t.number.clone(),
        channel: t.channel.clone(),
        type_id: t.type_id,
        customer_id: t.customer.id,
        tier: t.tier.clone(),
        priority: t.priority.clone(),
        priority_rank: t.priority_rank,
        stage: t.stage.clone(),
        assignee_id: t.assignee_id,
        created_at: t.created_at.timestamp_millis(),
        first_response_at: t.first_response_at.map(|a| a.timestamp_millis()),
        resolved_at: t.resolved_at.map(|a| a.timestamp_millis()),
        updated_at: t.updated_at.timestamp_millis(),
        version: t.version,
        waiting_since: t.waiting_since.map(|a| a.timestamp_millis()),
        wait_reason: t.wait_reason.clone(),
    }
}

#[tokio::test]
async fn every_column_a_list_reads_follows_the_server_one_ticket_or_many() {
    let (_dir, ws) = replica().await;
    ws.apply_tickets(&[ticket(1, "退款", 0), ticket(2, "换货", 0)], &[], None)
        .await
        .unwrap();
    // Every column the lists' indexes hold changes, on one ticket alone (the usual pull)
    // and then on two at once; the untouched ticket keeps its row.
    let moved = |id: i64, k: i64| {
        let mut t = ticket(id, "退款", 0);
        t.events.clear();
        t.after = Some(After {
            event: id * 100,
            note: 0,
        });
        t.number = format!("CS2026112{id}{k}");
        t.channel = "email".into();
        t.customer.id = 500 + (id + k) % 2;
        t.tier = "normal".into();
        t.priority = "urgent".into();
        t.priority_rank = k;
        t.stage = if k == 1 { "in_progress" } else { "done" }.into();
        t.assignee_id = Some(7);
        t.created_at = start() - Duration::hours(k);
        t.first_response_at = Some(start() + Duration::minutes(k));
        t.resolved_at = (k == 2).then(|| start() + Duration::hours(k));
        t.updated_at = start() + Duration::hours(k);
        t.version = 1 + k;
        t
    };
    let one = moved(1, 1);
    ws.apply_tickets(std::slice::from_ref(&one), &[], None)
        .await
        .unwrap();
    assert_eq!(listed(&ws, 1).await, expected(&one));
    assert_eq!(listed(&ws, 2).await, expected(&ticket(2, "换货", 0)));
    let both = [moved(1, 2), moved(2, 2)];
    ws.apply_tickets(&both, &[], None).await.unwrap();
    assert_eq!(listed(&ws, 1).await, expected(&both[0]));
    assert_eq!(listed(&ws, 2).await, expected(&both[1]));
    // A pool ticket the team's assigner marked waiting for capacity, then one it placed.
    let mut waits = ticket(3, "等待", 0);
    waits.waiting_since = Some(start());
    waits.wait_reason = Some("all_at_cap".into());
    ws.apply_tickets(std::slice::from_ref(&waits), &[], None)
        .await
        .unwrap();
    assert_eq!(listed(&ws, 3).await, expected(&waits));
    let mut placed = moved(3, 3);
    placed.version = 9;
    ws.apply_tickets(std::slice::from_ref(&placed), &[], None)
        .await
        .unwrap();
    assert_eq!(listed(&ws, 3).await, expected(&placed));
}

#[tokio::test]
async fn a_ticket_with_unsent_edits_is_held_and_one_this_build_cannot_read_is_left_as_it_was() {
    let (_dir, ws) = replica().await;
    ws.apply_tickets(
        &[ticket(1, "旧标题", 0), ticket(2, "二号", 0)],
        &[],
        Some("c1"),
    )
    .await
    .unwrap();
    let agent = pulsedesk_core::permissions::Actor {
        id: UserId(7),
        role: pulsedesk_core::kinds::Role::Agent,
    };
    ws.claim_ticket(&agent, TicketId(1)).await.unwrap();
    let applied = ws
        .apply_tickets(&[ticket(1, "新标题", 0), ticket(2, "二号改", 0)], &[], None)
        .await
        .unwrap();
    assert_eq!(applied.held, vec![TicketId(1)]);
    assert_eq!(applied.written, vec![TicketId(2)]);
    let subject: String = sqlx::query_scalar("SELECT subject FROM tickets WHERE id = 1")
        .fetch_one(ws.pool())
        .await
        .unwrap();
    assert_eq!(subject, "旧标题", "the member's version stays until sent");

    // Rows this build cannot read (a newer Pulsedesk's stage, a hand-made channel): those
    // tickets stay as the replica had them; the rest of the pull, and the cursor, go on.
    let mut bad = ticket(3, "坏数据", 0);
    bad.stage = "teleported".into();
    let mut changed = ticket(2, "二号又改", 0);
    changed.channel = "carrier_pigeon".into();
    let mut bad_departments = ticket(6, "部门", 0);
    bad_departments.departments = "[\"finance\"]".into();
    let applied = ws
        .apply_tickets(
            &[ticket(4, "好的", 0), bad, changed, bad_departments],
            &[],
            Some("c2"),
        )
        .await
        .unwrap();
    assert_eq!(applied.written, vec![TicketId(4)]);
    assert_eq!(
        applied.unreadable,
        vec![TicketId(3), TicketId(2), TicketId(6)]
    );
    assert_eq!(
        count(&ws, "SELECT count(*) FROM tickets WHERE id = ?", 4).await,
        1
    );
    assert_eq!(
        count(&ws, "SELECT count(*) FROM tickets WHERE id IN (3, ?)", 6).await,
        0
    );
    let subject: String = sqlx::query_scalar("SELECT subject FROM tickets WHERE id = 2")
        .fetch_one(ws.pool())
        .await
        .unwrap();
    assert_eq!(subject, "二号改", "the replica's copy stays");
    assert_eq!(ws.replica_cursor().await.unwrap().as_deref(), Some("c2"));

    // Entries this build cannot read (a newer kind, a note for an unknown audience): left
    // out, and the ticket, its other entries and its timeline are all there.
    let mut five = ticket(5, "新条目", 2);
    five.events.push(EventSnapshot {
        id: 501,
        at: start(),
        actor_id: Some(7),
        kind: "video_call".into(),
        data: r#"{"type":"video_call","minutes":3}"#.into(),
    });
    five.events.push(event(
        502,
        start(),
        &EventKind::NoteAdded {
            audience: pulsedesk_core::kinds::NoteAudience::Internal,
            note_id: pulsedesk_core::ids::NoteId(500),
        },
    ));
    five.notes[1].audience = "legal".into();
    let applied = ws.apply_tickets(&[five], &[], Some("c3")).await.unwrap();
    assert_eq!(applied.written, vec![TicketId(5)]);
    assert_eq!(
        count(
            &ws,
            "SELECT count(*) FROM ticket_events WHERE ticket_id = ?",
            5
        )
        .await,
        2,
        "created and the note's entry"
    );
    assert_eq!(
        count(&ws, "SELECT count(*) FROM notes WHERE ticket_id = ?", 5).await,
        1
    );
    let supervisor = pulsedesk_core::permissions::Actor {
        id: UserId(7),
        role: pulsedesk_core::kinds::Role::Supervisor,
    };
    let detail = ws.ticket_detail(&supervisor, TicketId(5)).await.unwrap();
    assert_eq!((detail.timeline.len(), detail.notes.len()), (2, 1));
    assert_eq!(applied.partial, vec![TicketId(5)]);

    // Counted until read whole with nothing left out: a pull of what followed does not
    // clear a ticket, a whole read that still leaves something out keeps it, a good one
    // (or the ticket's removal) does.
    let counted = |ids: &[i64]| ids.iter().copied().map(TicketId).collect::<Vec<_>>();
    assert_eq!(
        ws.unreadable_tickets().await.unwrap(),
        counted(&[2, 3, 5, 6])
    );
    let mut followed = ticket(5, "新条目", 0);
    followed.events.clear();
    followed.after = Some(After {
        event: 502,
        note: 501,
    });
    ws.apply_tickets(&[followed], &[], None).await.unwrap();
    let mut still = ticket(6, "部门", 0);
    still.departments = "[\"finance\"]".into();
    ws.apply_tickets(&[ticket(2, "二号修好", 0), still], &[TicketId(3)], None)
        .await
        .unwrap();
    assert_eq!(ws.unreadable_tickets().await.unwrap(), counted(&[5, 6]));
    ws.apply_tickets(&[ticket(5, "新条目", 1), ticket(6, "部门", 0)], &[], None)
        .await
        .unwrap();
    assert_eq!(ws.unreadable_tickets().await.unwrap(), counted(&[]));
}
