//! The SLA scheduler: a tokio task that sleeps until the next pending alert.
//!
//! It learns of changes through its [`SchedulerHandle`] (a ticket changed, the rules
//! changed). Time comes from the workspace's [`pulsedesk_core::clock::Clock`], so tests
//! drive it with a manual clock and [`SchedulerHandle::tick`].

use crate::notifier::Notifier;
use crate::present::{greeting, popups, relevant, Presence, ReminderDigest};
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::sla::alert::dues_of;
use pulsedesk_core::sla::Agenda;
use pulsedesk_core::sla::AlertLevel;
use pulsedesk_store::{AlertRecord, StoreError, Workspace};
use std::collections::HashSet;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// The longest the scheduler sleeps without looking at the wall clock: a clock jump or a
/// resume from sleep is noticed within this, and what was missed fires then, once.
pub const MAX_NAP: Duration = Duration::from_secs(5);

/// Called after alerts were raised (the tray refreshes its counts, windows their lists).
pub type OnRaised = Arc<dyn Fn(&[AlertRecord]) + Send + Sync>;

enum Cmd {
    Ticket(TicketId),
    Session,
    Rules,
    Tick(oneshot::Sender<usize>),
    Started(oneshot::Sender<()>),
    Stop,
}

/// Talks to a running scheduler. Cheap to clone.
#[derive(Clone)]
pub struct SchedulerHandle {
    tx: mpsc::UnboundedSender<Cmd>,
}

impl SchedulerHandle {
    /// A ticket was created or changed: reschedule its alerts.
    pub fn ticket_changed(&self, id: TicketId) {
        let _ = self.tx.send(Cmd::Ticket(id));
    }

    /// Someone signed in (or out) on this desktop: greet them now rather than within
    /// [`MAX_NAP`].
    pub fn session_changed(&self) {
        let _ = self.tx.send(Cmd::Session);
    }

    /// Policies, calendars, targets or settings changed: reschedule everything.
    pub fn rules_changed(&self) {
        let _ = self.tx.send(Cmd::Rules);
    }

    /// Fires whatever is due now and returns how many alerts held since the previous tick
    /// (for tests and tools).
    pub async fn tick(&self) -> usize {
        let (ack, done) = oneshot::channel();
        if self.tx.send(Cmd::Tick(ack)).is_err() {
            return 0;
        }
        done.await.unwrap_or(0)
    }

    /// Returns once the task has loaded the open tickets and greeted whoever is signed in,
    /// without firing or counting anything itself (for tests and tools that must not race
    /// the first round).
    pub async fn started(&self) {
        let (ack, done) = oneshot::channel();
        if self.tx.send(Cmd::Started(ack)).is_ok() {
            let _ = done.await;
        }
    }

    /// Stops the task.
    pub fn stop(&self) {
        let _ = self.tx.send(Cmd::Stop);
    }
}

/// The scheduler before it starts.
pub struct Scheduler {
    ws: Workspace,
    presence: Arc<dyn Presence>,
    notifier: Arc<dyn Notifier>,
    on_raised: Option<OnRaised>,
    agenda: Agenda,
    /// Alerts raised since the last [`SchedulerHandle::tick`].
    since_tick: usize,
    /// Breach reminders waiting for their interval's one pop-up, and for whom.
    digest: ReminderDigest,
    digest_for: Option<pulsedesk_core::ids::UserId>,
    /// How often a breach is told again (the team's reminder setting).
    reminder: Option<ChronoDuration>,
    /// Who was greeted at sign-in, when, and the breached tickets the greeting named.
    greeted: Option<Greeted>,
}

struct Greeted {
    user: UserId,
    at: DateTime<Utc>,
    told: HashSet<TicketId>,
}

impl Scheduler {
    pub fn new(ws: Workspace, presence: Arc<dyn Presence>, notifier: Arc<dyn Notifier>) -> Self {
        Scheduler {
            ws,
            presence,
            notifier,
            on_raised: None,
            agenda: Agenda::new(None),
            since_tick: 0,
            digest: ReminderDigest::default(),
            digest_for: None,
            reminder: None,
            greeted: None,
        }
    }

    /// Calls `f` after each batch of raised alerts.
    pub fn on_raised(mut self, f: OnRaised) -> Self {
        self.on_raised = Some(f);
        self
    }

    /// The handle and the task to spawn on a tokio runtime.
    pub fn start(self) -> (SchedulerHandle, impl Future<Output = ()> + Send + 'static) {
        let (tx, rx) = mpsc::unbounded_channel();
        (SchedulerHandle { tx }, self.run(rx))
    }

    fn now(&self) -> DateTime<Utc> {
        self.ws.clock().now()
    }

    /// Rebuilds the agenda from every open ticket (start-up, rule changes).
    async fn load_all(&mut self) -> Result<(), StoreError> {
        let settings = self.ws.sla_settings().await?;
        let reminder = (settings.reminder_minutes > 0)
            .then(|| ChronoDuration::minutes(i64::from(settings.reminder_minutes)));
        self.reminder = reminder;
        let mut agenda = Agenda::new(reminder);
        // Keep what this run already raised; add what earlier runs and other desktops did.
        agenda.mark_done(self.ws.raised_alerts().await?);
        let now = self.now();
        for t in self.ws.watched_tickets().await? {
            agenda.set(t.id, dues_of(t.id, t.round, &t.running), now);
        }
        self.agenda = agenda;
        tracing::debug!(pending = self.agenda.len(), "SLA agenda loaded");
        Ok(())
    }

