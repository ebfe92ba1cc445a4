//! One change from the server written into a replica, as a pull writes it: the ticket's row,
//! its new log entry and note, the search index, the SLA clocks and the cursor, in one
//! transaction. Every desktop does this for every change the team makes, so with 50
//! desktops on one machine it is paid 50 times. Run with `bench/replica_apply.sh`.

use chrono::{DateTime, Duration, FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::NoteId;
use pulsedesk_core::kinds::{Channel, NoteAudience, Priority, Tier};
use pulsedesk_core::replica::{
    After, ConfigSnapshot, CustomerSnapshot, EventSnapshot, MemberSnapshot, NoteSnapshot,
    TicketSnapshot, TypeSnapshot,
};
use pulsedesk_core::ticket::EventKind;
use pulsedesk_store::Workspace;
use std::sync::Arc;
use std::time::Instant;

const TICKETS: i64 = 1000;
const NOTES: i64 = 5;
const RUNS: i64 = 3000;

type Error = Box<dyn std::error::Error>;

fn event(id: i64, at: DateTime<Utc>, kind: &EventKind) -> Result<EventSnapshot, Error> {
    Ok(EventSnapshot {
        id,
        at,
        actor_id: Some(7),
        kind: kind.name().into(),
        data: serde_json::to_string(kind)?,
    })
}

fn note(id: i64, at: DateTime<Utc>) -> NoteSnapshot {
    NoteSnapshot {
        id,
        author_id: 7,
        audience: "internal".into(),
        body: format!("备注 {id}"),
        created_at: at,
    }
}

/// Ticket `id`, logged at `at`, with its `created` entry and [`NOTES`] notes.
fn ticket(id: i64, at: DateTime<Utc>) -> Result<TicketSnapshot, Error> {
    let created = EventKind::Created {
        channel: Channel::Phone,
        priority: Priority::High,
        tier: Tier::Vip,
    };
    Ok(TicketSnapshot {
        id,
        number: format!("CS2026112{id:05}"),
        channel: "phone".into(),
        type_id: 3,
        customer: CustomerSnapshot {
            id: 10_000 + id,
            name: "张**".into(),
            phone: "138****0000".into(),
            email: String::new(),
            tier: "vip".into(),
            created_at: at,
        },
        tier: "vip".into(),
        priority: "high".into(),
        priority_rank: 1,
        subject: format!("退款 {id}"),
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
        events: vec![event(id * 1000, at, &created)?],
        notes: (0..NOTES).map(|n| note(id * 1000 + n, at)).collect(),
        after: None,
    })
}

#[tokio::main]
async fn main() -> Result<(), Error> {
    let start = Utc
        .with_ymd_and_hms(2026, 11, 23, 2, 0, 0)
        .single()
        .ok_or("time")?;
    let clock = Arc::new(ManualClock::new(
        start,
        FixedOffset::east_opt(8 * 3600).ok_or("tz")?,
    ));
    let dir = tempfile::tempdir()?;
    let ws = Workspace::open(&dir.path().join("replica.db"), clock).await?;
    ws.become_replica().await?;
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
    .await?;
    let all = (1..=TICKETS)
        .map(|id| ticket(id, start))
        .collect::<Result<Vec<_>, _>>()?;
    ws.apply_tickets(&all, &[], Some("{\"xid\":1,\"seq\":1}"))
        .await?;
    // One change at a time: a note on the next ticket round the list, as the server sends
    // it after the replica's newest entries.
    let mut took = Vec::new();
    for k in 0..RUNS {
        let id = 1 + k % TICKETS;
        let at = start + Duration::seconds(k + 1);
        let mut t = ticket(id, start)?;
        let n = id * 1000 + NOTES + k / TICKETS;
        t.after = Some(After {
            event: id * 1000 + k / TICKETS,
            note: n - 1,
        });
        t.updated_at = at;
        t.version = 2 + k / TICKETS;
        t.notes = vec![note(n, at)];
        t.events = vec![event(
            id * 1000 + 1 + k / TICKETS,
            at,
            &EventKind::NoteAdded {
                note_id: NoteId(n),
                audience: NoteAudience::Internal,
            },
        )?];
        let cursor = format!("{{\"xid\":{},\"seq\":{}}}", k + 2, k + 2);
        let began = Instant::now();
        ws.apply_tickets(&[t], &[], Some(&cursor)).await?;
        took.push(began.elapsed().as_secs_f64() * 1e6);
    }
    took.sort_by(f64::total_cmp);
    let pct = |p: f64| took[((took.len() as f64 - 1.0) * p).round() as usize];
    println!(
        "| One change written into a replica of {TICKETS} tickets | {:.0} µs p50, {:.0} µs p99 of {RUNS} |",
        pct(0.5),
        pct(0.99)
    );
    Ok(())
}
