//! The engine's task: connect, listen, catch up, send; on any failure, say offline, wait and
//! start again from the durable cursor.

use crate::error::SyncError;
use crate::pull::catch_up;
use crate::send::flush;
use crate::status::{Link, Observer, SyncStatus};
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::replica::DEFAULT_CLOSED_WINDOW_DAYS;
use pulsedesk_shared::{Server, Shared, SharedError};
use pulsedesk_store::Workspace;
use sqlx::postgres::PgListener;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::{watch, Notify};
use tokio::task::JoinHandle;

/// The channel the shared database's triggers notify.
const CHANNEL: &str = "pulsedesk_changes";

/// Where and as whom to connect.
#[derive(Clone)]
pub struct Login {
    pub server: Server,
    pub login: String,
    pub password: String,
}

impl std::fmt::Debug for Login {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the password.
        f.debug_struct("Login")
            .field("server", &self.server)
            .field("login", &self.login)
            .finish_non_exhaustive()
    }
}

/// How the engine behaves.
#[derive(Debug, Clone)]
pub struct Options {
    /// Finished tickets stay in the replica this many days after they were resolved.
    pub window_days: i64,
    /// Feed rows read per pull.
    pub batch: i64,
    /// A pull even without a wake-up, in case one was lost on a live connection.
    pub safety_poll: Duration,
    /// The first wait before reconnecting; it doubles up to `retry_max`.
    pub retry_min: Duration,
    pub retry_max: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            window_days: DEFAULT_CLOSED_WINDOW_DAYS,
            batch: 5000,
            safety_poll: Duration::from_secs(5),
            retry_min: Duration::from_millis(250),
            retry_max: Duration::from_secs(5),
        }
    }
}

/// Shared between the engine's task and its handle.
struct Inner {
    ws: Workspace,
    login: Login,
    clock: Arc<dyn Clock>,
    options: Options,
    observer: Arc<dyn Observer>,
    kick: Notify,
    link: Mutex<Link>,
}

/// A running sync engine. Dropping it does not stop it; call [`Engine::stop`].
pub struct Engine {
    inner: Arc<Inner>,
    stop: watch::Sender<bool>,
    task: tokio::sync::Mutex<Option<JoinHandle<()>>>,
}

impl Engine {
    /// Starts syncing `ws` with the shared database as `login`.
    pub fn start(
        ws: Workspace,
        login: Login,
        clock: Arc<dyn Clock>,
        options: Options,
        observer: Arc<dyn Observer>,
    ) -> Engine {
        let inner = Arc::new(Inner {
            ws,
            login,
            clock,
            options,
            observer,
            kick: Notify::new(),
            link: Mutex::new(Link::Connecting),
        });
        let (stop, stopped) = watch::channel(false);
        let task = tokio::spawn(run(inner.clone(), stopped));
        Engine {
            inner,
            stop,
            task: tokio::sync::Mutex::new(Some(task)),
        }
    }

    /// A change was queued: send it now if online.
    pub fn kick(&self) {
        self.inner.kick.notify_one();
    }

    /// The link's state and the outbox's counts.
    pub async fn status(&self) -> SyncStatus {
        self.inner.status().await
    }

    /// A customer's full contact details for `ticket`, asked of the server (which checks the
    /// member's right and audits the reveal). Needs the server: offline, it fails.
    pub async fn reveal_customer(
        &self,
        ticket: TicketId,
    ) -> Result<pulsedesk_core::view::CustomerView, SharedError> {
        let l = &self.inner.login;
        let shared =
            Shared::connect(&l.server, &l.login, &l.password, self.inner.clock.clone()).await?;
        let result = shared.reveal_customer(ticket).await;
        shared.close().await;
        result
    }

    /// Stops the engine and closes its connections; queued changes stay queued. Once
    /// stopped it stays stopped.
    pub async fn stop(&self) {
        let _ = self.stop.send(true);
        if let Some(task) = self.task.lock().await.take() {
            let _ = task.await;
        }
    }
}

impl Inner {
    async fn status(&self) -> SyncStatus {
        let link = self
            .link
            .lock()
            .map(|l| l.clone())
            .unwrap_or(Link::Connecting);
        let counts = self.ws.outbox_counts().await.unwrap_or_default();
        SyncStatus {
            link,
            pending: counts.pending,
            rejected: counts.rejected,
        }
    }

