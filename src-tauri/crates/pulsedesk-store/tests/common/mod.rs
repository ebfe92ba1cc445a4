//! Shared helpers for the store tests: a workspace in a temp dir with a manual clock.

#![allow(dead_code)]
// Test helpers: a failed setup step should stop the test at once.
#![allow(clippy::unwrap_used)]

use chrono::DateTime;
use chrono::{FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::{TicketTypeId, UserId};
use pulsedesk_core::kinds::{Channel, Priority, Role, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::ticket::{EventKind, TicketState};
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

pub struct Env {
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
    pub clock: Arc<ManualClock>,
}

pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// 2026-11-23 10:00 in Beijing.
pub fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap()
}

/// A fresh workspace with the demo team and `tickets` demo tickets.
pub async fn env(tickets: usize) -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(start(), beijing()));
    let ws = Workspace::open(&dir.path().join("ws.db"), clock.clone())
        .await
        .unwrap();
    ws.seed_demo(DemoOptions {
        tickets,
        ..Default::default()
    })
    .await
    .unwrap();
    Env { dir, ws, clock }
}

impl Env {
    /// The first member with `role`.
    pub async fn first(&self, role: Role) -> Actor {
        let a = self
            .ws
            .accounts()
            .await
            .unwrap()
            .into_iter()
            .find(|a| a.role == role)
            .unwrap();
        Actor {
            id: a.id,
            role: a.role,
        }
    }

    /// The `n`-th agent.
    pub async fn agent(&self, n: usize) -> Actor {
        let a = self
            .ws
            .accounts()
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.role == Role::Agent)
            .nth(n)
            .unwrap();
        Actor {
            id: a.id,
            role: a.role,
        }
    }

    /// Creates [`new_ticket`]`(subject)` as `by`.
    pub async fn create(&self, by: &Actor, subject: &str) -> pulsedesk_core::view::PoolRow {
        self.ws
            .create_ticket(by, &new_ticket(subject))
            .await
            .unwrap()
    }

    pub async fn user(&self, id: UserId) -> Actor {
        self.ws.actor(id).await.unwrap()
    }
}

pub fn new_ticket(subject: &str) -> NewTicket {
    NewTicket {
        channel: Channel::Phone,
        type_id: TicketTypeId(1),
        customer: CustomerChoice::New(NewCustomer {
            name: "张三丰".into(),
            phone: "13812341234".into(),
            email: "zhang@example.com".into(),
            tier: Tier::Vip,
        }),
        priority: Priority::High,
        subject: subject.into(),
        description: "包裹三天没有物流更新".into(),
        departments: vec![],
        attachments: vec!["waybill.png".into()],
    }
}

/// Every ticket's state, folded from its raw log.
pub async fn fold(ws: &Workspace) -> BTreeMap<i64, (TicketState, i64)> {
    let rows: Vec<(i64, i64, String)> =
        sqlx::query_as("SELECT ticket_id, at, data FROM ticket_events ORDER BY ticket_id, id")
            .fetch_all(ws.pool())
            .await
            .unwrap();
    let types: HashMap<i64, i64> = sqlx::query_as("SELECT id, type_id FROM tickets")
        .fetch_all(ws.pool())
        .await
        .unwrap()
        .into_iter()
        .collect();
    let mut out: BTreeMap<i64, (TicketState, i64)> = BTreeMap::new();
    for (ticket, at, data) in rows {
        let kind: EventKind = serde_json::from_str(&data).unwrap();
        let at = DateTime::from_timestamp_millis(at).unwrap();
        out.entry(ticket)
            .or_insert_with(|| (TicketState::default(), types[&ticket]))
            .0
            .apply(at, &kind);
    }
    out
}
