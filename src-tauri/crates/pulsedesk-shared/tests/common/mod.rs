//! Shared-database test support lives in the crate (feature `testing`).

#![allow(unused_imports)]
pub use pulsedesk_shared::testing::*;

/// Runs `sql` as whoever `c` is signed in as, as psql would: `Ok(rows affected)` or the
/// server's error code (SQLSTATE).
#[allow(dead_code)]
pub async fn exec(c: &mut sqlx::PgConnection, sql: &str) -> Result<u64, String> {
    sqlx::query(sql)
        .execute(c)
        .await
        .map(|r| r.rows_affected())
        .map_err(|e| match e {
            sqlx::Error::Database(d) => d.code().unwrap_or_default().to_string(),
            other => other.to_string(),
        })
}
