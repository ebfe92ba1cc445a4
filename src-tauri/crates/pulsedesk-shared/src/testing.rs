//! Test support (feature `testing`, for this crate's and the sync engine's tests): a fresh
//! database on the throwaway PostgreSQL server for each test, migrated by its owner.
//! A failed setup step stops the test at once, hence the unwraps.

#![allow(clippy::unwrap_used)]

use crate::command::{Applied, Command, Envelope};
use crate::{MemberInput, Owner, Server, Shared};
use chrono::{FixedOffset, TimeZone, Utc};
use pulsedesk_core::clock::ManualClock;
use pulsedesk_core::ids::TicketTypeId;
use pulsedesk_core::kinds::{Channel, Priority, Role, Tier};
use pulsedesk_core::view::{CustomerChoice, NewCustomer, NewTicket};
use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions, Connection, PgConnection};
use std::sync::Arc;
use std::time::Duration;

pub const PASSWORD: &str = "correct horse battery";

pub struct TestDb {
    pub name: String,
    pub server: Server,
    pub owner: Owner,
    pub clock: Arc<ManualClock>,
    /// The team service's login, made on first use, and its connection.
    writer: tokio::sync::OnceCell<(String, Shared)>,
}

/// The throwaway server's superuser (`PULSEDESK_TEST_PG`).
pub fn superuser() -> PgConnectOptions {
    let url = std::env::var("PULSEDESK_TEST_PG").unwrap_or_else(|_| {
        panic!(
            "the shared-database tests need a PostgreSQL server: run scripts/test.sh, or \
             eval \"$(scripts/pg-throwaway.sh start)\" first"
        )
    });
    url.parse().unwrap()
}

/// A new, migrated database with the three ticket types of the demo.
pub async fn db() -> TestDb {
    db_on(superuser()).await
}

/// [`db`] on the server `su` points at.
pub async fn db_on(su: PgConnectOptions) -> TestDb {
    db_at(su, crate::MIGRATOR.migrations.len()).await
}

/// A fresh database with only the first `applied` migrations: the schema an older release
/// made, for upgrade tests. [`Owner::migrate`] then brings it up to date.
pub async fn db_at(su: PgConnectOptions, applied: usize) -> TestDb {
    let name = format!("pd_{}", &uuid::Uuid::new_v4().simple().to_string()[..12]);
    let mut c = PgConnection::connect_with(&su).await.unwrap();
    sqlx::query(&format!("CREATE DATABASE {name}"))
        .execute(&mut c)
        .await
        .unwrap();
    c.close().await.unwrap();
    let owner = Owner::connect(su.clone().database(&name)).await.unwrap();
    let older = sqlx::migrate::Migrator {
        migrations: std::borrow::Cow::Owned(crate::MIGRATOR.migrations[..applied].to_vec()),
        ..sqlx::migrate::Migrator::DEFAULT
    };
    older.run(owner.pool()).await.unwrap();
    for t in ["咨询", "技术支持", "售后申请"] {
        sqlx::query("INSERT INTO ticket_types (name) VALUES ($1)")
            .bind(t)
            .execute(owner.pool())
            .await
            .unwrap();
    }
    let clock = Arc::new(ManualClock::new(
        Utc.with_ymd_and_hms(2026, 11, 23, 2, 0, 0).unwrap(),
        FixedOffset::east_opt(8 * 3600).unwrap(),
    ));
    TestDb {
        server: Server {
            host: su.get_host().to_string(),
            port: su.get_port(),
            database: name.clone(),
        },
        name,
        owner,
        clock,
        writer: tokio::sync::OnceCell::new(),
    }
}

