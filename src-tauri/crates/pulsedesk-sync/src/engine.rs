//! The engine's task: connect, listen, catch up, send; on any failure, say offline, wait and
//! start again from the durable cursor.

use crate::error::SyncError;
use crate::pull::{catch_up, reread_whole};
use crate::send::flush;
use crate::status::{Link, Observer, SyncStatus};
use futures_util::FutureExt;
use pulsedesk_core::assign::presence::HEARTBEAT_SECONDS;
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::TicketId;
use pulsedesk_core::kinds::Presence;
use pulsedesk_core::replica::DEFAULT_CLOSED_WINDOW_DAYS;
use pulsedesk_shared::submissions::DECIDED;
use pulsedesk_shared::{Server, Shared, SharedError};
use pulsedesk_store::Workspace;
use sqlx::postgres::{PgConnection, PgListener};
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
    /// Under load — the last pull brought several changes and more arrived while it ran —
    /// the next pull waits until this long after the last one began, so it brings
    /// everything that came meanwhile in one read and one local write. A lone change is
    /// pulled at once.
    pub gather: Duration,
    /// The first wait before reconnecting; it doubles up to `retry_max`.
    pub retry_min: Duration,
    pub retry_max: Duration,
    /// How often the member's presence is confirmed to the server.
    pub heartbeat: Duration,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            window_days: DEFAULT_CLOSED_WINDOW_DAYS,
            batch: 5000,
            safety_poll: Duration::from_secs(5),
            gather: Duration::from_millis(20),
            retry_min: Duration::from_millis(250),
            retry_max: Duration::from_secs(5),
            heartbeat: Duration::from_secs(HEARTBEAT_SECONDS.unsigned_abs()),
        }
    }
}

/// Shared between the engine's task and its handle.
pub(crate) struct Inner {
    ws: Workspace,
    login: Login,
    pub(crate) clock: Arc<dyn Clock>,
    pub(crate) options: Options,
    observer: Arc<dyn Observer>,
    kick: Notify,
    /// The member's presence changed on this desktop.
    presence: Notify,
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
            presence: Notify::new(),
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

    /// The member's presence changed here (sign-in, idle, by hand): tell the server now.
    pub fn presence_changed(&self) {
        self.inner.presence.notify_one();
    }

