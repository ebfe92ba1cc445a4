//! A workspace with a manual clock, a member signed in, and the scheduler running.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use chrono::{FixedOffset, TimeZone, Utc};
use pulsedesk_alerts::{Notifier, Popup, Presence, Scheduler, SchedulerHandle, Viewer};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::{TicketTypeId, UserId};
use pulsedesk_core::kinds::{Channel, Priority, Role, Tier};
use pulsedesk_core::permissions::Actor;
use pulsedesk_core::sla::notice::Lang;
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket, PoolRow};
use pulsedesk_store::demo::DemoOptions;
use pulsedesk_store::Workspace;
use std::path::Path;
use std::sync::{Arc, Mutex};

/// 2026-11-23 10:00 in Beijing.
pub fn start() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap()
}

pub fn beijing() -> FixedOffset {
    FixedOffset::east_opt(8 * 3600).unwrap()
}

/// Records what would have popped up.
#[derive(Default)]
pub struct Recorder(pub Mutex<Vec<Popup>>);

impl Notifier for Recorder {
    fn show(&self, popup: Popup) {
        self.0.lock().unwrap().push(popup);
    }
}

impl Recorder {
    pub fn take(&self) -> Vec<Popup> {
        std::mem::take(&mut *self.0.lock().unwrap())
    }
}

/// The member on this desktop; tests switch it.
#[derive(Default)]
pub struct Desk(pub Mutex<Option<Viewer>>);

impl Presence for Desk {
    fn viewer(&self) -> Option<Viewer> {
        self.0.lock().unwrap().clone()
    }
}

pub struct Env {
    pub dir: tempfile::TempDir,
    pub ws: Workspace,
    pub clock: Arc<ManualClock>,
    pub desk: Arc<Desk>,
}

pub async fn open(path: &Path, clock: Arc<ManualClock>) -> Workspace {
    Workspace::open(path, clock).await.unwrap()
}

pub async fn env() -> Env {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(ManualClock::new(start(), beijing()));
    let ws = open(&dir.path().join("ws.db"), clock.clone()).await;
    ws.seed_demo(DemoOptions {
        tickets: 0,
        ..Default::default()
    })
    .await
    .unwrap();
    Env {
        dir,
        ws,
        clock,
        desk: Arc::new(Desk::default()),
    }
}

impl Env {
    pub async fn member(&self, role: Role, nth: usize) -> Actor {
        let a = self
            .ws
            .accounts()
            .await
            .unwrap()
            .into_iter()
            .filter(|a| a.role == role)
            .nth(nth)
            .unwrap();
        Actor {
            id: a.id,
            role: a.role,
        }
    }

    /// Signs `who` in on this desktop.
    pub fn sit(&self, who: Actor, lang: Lang) {
        *self.desk.0.lock().unwrap() = Some(Viewer {
            user: who.id,
            role: who.role,
            lang,
            dnd_until: None,
        });
    }

    /// Signs the member out of this desktop.
    pub fn leave(&self) {
        *self.desk.0.lock().unwrap() = None;
    }

    /// Starts a scheduler and waits for its first round (load, greeting), so a clock the
    /// test moves next is never seen by that round.
    pub async fn start(&self, notifier: Arc<dyn Notifier>) -> SchedulerHandle {
        self.start_on(self.ws.clone(), notifier).await
    }

    pub async fn start_on(&self, ws: Workspace, notifier: Arc<dyn Notifier>) -> SchedulerHandle {
        let (handle, task) = Scheduler::new(ws, self.desk.clone(), notifier).start();
        tokio::spawn(task);
        handle.started().await;
        handle
    }

    /// A high-priority VIP ticket (first response 30 min: near at 24, breached after 30).
    pub async fn ticket(&self, by: &Actor, subject: &str) -> PoolRow {
        self.ws
            .create_ticket(by, &new_ticket(subject))
            .await
            .unwrap()
    }
}

pub fn new_ticket(subject: &str) -> NewTicket {
    NewTicket {
        channel: Channel::Chat,
        type_id: TicketTypeId(1),
        customer: CustomerChoice::New(NewCustomer {
            name: "王小明".into(),
            phone: "13912345678".into(),
            email: "wang@example.com".into(),
            tier: Tier::Vip,
        }),
        priority: Priority::High,
        subject: subject.into(),
        description: String::new(),
        departments: vec![],
        attachments: vec![],
    }
}

pub fn user(id: i64) -> UserId {
    UserId(id)
}