impl TestDb {
    /// Adds a member; returns their login (logins are server-wide, so prefixed per test).
    pub async fn member(&self, name: &str, role: Role) -> String {
        // Letters a login may not hold (spaces, Chinese) become their code points.
        let slug: String = name
            .to_lowercase()
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_string()
                } else {
                    format!("{:x}", u32::from(c))
                }
            })
            .collect();
        let login = format!("{}_{slug}", self.name);
        self.owner
            .add_member(&MemberInput {
                name: name.into(),
                login: login.clone(),
                role,
                password: PASSWORD.into(),
            })
            .await
            .unwrap();
        login
    }

    /// The team service's login on this database (an admin member made the service's),
    /// and its connection; made on first use.
    async fn writer(&self) -> &(String, Shared) {
        self.writer
            .get_or_init(|| async {
                let login = self.member("Team service", Role::Admin).await;
                self.owner.make_service(&login).await.unwrap();
                let shared = self.connect(&login).await;
                (login, shared)
            })
            .await
    }

    /// The team service's login (see [`TestDb::service`]), for a test that runs the real
    /// service binary with it.
    pub async fn service_login(&self) -> String {
        self.writer().await.0.clone()
    }

    /// `who`'s commands as the team service applies them (only the service writes the
    /// team's tickets): for tests of the commands themselves, without the submission queue.
    pub async fn as_member(&self, who: &Shared) -> Shared {
        self.writer().await.1.on_behalf(who.actor())
    }

    /// Starts the team service's writer on this database, reconnecting as the service
    /// does; it stops when the guard is dropped.
    pub async fn service(&self) -> ServiceGuard {
        let (login, shared) = self.writer().await.clone();
        let (server, clock) = (self.server.clone(), self.clock.clone());
        let task = tokio::spawn(async move {
            let mut shared = shared;
            loop {
                let _ = crate::applier::serve(&shared, Duration::from_millis(200), &|_| {}).await;
                tokio::time::sleep(Duration::from_millis(100)).await;
                if let Ok(s) = Shared::connect(&server, &login, PASSWORD, clock.clone()).await {
                    shared = s;
                }
            }
        });
        ServiceGuard(task)
    }

    /// Signs `login` in, as the app does.
    pub async fn connect(&self, login: &str) -> Shared {
        Shared::connect(&self.server, login, PASSWORD, self.clock.clone())
            .await
            .unwrap()
    }

    /// A raw connection as `login`, as psql with that member's password would be.
    pub async fn psql(&self, login: &str) -> PgConnection {
        self.server
            .options(login, PASSWORD)
            .disable_statement_logging()
            .connect()
            .await
            .unwrap()
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
        attachments: vec![],
    }
}

/// Logs a new ticket as `who`; returns its id.
pub async fn create(db: &TestDb, who: &Shared, subject: &str) -> pulsedesk_core::ids::TicketId {
    let env = Envelope::new(
        pulsedesk_core::clock::Clock::now(db.clock.as_ref()),
        Command::CreateTicket {
            ticket: new_ticket(subject),
        },
    );
    match db.as_member(who).await.apply(&env).await.unwrap() {
        Applied::Done { ticket } => ticket,
        Applied::AlreadyApplied => panic!("a new command was seen before"),
    }
}

/// A throwaway cluster started by scripts/pg-throwaway.sh; removed when dropped.
pub struct Cluster {
    pub dir: String,
    /// The superuser's URL.
    pub url: String,
}

/// scripts/pg-throwaway.sh of the checkout the tests run in: found from the running test's
/// package folder (cargo and nextest set it), since a build reused from another clone of
/// the repository carries that clone's path in `env!`.
fn script() -> std::path::PathBuf {
    const SCRIPT: &str = "scripts/pg-throwaway.sh";
    let start = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    start
        .ancestors()
        .map(|dir| dir.join(SCRIPT))
        .find(|path| path.is_file())
        .unwrap_or_else(|| {
            std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("../../..")
                .join(SCRIPT)
        })
}

