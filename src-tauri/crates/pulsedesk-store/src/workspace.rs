//! Opening the workspace file: WAL mode, migrations, and refusing files it must not touch.

use crate::StoreError;
use pulsedesk_core::clock::Clock;
use sqlx::migrate::Migrator;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::SqlitePool;
use std::path::Path;
use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The migrations this build knows.
pub static MIGRATOR: Migrator = sqlx::migrate!("./migrations");

/// An open workspace: the SQLite pool plus the clock every change is stamped with.
#[derive(Clone)]
pub struct Workspace {
    /// Readers (and the odd one-statement write).
    pub(crate) pool: SqlitePool,
    /// The one connection write transactions go through ([`Workspace::begin_write`]).
    /// SQLite lets one writer in at a time anyway; and a connection throws its whole page
    /// cache away when another one wrote since its last transaction, so writes that took
    /// turns over several connections re-read the tickets' pages (and their ~20 indexes')
    /// from the file every time. Waiting for it here, not in SQLite's busy handler, also
    /// spares a queued write that handler's sleeps.
    pub(crate) writer: SqlitePool,
    pub(crate) clock: Arc<dyn Clock>,
    /// Set when this workspace replicates a shared team database (see `replica`).
    pub(crate) replica: Arc<AtomicBool>,
    /// The replica's feed cursor as last written (read on every pull; only
    /// [`Workspace::apply_tickets`] writes it, and sets this after its commit).
    pub(crate) cursor: Arc<Mutex<Option<String>>>,
    /// A throwaway workspace, filled once for a report and removed (see [`Workspace::open_scratch`]).
    pub(crate) scratch: bool,
    /// Folds the write-ahead log in, off the writers' path; stops with the last clone. A
    /// scratch workspace keeps no log, so it has none.
    _checkpoint: Option<Arc<crate::checkpoint::Checkpointer>>,
}

impl Workspace {
    /// Opens (creating if needed) the workspace at `path` and brings its schema up to date.
    ///
    /// A damaged file, a read-only file and a file from a newer Pulsedesk are refused with
    /// a specific error and left exactly as they were.
    pub async fn open(path: &Path, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        Self::open_as(path, clock, false).await
    }

    /// Opens a new throwaway workspace at `path`, for a report of a period read from the team
    /// database: written without a log and without waiting for the disk (a crash loses
    /// nothing that is not read again next time), and without a search index (reports never
    /// search).
    pub async fn open_scratch(path: &Path, clock: Arc<dyn Clock>) -> Result<Self, StoreError> {
        Self::open_as(path, clock, true).await
    }

    async fn open_as(
        path: &Path,
        clock: Arc<dyn Clock>,
        scratch: bool,
    ) -> Result<Self, StoreError> {
        let options = SqliteConnectOptions::new()
            .filename(path)
            .create_if_missing(true)
            // A scratch workspace is written once and then only read: its pages go straight
            // into the file, not through a log first (and then again into the file).
            .journal_mode(if scratch {
                SqliteJournalMode::Off
            } else {
                SqliteJournalMode::Wal
            })
            .synchronous(if scratch {
                SqliteSynchronous::Off
            } else {
                SqliteSynchronous::Normal
            })
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(5))
            .pragma("cache_size", "-16000")
            // The log is folded in by a task of its own, not by whichever commit fills it.
            .pragma("wal_autocheckpoint", "0");
        // No optimize on close: it re-analysed the tickets after ordinary reads with a
        // sampling limit, and sampled statistics (a stage holding 201 of 1,000,000 tickets)
        // made the board take 2.5 s instead of 45 ms. Statistics are refreshed below, whole.
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            // A local file cannot hang up: no ping (a hand-off to the driver's thread)
            // before every use.
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await?;
        // Readers: the board runs its figures side by side on these.
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .test_before_acquire(false)
            .connect_with(options)
            .await?;
        let ws = Workspace {
            pool: pool.clone(),
            writer,
            clock,
            replica: Arc::new(AtomicBool::new(false)),
            cursor: Arc::default(),
            scratch,
            _checkpoint: (!scratch).then(|| {
                Arc::new(crate::checkpoint::start(
                    pool.clone(),
                    crate::checkpoint::EVERY,
                ))
            }),
        };
        ws.check_schema_version().await?;
        MIGRATOR.run(&ws.writer).await?;
        ws.load_replica_mark().await?;
        // Analyses, in full, any table never analysed or whose size has changed a lot since
        // (0x10000: every table; 0x02: analyse; no 0x10, so no sampling limit).
        sqlx::query("PRAGMA optimize = 0x10002")
            .execute(&ws.writer)
            .await?;
        ws.index_new_tickets().await?;
        ws.project_missing_clocks().await?;
        ws.judge_finished().await?;
        Ok(ws)
    }

    /// Refuses a database that has migrations this build does not know.
    async fn check_schema_version(&self) -> Result<(), StoreError> {
        let known = MIGRATOR.iter().map(|m| m.version).max().unwrap_or(0);
        let has_table: Option<(String,)> = sqlx::query_as(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name = '_sqlx_migrations'",
        )
        .fetch_optional(&self.pool)
        .await?;
        if has_table.is_none() {
            return Ok(());
        }
        let (found,): (Option<i64>,) =
            sqlx::query_as("SELECT MAX(version) FROM _sqlx_migrations WHERE success = 1")
                .fetch_one(&self.pool)
                .await?;
        match found {
            Some(found) if found > known => Err(StoreError::NewerSchema { found, known }),
            _ => Ok(()),
        }
    }

    /// The clock changes are stamped with.
    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// A write transaction on the workspace's one writer connection, its write lock taken
    /// at once (`BEGIN IMMEDIATE`: a transaction that reads and then writes can never fail
    /// halfway for another writer).
    pub(crate) async fn begin_write(
        &self,
    ) -> Result<sqlx::Transaction<'static, sqlx::Sqlite>, sqlx::Error> {
        self.writer.begin_with("BEGIN IMMEDIATE").await
    }

    /// The underlying pool, for benchmarks and tests in this workspace.
    pub fn pool(&self) -> &SqlitePool {
        &self.pool
    }

    /// Reads a setting.
    pub async fn setting(&self, key: &str) -> Result<Option<String>, StoreError> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = ?")
            .bind(key)
            .fetch_optional(&self.pool)
            .await?;
        Ok(row.map(|r| r.0))
    }

    /// Writes a setting.
    pub async fn set_setting(&self, key: &str, value: &str) -> Result<(), StoreError> {
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?)
             ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(key)
        .bind(value)
        .execute(&self.writer)
        .await?;
        Ok(())
    }

    /// Removes a setting.
    pub async fn clear_setting(&self, key: &str) -> Result<(), StoreError> {
        sqlx::query("DELETE FROM settings WHERE key = ?")
            .bind(key)
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    /// Gives the query planner whole statistics after a bulk load (a seed, a replica's first
    /// fill): without them it guesses, and the board's figures can take seconds.
    pub async fn analyze(&self) -> Result<(), StoreError> {
        sqlx::query("ANALYZE").execute(&self.writer).await?;
        Ok(())
    }

    /// Closes the connections, checkpointing the WAL.
    pub async fn close(&self) {
        self.writer.close().await;
        self.pool.close().await;
    }
}