    async fn set_link(&self, link: Link) {
        if let Ok(mut l) = self.link.lock() {
            if *l == link {
                return;
            }
            *l = link;
        }
        self.publish().await;
    }

    async fn publish(&self) {
        let status = self.status().await;
        self.observer.status_changed(&status);
    }

    fn changed(&self, ids: &[TicketId]) {
        if !ids.is_empty() {
            self.observer.tickets_changed(ids);
        }
    }
}

/// Connects and syncs until stopped, reconnecting after every failure.
async fn run(inner: Arc<Inner>, mut stopped: watch::Receiver<bool>) {
    let mut wait = inner.options.retry_min;
    loop {
        let outcome = tokio::select! {
            r = session(&inner, &mut wait) => r,
            _ = stopped.changed() => return,
        };
        match outcome {
            Err(SyncError::Shared(SharedError::BadLogin)) => {
                tracing::warn!("the shared database refused the login; sync stopped");
                inner
                    .set_link(Link::Refused {
                        reason: SharedError::BadLogin.to_string(),
                    })
                    .await;
                let _ = stopped.changed().await;
                return;
            }
            Err(e) => {
                tracing::warn!(error = %e, "shared database unavailable; working offline");
                let since = match inner.link.lock().map(|l| l.clone()) {
                    Ok(Link::Offline { since, .. }) => since,
                    _ => inner.clock.now(),
                };
                inner
                    .set_link(Link::Offline {
                        since,
                        reason: e.to_string(),
                    })
                    .await;
            }
            Ok(()) => {}
        }
        // Waiting to retry: edits made meanwhile are queued, and the app shows their count.
        let until = tokio::time::Instant::now() + wait;
        loop {
            tokio::select! {
                _ = tokio::time::sleep_until(until) => break,
                _ = inner.kick.notified() => inner.publish().await,
                _ = stopped.changed() => return,
            }
        }
        wait = (wait * 2).min(inner.options.retry_max);
    }
}

/// One connected stretch: listen, catch up, send, then follow wake-ups and local edits.
/// Returns only with the error that ended it.
async fn session(inner: &Inner, wait: &mut Duration) -> Result<(), SyncError> {
    let l = &inner.login;
    let shared = Shared::connect(&l.server, &l.login, &l.password, inner.clock.clone()).await?;
    let result = follow(inner, &shared, wait).await;
    shared.close().await;
    result
}

async fn follow(inner: &Inner, shared: &Shared, wait: &mut Duration) -> Result<(), SyncError> {
    // Listen before catching up: a change committed in between is then either in the
    // catch-up or wakes us up afterwards.
    let mut listener = PgListener::connect_with(shared.pool()).await?;
    listener.listen(CHANNEL).await?;
    sync_once(inner, shared).await?;
    inner.set_link(Link::Online).await;
    *wait = inner.options.retry_min;
    loop {
        tokio::select! {
            woke = listener.try_recv() => {
                if woke?.is_none() {
                    // The listening connection dropped: wake-ups may have been lost, so
                    // start over (reconnect and catch up from the cursor).
                    return Err(SharedError::Unreachable("the connection was lost".into()).into());
                }
                // Everything already waiting is covered by the same pull.
                while listener.next_buffered().is_some() {}
                pull(inner, shared).await?;
            }
            _ = inner.kick.notified() => send(inner, shared).await?,
            _ = tokio::time::sleep(inner.options.safety_poll) => sync_once(inner, shared).await?,
        }
    }
}

async fn sync_once(inner: &Inner, shared: &Shared) -> Result<(), SyncError> {
    pull(inner, shared).await?;
    send(inner, shared).await
}

async fn pull(inner: &Inner, shared: &Shared) -> Result<(), SyncError> {
    let pulled = catch_up(&inner.ws, shared, &inner.options).await?;
    if pulled.config {
        inner.observer.config_changed();
    }
    inner.changed(&pulled.changed);
    Ok(())
}

async fn send(inner: &Inner, shared: &Shared) -> Result<(), SyncError> {
    let before = inner.ws.outbox_counts().await?;
    let result = flush(&inner.ws, shared, &inner.options).await;
    if let Ok(sent) = &result {
        if sent.config {
            inner.observer.config_changed();
        }
        inner.changed(&sent.changed);
        for (from, to) in &sent.renumbered {
            inner.observer.ticket_renumbered(*from, *to);
        }
    }
    if inner.ws.outbox_counts().await? != before {
        inner.publish().await;
    }
    result.map(|_| ())
}