    /// Tells the server the member is offline (signing out), on a connection of its own so
    /// it works whatever the engine is doing; gives up after a few seconds.
    pub async fn sign_off(&self) -> Result<(), SharedError> {
        let l = &self.inner.login;
        let work = async {
            let shared =
                Shared::connect(&l.server, &l.login, &l.password, self.inner.clock.clone()).await?;
            let result = shared.set_presence(Presence::Offline).await;
            shared.close().await;
            result
        };
        tokio::time::timeout(Duration::from_secs(3), work)
            .await
            .map_err(|_| SharedError::Unreachable("timed out".into()))?
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

    /// Whether the replica still holds every ticket finished since `since` (finished
    /// tickets stay in it for the window's days).
    pub fn replica_reaches(&self, since: chrono::DateTime<chrono::Utc>) -> bool {
        since >= self.inner.clock.now() - chrono::Duration::days(self.inner.options.window_days)
    }

    /// The period `since..until` read from the server into a new workspace at `path`, for
    /// a report the replica cannot answer. Needs the server: offline, it fails.
    pub async fn period_workspace(
        &self,
        path: &std::path::Path,
        since: chrono::DateTime<chrono::Utc>,
        until: chrono::DateTime<chrono::Utc>,
    ) -> Result<Workspace, SyncError> {
        let l = &self.inner.login;
        let clock = self.inner.clock.clone();
        let shared = Shared::connect(&l.server, &l.login, &l.password, clock.clone()).await?;
        let result = crate::period::period_workspace(
            &shared,
            clock,
            path,
            (since, until),
            pulsedesk_shared::snapshot::PERIOD_CHUNK,
        )
        .await;
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
        let unreadable = self
            .ws
            .unreadable_tickets()
            .await
            .map_or(0, |t| u32::try_from(t.len()).unwrap_or(u32::MAX));
        SyncStatus {
            link,
            pending: counts.pending,
            rejected: counts.rejected,
            unreadable,
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
    listener.listen_all([CHANNEL, DECIDED]).await?;
    let me = shared.actor().id.0.to_string();
    inner.ws.set_replica_member(shared.actor().id).await?;
    // The session keeps one connection for its pulls and sends (see `catch_up`).
    let mut own = shared.pool().acquire().await.map_err(SharedError::from)?;
    let held = sync_once(inner, shared, &mut own).await?;
    reread(inner, &mut own).await?;
    push_presence(inner, shared).await?;
    inner.set_link(Link::Online).await;
    *wait = inner.options.retry_min;
    let mut safety = ticker(inner.options.safety_poll);
    let mut heartbeat = ticker(inner.options.heartbeat);
    // When a pull is owed (a wake-up came): at once, or later while the feed is busy.
    let mut gathering = Gathering::default();
    gathering.held(held, tokio::time::Instant::now(), inner.options.gather);
    loop {
        tokio::select! {
            woke = listener.try_recv(), if gathering.due.is_none() => {
                match woke? {
                    // The listening connection dropped: wake-ups may have been lost, so
                    // start over (reconnect and catch up from the cursor).
                    None => {
                        return Err(SharedError::Unreachable("the connection was lost".into()).into())
                    }
                    // The service decided one of this member's commands: settle it.
                    Some(n) if n.channel() == DECIDED => {
                        if n.payload() == me {
                            send(inner, shared, &mut own).await?;
                        }
                    }
                    Some(_) => gathering.woken(tokio::time::Instant::now(), inner.options.gather),
                }
            }
            _ = gathering.sleep(), if gathering.due.is_some() => {
                // Everything already waiting is covered by the same pull.
                let before = drain(&mut listener, &me)?;
                let began = tokio::time::Instant::now();
                let (rows, held) = pull(inner, shared, &mut own).await?;
                let after = drain(&mut listener, &me)?;
                let now = tokio::time::Instant::now();
                gathering.pulled(began, now, after.changes, rows, inner.options.gather);
                gathering.held(held, now, inner.options.gather);
                if before.decided || after.decided {
                    send(inner, shared, &mut own).await?;
                }
            }
            _ = inner.kick.notified() => send(inner, shared, &mut own).await?,
            _ = inner.presence.notified() => push_presence(inner, shared).await?,
            _ = heartbeat.tick() => push_presence(inner, shared).await?,
            _ = safety.tick() => {
                let held = sync_once(inner, shared, &mut own).await?;
                gathering.held(held, tokio::time::Instant::now(), inner.options.gather);
            }
        }
    }
}

/// Wake-ups already taken off the listener ([`drain`]).
struct Drained {
    /// Changes to the team's data (each owed a pull).
    changes: usize,
    /// Whether the service decided one of this member's commands.
    decided: bool,
}

/// Takes every wake-up that has already arrived (read or still on the socket); fails if
/// the listening connection dropped (wake-ups may have been lost).
fn drain(listener: &mut PgListener, me: &str) -> Result<Drained, SyncError> {
    let mut out = Drained {
        changes: 0,
        decided: false,
    };
    while let Some(woke) = listener.try_recv().now_or_never() {
        match woke? {
            None => return Err(SharedError::Unreachable("the connection was lost".into()).into()),
            Some(n) if n.channel() == DECIDED => out.decided |= n.payload() == me,
            Some(_) => out.changes += 1,
        }
    }
    Ok(out)
}

/// Wake-ups gathered into pulls: a lone change is pulled at once; while changes keep
/// coming, pulls start at most once per `gather`, each bringing all that came meanwhile.
#[derive(Default)]
struct Gathering {
    /// A pull is owed, from this instant.
    due: Option<tokio::time::Instant>,
    /// When the last pull began, if wake-ups came in while it ran.
    busy_since: Option<tokio::time::Instant>,
    /// The wait before looking again at changes held behind a running transaction.
    held_for: Option<Duration>,
}

/// The longest wait before looking again at changes held behind a running transaction.
const HELD_MAX: Duration = Duration::from_secs(1);

impl Gathering {
    fn woken(&mut self, now: tokio::time::Instant, gather: Duration) {
        self.due = Some(self.busy_since.map_or(now, |b| (b + gather).max(now)));
    }

    /// A pull that began at `began` read `rows` feed rows; `woke` wake-ups came meanwhile
    /// (taken off the listener, so each is owed a pull). The feed is busy when the pull
    /// brought several changes and more came: the next pull then gathers.
    fn pulled(
        &mut self,
        began: tokio::time::Instant,
        now: tokio::time::Instant,
        woke: usize,
        rows: usize,
        gather: Duration,
    ) {
        let busy = woke > 0 && rows > 1;
        self.busy_since = busy.then_some(began);
        self.due = match (woke > 0, busy) {
            (false, _) => None,
            (true, false) => Some(now),
            (true, true) => Some((began + gather).max(now)),
        };
    }

    /// Whether the last pull found changes waiting behind a transaction still running,
    /// which may end without a wake-up: then another pull is owed, `gather` from `now`,
    /// doubling while they stay held (up to [`HELD_MAX`]: a long transaction, an import
    /// say, is not polled 50 times a second by every desktop).
    fn held(&mut self, held: bool, now: tokio::time::Instant, gather: Duration) {
        if !held {
            self.held_for = None;
            return;
        }
        let wait = self.held_for.map_or(gather, |w| (w * 2).min(HELD_MAX));
        self.held_for = Some(wait);
        let at = now + wait;
        self.due = Some(self.due.map_or(at, |d| d.min(at)));
    }

    /// Until the owed pull is due. One already due is not put through the timer, which
    /// rounds up to its next millisecond tick: a lone change is pulled at once.
    async fn sleep(&self) {
        if let Some(at) = self.due.filter(|at| *at > tokio::time::Instant::now()) {
            tokio::time::sleep_until(at).await;
        }
    }
}

/// An interval whose first tick is one period away, and which does not try to catch up.
fn ticker(period: Duration) -> tokio::time::Interval {
    let mut t = tokio::time::interval_at(tokio::time::Instant::now() + period, period);
    t.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    t
}

/// Tells the server the member's presence as this desktop holds it (also a heartbeat).
async fn push_presence(inner: &Inner, shared: &Shared) -> Result<(), SyncError> {
    let me = inner.ws.presence_of(shared.actor().id).await?;
    shared.set_presence(me.presence).await?;
    Ok(())
}

/// A pull, then a send; whether changes wait behind a transaction still running.
async fn sync_once(
    inner: &Inner,
    shared: &Shared,
    conn: &mut PgConnection,
) -> Result<bool, SyncError> {
    let (_, held) = pull(inner, shared, conn).await?;
    send(inner, shared, conn).await?;
    Ok(held)
}

/// Pulls what the feed holds; the rows read, and whether more wait behind a transaction
/// still running.
async fn pull(
    inner: &Inner,
    shared: &Shared,
    conn: &mut PgConnection,
) -> Result<(usize, bool), SyncError> {
    let pulled = catch_up(conn, &inner.ws, shared, &inner.options).await?;
    if pulled.config {
        inner.observer.config_changed();
    }
    inner.changed(&pulled.changed);
    if pulled.left_out {
        // The count of tickets it could not show whole changed.
        inner.publish().await;
    }
    Ok((pulled.rows, pulled.held))
}

/// Reads again, whole, the tickets the replica could not hold whole (at every connection:
/// a newer build, or a row repaired on the server, fills in what was left out).
async fn reread(inner: &Inner, conn: &mut PgConnection) -> Result<(), SyncError> {
    let ids = inner.ws.unreadable_tickets().await?;
    let changed = reread_whole(conn, &inner.ws, &ids, &inner.options).await?;
    inner.changed(&changed);
    Ok(())
}

async fn send(inner: &Inner, shared: &Shared, conn: &mut PgConnection) -> Result<(), SyncError> {
    // No count read before sending: it would delay every edit on its way to the server.
    let result = flush(conn, &inner.ws, shared, &inner.options).await;
    if let Ok(sent) = &result {
        if sent.config {
            inner.observer.config_changed();
        }
        // Renumbered first: a window showing a provisional ticket follows it to the
        // server's id before it hears that the provisional one is gone.
        for (from, to) in &sent.renumbered {
            inner.observer.ticket_renumbered(*from, *to);
        }
        inner.changed(&sent.changed);
    }
    // The outbox's counts changed if something was sent or refused (a flush that failed
    // may have sent some first), and the member hears of edits waiting for the team
    // service (none running: they stay pending, shown as such).
    if result
        .as_ref()
        .map_or(true, |s| s.sent + s.refused + s.waiting > 0)
    {
        inner.publish().await;
    }
    result.map(|_| ())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_pull_already_due_does_not_wait_for_the_timer() {
        let now = tokio::time::Instant::now();
        let due = Gathering {
            due: Some(now),
            ..Gathering::default()
        };
        assert!(
            due.sleep().now_or_never().is_some(),
            "a pull due now starts on the first poll"
        );
        let later = Gathering {
            due: Some(now + Duration::from_millis(50)),
            ..Gathering::default()
        };
        assert!(
            later.sleep().now_or_never().is_none(),
            "a gathered pull waits"
        );
    }

    #[test]
    fn a_lone_wake_up_is_pulled_at_once_and_a_busy_feed_is_gathered() {
        let gather = Duration::from_millis(20);
        let ms = |n: u64| Duration::from_millis(n);
        let t0 = tokio::time::Instant::now();
        let mut g = Gathering::default();
        assert_eq!(g.due, None, "nothing owed at the start");
        g.woken(t0, gather);
        assert_eq!(g.due, Some(t0), "a lone change: at once");
        // That pull ran 3 ms, read one row, and nothing came meanwhile: back to listening.
        g.pulled(t0, t0 + ms(3), 0, 1, gather);
        assert_eq!(g.due, None);
        g.woken(t0 + ms(10), gather);
        assert_eq!(g.due, Some(t0 + ms(10)));
        // A wake-up came while a one-row pull ran: owed at once, not gathered.
        g.pulled(t0 + ms(10), t0 + ms(13), 1, 1, gather);
        assert_eq!(g.due, Some(t0 + ms(13)));
        // Several rows and more wake-ups: the next pull starts 20 ms after this one began,
        // and a wake-up in between does not bring it forward.
        g.pulled(t0 + ms(13), t0 + ms(18), 4, 7, gather);
        assert_eq!(g.due, Some(t0 + ms(33)));
        g.woken(t0 + ms(20), gather);
        assert_eq!(g.due, Some(t0 + ms(33)));
        // Once the feed is quiet again nothing is owed, and the next change is pulled at once.
        g.pulled(t0 + ms(33), t0 + ms(36), 0, 9, gather);
        assert_eq!(g.due, None);
        g.woken(t0 + ms(200), gather);
        assert_eq!(g.due, Some(t0 + ms(200)));
        // A busy pull that ran longer than the gathering is followed at once.
        g.pulled(t0 + ms(200), t0 + ms(260), 3, 40, gather);
        assert_eq!(g.due, Some(t0 + ms(260)));
    }

    #[test]
    fn changes_held_behind_a_running_transaction_are_looked_at_again_ever_less_often() {
        let gather = Duration::from_millis(20);
        let ms = |n: u64| Duration::from_millis(n);
        let t0 = tokio::time::Instant::now();
        let mut g = Gathering::default();
        // A quiet pull that found changes held: no wake-up may come, so a pull is owed.
        g.pulled(t0, t0 + ms(2), 0, 0, gather);
        g.held(true, t0 + ms(2), gather);
        assert_eq!(g.due, Some(t0 + ms(22)));
        // Still held: the wait doubles, up to a second.
        let mut now = t0 + ms(22);
        for wait in [40, 80, 160, 320, 640, 1000, 1000] {
            g.pulled(now, now, 0, 0, gather);
            g.held(true, now, gather);
            assert_eq!(g.due, Some(now + ms(wait)));
            now += ms(wait);
        }
        // Released: back to wake-ups, and the next hold starts short again.
        g.pulled(now, now, 0, 3, gather);
        g.held(false, now, gather);
        assert_eq!(g.due, None);
        g.held(true, now, gather);
        assert_eq!(g.due, Some(now + gather));
        // A pull owed sooner (wake-ups while the feed is busy) is not put off.
        let mut busy = Gathering::default();
        busy.pulled(t0, t0 + ms(1), 2, 5, gather);
        busy.held(true, t0 + ms(1), Duration::from_millis(500));
        assert_eq!(busy.due, Some(t0 + ms(20)));
    }
}
