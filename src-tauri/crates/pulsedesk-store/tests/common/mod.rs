//! Shared helpers for the store tests: a workspace in a temp dir with a manual clock.

#![allow(dead_code)]
// Test helpers: a failed setup step should stop the test at once.
#![allow(clippy::unwrap_used)]

use chrono::{FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::{TicketTypeId, UserId};
use pulsedesk_core::kinds::{Channel, Priority, Role, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
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
