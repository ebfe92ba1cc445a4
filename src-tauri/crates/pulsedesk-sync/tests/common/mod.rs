//! Desktops for the sync tests: each is a replica workspace in a temp folder plus a running
//! sync engine, signed in as one member of a fresh shared database.

#![allow(dead_code)]
#![allow(clippy::unwrap_used)]

use pulsedesk_core::ids::TicketId;
use pulsedesk_core::permissions::Actor;
use pulsedesk_shared::testing::{TestDb, PASSWORD};
use pulsedesk_shared::Server;
use pulsedesk_store::Workspace;
use pulsedesk_sync::{Engine, Login, Observer, Options, SyncStatus};
use std::future::Future;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// Records what the engine tells the app.
#[derive(Default)]
pub struct Recorder {
    pub changed: Mutex<Vec<TicketId>>,
    pub statuses: Mutex<Vec<SyncStatus>>,
}

impl Observer for Recorder {
    fn tickets_changed(&self, ids: &[TicketId]) {
        self.changed.lock().unwrap().extend_from_slice(ids);
    }
    fn status_changed(&self, status: &SyncStatus) {
        self.statuses.lock().unwrap().push(status.clone());
    }
}

pub struct Desk {
    pub ws: Workspace,
    pub actor: Actor,
    pub login: String,
    pub engine: Option<Engine>,
    pub seen: Arc<Recorder>,
    /// How its engine runs (quick retries unless a test says otherwise).
    pub options: Options,
    _dir: tempfile::TempDir,
}

/// Quick retries, so fault tests do not wait long.
pub fn options() -> Options {
    Options {
        safety_poll: Duration::from_secs(1),
        retry_min: Duration::from_millis(50),
        retry_max: Duration::from_millis(400),
        ..Options::default()
    }
}

/// A desktop signed in as `login`, its engine started against `server`.
pub async fn desk_on(db: &TestDb, login: &str, server: Server) -> Desk {
    desk_with(db, login, server, options()).await
}

/// [`desk_on`] with its engine's own `options`.
pub async fn desk_with(db: &TestDb, login: &str, server: Server, options: Options) -> Desk {
    let actor = {
        let s = db.connect(login).await;
        let a = s.actor();
        s.close().await;
        a
    };
    let dir = tempfile::tempdir().unwrap();
    let ws = Workspace::open(&dir.path().join("replica.db"), db.clock.clone())
        .await
        .unwrap();
    ws.become_replica().await.unwrap();
    let seen = Arc::new(Recorder::default());
    let mut desk = Desk {
        ws,
        actor,
        login: login.to_string(),
        engine: None,
        seen,
        options,
        _dir: dir,
    };
    desk.start(db, server);
    desk
}

/// A desktop signed in as `login`, once its replica has been filled.
pub async fn desk(db: &TestDb, login: &str) -> Desk {
    let d = desk_on(db, login, db.server.clone()).await;
    eventually("the desktop is online", Duration::from_secs(10), || async {
        d.status().await.link == pulsedesk_sync::Link::Online
    })
    .await;
    d
}

impl Desk {
    /// (Re)starts the engine against `server`.
    pub fn start(&mut self, db: &TestDb, server: Server) {
        let login = Login {
            server,
            login: self.login.clone(),
            password: PASSWORD.into(),
        };
        self.engine = Some(Engine::start(
            self.ws.clone(),
            login,
            db.clock.clone(),
            self.options.clone(),
            self.seen.clone(),
        ));
    }

    pub async fn stop(&mut self) {
        if let Some(e) = self.engine.take() {
            e.stop().await;
        }
    }

    pub fn kick(&self) {
        if let Some(e) = &self.engine {
            e.kick();
        }
    }

    pub async fn status(&self) -> SyncStatus {
        self.engine.as_ref().unwrap().status().await
    }

    /// (id, number, stage, assignee, version) of every ticket in the replica.
    pub async fn tickets(&self) -> Vec<(i64, String, String, Option<i64>, i64)> {
        sqlx::query_as("SELECT id, number, stage, assignee_id, version FROM tickets ORDER BY id")
            .fetch_all(self.ws.pool())
            .await
            .unwrap()
    }

    /// (ticket, "event" or "note", id) of every log entry and note in the replica.
    pub async fn entries(&self) -> Vec<(i64, String, i64)> {
        sqlx::query_as(ENTRIES)
            .fetch_all(self.ws.pool())
            .await
            .unwrap()
    }

    /// The replica's ticket `id`, if it has it.
    pub async fn ticket(&self, id: i64) -> Option<(i64, String, String, Option<i64>, i64)> {
        self.tickets().await.into_iter().find(|t| t.0 == id)
    }
}

/// Every log entry and note, in the same form in SQLite and PostgreSQL.
const ENTRIES: &str = "SELECT ticket_id, 'event' AS k, id FROM ticket_events
    UNION ALL SELECT ticket_id, 'note' AS k, id FROM notes ORDER BY 1, 2, 3";

/// The log entries and notes `login` may see on the server, as [`Desk::entries`].
pub async fn server_entries(db: &TestDb, login: &str) -> Vec<(i64, String, i64)> {
    let s = db.connect(login).await;
    let rows = sqlx::query_as(ENTRIES).fetch_all(s.pool()).await.unwrap();
    s.close().await;
    rows
}

/// What `login` may see on the server, in the same shape as [`Desk::tickets`].
pub async fn server_view(db: &TestDb, login: &str) -> Vec<(i64, String, String, Option<i64>, i64)> {
    let s = db.connect(login).await;
    let rows =
        sqlx::query_as("SELECT id, number, stage, assignee_id, version FROM tickets ORDER BY id")
            .fetch_all(s.pool())
            .await
            .unwrap();
    s.close().await;
    rows
}

/// Waits until `check` holds (polling), or fails with `what`.
pub async fn eventually<F, Fut>(what: &str, timeout: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: Future<Output = bool>,
{
    let end = Instant::now() + timeout;
    loop {
        if check().await {
            return;
        }
        assert!(Instant::now() < end, "timed out waiting until {what}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The mean of `v`, rounded to the nearest second; none when empty (as the board rounds).
pub fn mean(v: &[i64]) -> Option<i64> {
    (!v.is_empty()).then(|| (v.iter().sum::<i64>() as f64 / v.len() as f64).round() as i64)
}

/// `who` changes `ticket` on the server, at the test clock's time.
pub async fn act(
    db: &TestDb,
    who: &pulsedesk_shared::Shared,
    ticket: TicketId,
    change: pulsedesk_core::ticket::TicketCommand,
) {
    use pulsedesk_core::clock::Clock;
    use pulsedesk_core::command::{Command, Envelope};
    let env = Envelope::new(db.clock.now(), Command::Ticket { ticket, change });
    db.as_member(who).await.apply(&env).await.unwrap();
}

/// The change that starts work on a ticket (to 处理中).
pub fn start_work() -> pulsedesk_core::ticket::TicketCommand {
    pulsedesk_core::ticket::TicketCommand::Move {
        to: pulsedesk_core::kinds::Stage::InProgress,
        outcome: None,
    }
}

/// The change that finishes a ticket, fully resolved.
pub fn finish() -> pulsedesk_core::ticket::TicketCommand {
    pulsedesk_core::ticket::TicketCommand::Move {
        to: pulsedesk_core::kinds::Stage::Done,
        outcome: Some(pulsedesk_core::kinds::Outcome::Fully),
    }
}
