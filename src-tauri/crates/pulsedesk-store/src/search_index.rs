//! Keeping the pool's full-text index (`ticket_search`) in step with the tickets.

use crate::{StoreError, Workspace};
use pulsedesk_core::search::index_terms;
use sqlx::SqliteConnection;

/// Setting: every ticket with an id up to this one is indexed.
const INDEXED_UPTO: &str = "search.indexed_upto";

/// Indexes (or re-indexes) one ticket.
pub(crate) async fn index_ticket(
    conn: &mut SqliteConnection,
    id: i64,
    number: &str,
    subject: &str,
    customer: &str,
) -> Result<(), StoreError> {
    sqlx::query("INSERT OR REPLACE INTO ticket_search (rowid, terms) VALUES (?, ?)")
        .bind(id)
        .bind(index_terms(&format!("{number} {subject} {customer}")))
        .execute(conn)
        .await?;
    Ok(())
}

impl Workspace {
    /// Indexes every ticket created since the last run (all of them after the upgrade that
    /// added search). Cheap when nothing is new.
    pub(crate) async fn index_new_tickets(&self) -> Result<(), StoreError> {
        let upto: i64 = self
            .setting(INDEXED_UPTO)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let rows: Vec<(i64, String, String, String)> = sqlx::query_as(
            "SELECT t.id, t.number, t.subject, c.name FROM tickets t JOIN customers c ON c.id = t.customer_id
             WHERE t.id > ? ORDER BY t.id",
        )
        .bind(upto)
        .fetch_all(&self.pool)
        .await?;
        let Some(last) = rows.last().map(|r| r.0) else {
            return Ok(());
        };
        let mut tx = self.begin_write().await?;
        for (id, number, subject, customer) in &rows {
            index_ticket(&mut tx, *id, number, subject, customer).await?;
        }
        sqlx::query(
            "INSERT INTO settings (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        )
        .bind(INDEXED_UPTO)
        .bind(last.to_string())
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        tracing::info!(tickets = rows.len(), "search index updated");
        Ok(())
    }
}