fn run(args: &[&str]) -> String {
    let out = std::process::Command::new("bash")
        .arg(script())
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "pg-throwaway.sh {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

impl Cluster {
    pub fn start() -> Cluster {
        let out = run(&["start"]);
        let value = |name: &str| {
            out.lines()
                .find_map(|l| l.strip_prefix(&format!("export {name}='")))
                .and_then(|v| v.strip_suffix('\''))
                .unwrap()
                .to_string()
        };
        Cluster {
            dir: value("PULSEDESK_TEST_PG_DIR"),
            url: value("PULSEDESK_TEST_PG"),
        }
    }
    /// Its superuser's connection options.
    pub fn superuser(&self) -> PgConnectOptions {
        self.url.parse().unwrap()
    }

    /// A connection as its superuser.
    pub async fn superuser_connection(&self) -> PgConnection {
        PgConnection::connect(&self.url).await.unwrap()
    }

    /// Stops the server (the desktops lose it).
    pub fn down(&self) {
        run(&["down", &self.dir]);
    }
    /// Starts it again on the same port.
    pub fn up(&self) {
        run(&["up", &self.dir]);
    }
    /// Cuts every member's session, as a network failure would.
    pub async fn cut(&self, database: &str) -> u64 {
        let mut c = PgConnection::connect(&self.url).await.unwrap();
        let n: i64 = sqlx::query_scalar(
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
             WHERE datname = $1 AND usename <> 'postgres') cut",
        )
        .bind(database)
        .fetch_one(&mut c)
        .await
        .unwrap();
        c.close().await.unwrap();
        n.unsigned_abs()
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let _ = std::process::Command::new("bash")
            .arg(script())
            .args(["stop", &self.dir])
            .output();
    }
}

/// A running writer (see [`TestDb::service`]); dropping it stops the writer.
pub struct ServiceGuard(tokio::task::JoinHandle<()>);

impl Drop for ServiceGuard {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// A team service process (`pulsedesk-server`, at `bin`) on a test database, polling every
/// 100 ms, and what it has said on standard error; killed when dropped.
pub struct ServiceProcess {
    pub child: std::process::Child,
    said: Arc<std::sync::Mutex<Vec<String>>>,
    /// Its password file and its replica's folder, removed after it stops.
    _dir: tempfile::TempDir,
}

impl ServiceProcess {
    /// Starts the service as `login` with `password` (in a file only this user may read).
    pub fn start(bin: &std::path::Path, db: &TestDb, login: &str, password: &str) -> Self {
        use std::io::BufRead;
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("password");
        std::fs::write(&file, format!("{password}\n")).unwrap();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
        }
        let mut child = std::process::Command::new(bin)
            .env("PULSEDESK_SERVER_DATA_DIR", dir.path().join("data"))
            .env("PULSEDESK_SERVER_ADDRESS", db.server.to_string())
            .env("PULSEDESK_SERVER_LOGIN", login)
            .env("PULSEDESK_SERVER_PASSWORD_FILE", &file)
            .env("PULSEDESK_SERVER_POLL_MS", "100")
            .stderr(std::process::Stdio::piped())
            .spawn()
            .unwrap();
        let said = Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = std::io::BufReader::new(child.stderr.take().unwrap());
        let keep = said.clone();
        std::thread::spawn(move || {
            for line in lines.lines().map_while(Result::ok) {
                keep.lock().unwrap().push(line);
            }
        });
        ServiceProcess {
            child,
            said,
            _dir: dir,
        }
    }

    /// Whether a line it said so far contains `what`.
    pub fn has_said(&self, what: &str) -> bool {
        self.said.lock().unwrap().iter().any(|l| l.contains(what))
    }

    /// Waits (at most 20 s) until it says `what`.
    pub async fn wait_to_say(&self, what: &str) {
        let started = std::time::Instant::now();
        while !self.has_said(what) {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "never said {what:?}:\n{}",
                self.output()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Everything it said so far.
    pub fn output(&self) -> String {
        self.said.lock().unwrap().join("\n")
    }
}

impl Drop for ServiceProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