    async fn reload(&mut self, id: TicketId) -> Result<(), StoreError> {
        match self.ws.watched_ticket(id).await? {
            Some(t) => {
                let now = self.now();
                self.agenda.set(id, dues_of(id, t.round, &t.running), now);
            }
            None => self.agenda.remove(id),
        }
        Ok(())
    }

    /// At sign-in, one pop-up for what already breached (not one per ticket, nor a burst
    /// of the crossings missed while nobody was signed in).
    async fn greet(&mut self, now: DateTime<Utc>) {
        let Some(viewer) = self.presence.viewer() else {
            self.greeted = None;
            return;
        };
        if self.greeted.as_ref().is_some_and(|g| g.user == viewer.user) {
            return;
        }
        let breached = match self.ws.breached_now().await {
            Ok(b) => b,
            Err(e) => {
                tracing::warn!(error = %e, "the sign-in summary could not be read");
                Vec::new()
            }
        };
        let mut told = HashSet::new();
        if let Some((popup, tickets)) = greeting(&viewer, &breached) {
            tracing::info!(tickets = tickets.len(), "already breached at sign-in");
            self.notifier.show(popup);
            told.extend(tickets);
        }
        self.digest = ReminderDigest::default();
        self.digest.told(now);
        self.digest_for = Some(viewer.user);
        self.greeted = Some(Greeted {
            user: viewer.user,
            at: now,
            told,
        });
    }

    /// Records and presents everything due; returns how many alerts still held.
    async fn fire_due(&mut self) -> usize {
        let now = self.now();
        let due = self.agenda.take_due(now);
        if due.is_empty() {
            return 0;
        }
        let mut records = Vec::with_capacity(due.len());
        for d in &due {
            match self.ws.record_alert(d).await {
                Ok(Some(r)) => records.push(r),
                Ok(None) => {}
                Err(e) => {
                    tracing::warn!(error = %e, ticket = %d.key.ticket, "SLA alert not recorded")
                }
            }
        }
        if records.is_empty() {
            return 0;
        }
        tracing::info!(alerts = records.len(), "SLA alerts raised");
        self.since_tick += records.len();
        self.present(&records, now).await;
        if let Some(f) = &self.on_raised {
            f(&records);
        }
        records.len()
    }

    async fn present(&mut self, records: &[AlertRecord], now: DateTime<Utc>) {
        let Some(viewer) = self.presence.viewer() else {
            return;
        };
        let mut chosen = Vec::new();
        for r in relevant(&viewer, records, now) {
            match self.ws.claim_notice(&r.facts.due, viewer.user).await {
                Ok(true) => chosen.push(r),
                Ok(false) => {}
                Err(e) => tracing::warn!(error = %e, "pop-up claim failed"),
            }
        }
        // A breach the sign-in greeting named, crossed before it, was told already.
        if let Some(g) = self.greeted.as_ref().filter(|g| g.user == viewer.user) {
            chosen.retain(|r| {
                let k = r.facts.due.key;
                !(k.level == AlertLevel::Breached
                    && r.facts.due.at <= g.at
                    && g.told.contains(&k.ticket))
            });
        }
        let (reminders, fresh): (Vec<&AlertRecord>, Vec<&AlertRecord>) =
            chosen.into_iter().partition(|r| r.facts.due.repeat > 0);
        if self.digest_for != Some(viewer.user) {
            self.digest = ReminderDigest::default();
            self.digest_for = Some(viewer.user);
        }
        self.digest.add(&reminders);
        let offset = self.ws.clock().offset_at(now);
        for p in popups(&viewer, &fresh, offset, now) {
            self.notifier.show(p);
        }
    }

    /// Shows the interval's one reminder pop-up, when reminders wait and it is time.
    fn remind(&mut self, now: DateTime<Utc>) {
        let (Some(viewer), Some(interval)) = (self.presence.viewer(), self.reminder) else {
            return;
        };
        if self.digest_for != Some(viewer.user) {
            return;
        }
        let offset = self.ws.clock().offset_at(now);
        if let Some(p) = self.digest.take(viewer.lang, offset, now, interval) {
            self.notifier.show(p);
        }
    }

    async fn run(mut self, mut rx: mpsc::UnboundedReceiver<Cmd>) {
        if let Err(e) = self.load_all().await {
            tracing::error!(error = %e, "SLA scheduler could not load the open tickets");
        }
        loop {
            self.greet(self.now()).await;
            self.fire_due().await;
            let now = self.now();
            self.remind(now);
            let nap = self
                .agenda
                .next_at()
                .map(|at| (at - now).to_std().unwrap_or(Duration::ZERO))
                .unwrap_or(MAX_NAP)
                .min(MAX_NAP);
            tokio::select! {
                _ = tokio::time::sleep(nap) => {}
                cmd = rx.recv() => match cmd {
                    None | Some(Cmd::Stop) => break,
                    Some(Cmd::Ticket(id)) => {
                        if let Err(e) = self.reload(id).await {
                            tracing::warn!(error = %e, ticket = %id, "SLA agenda not updated");
                        }
                    }
                    Some(Cmd::Rules) => {
                        if let Err(e) = self.load_all().await {
                            tracing::warn!(error = %e, "SLA agenda not reloaded");
                        }
                    }
                    Some(Cmd::Session) => {}
                    Some(Cmd::Started(ack)) => {
                        let _ = ack.send(());
                    }
                    Some(Cmd::Tick(ack)) => {
                        self.greet(self.now()).await;
                        self.fire_due().await;
                        self.remind(self.now());
                        let _ = ack.send(std::mem::take(&mut self.since_tick));
                    }
                },
            }
        }
        tracing::debug!("SLA scheduler stopped");
    }
}
