//! Folding the write-ahead log back into the workspace file off the writers' path.
//!
//! SQLite's automatic checkpoint runs inside the commit that takes the log past its
//! threshold, so every few dozen ticket changes one of them also waited for the copy and
//! the disk flush (~60 ms with 1,000,000 tickets, and a board that showed that change late).
//! A workspace turns it off and a task of its own runs a passive checkpoint — one that never
//! blocks a reader or the writer — every [`EVERY`]; the last connection to close folds in
//! the rest, as before.

use sqlx::SqlitePool;
use std::time::Duration;
use tokio::task::JoinHandle;

/// How often the log is folded in. A second of a busy desktop's writes is a few hundred
/// pages, about what SQLite's own threshold (1,000 pages) let it reach.
pub(crate) const EVERY: Duration = Duration::from_secs(1);

/// The running checkpoint task; dropping it (with the workspace's last clone) stops it.
pub(crate) struct Checkpointer(JoinHandle<()>);

impl Drop for Checkpointer {
    fn drop(&mut self) {
        self.0.abort();
    }
}

/// Starts checkpointing `pool`'s database every `every`.
pub(crate) fn start(pool: SqlitePool, every: Duration) -> Checkpointer {
    Checkpointer(tokio::spawn(async move {
        let mut tick = tokio::time::interval(every);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            if pool.is_closed() {
                return;
            }
            // (whether it was blocked, pages in the log, pages folded in)
            let done: Result<(i64, i64, i64), sqlx::Error> =
                sqlx::query_as("PRAGMA wal_checkpoint(PASSIVE)")
                    .fetch_one(&pool)
                    .await;
            match done {
                Ok(_) => {}
                Err(_) if pool.is_closed() => return,
                // The next tick tries again; a log that is not folded in only grows.
                Err(e) => tracing::warn!(error = %e, "checkpoint of the workspace log failed"),
            }
        }
    }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions};

    /// Bytes of the database file itself (the log is beside it).
    fn main_file(path: &std::path::Path) -> u64 {
        std::fs::metadata(path).unwrap().len()
    }

    #[tokio::test]
    async fn commits_leave_the_log_to_the_task_which_folds_it_in() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("ws.db");
        let options = SqliteConnectOptions::new()
            .filename(&path)
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .pragma("wal_autocheckpoint", "0");
        let pool = SqlitePoolOptions::new()
            .max_connections(2)
            .connect_with(options)
            .await
            .unwrap();
        sqlx::query("CREATE TABLE t (b BLOB)")
            .execute(&pool)
            .await
            .unwrap();
        let before = main_file(&path);
        // 8 MB in twenty commits: 2,000 pages, twice what would make SQLite fold the log
        // in during a commit.
        for _ in 0..20 {
            sqlx::query("INSERT INTO t VALUES (randomblob(400000))")
                .execute(&pool)
                .await
                .unwrap();
        }
        assert_eq!(main_file(&path), before, "no commit folded the log in");

        let task = start(pool.clone(), Duration::from_millis(10));
        let end = std::time::Instant::now() + Duration::from_secs(10);
        while main_file(&path) < 8_000_000 {
            assert!(
                std::time::Instant::now() < end,
                "the log was never folded in"
            );
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        drop(task);
        pool.close().await;
    }
}
