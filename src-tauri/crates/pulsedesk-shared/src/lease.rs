//! The team service's leases (migration 0018): the writer's and the assigner's. A lease is
//! a lock on a table in a schema no member may name, held by a connection of its own in an
//! open transaction that writes nothing; it ends with that connection. Members can neither
//! take a lease nor keep the service from taking it.

use crate::{Shared, SharedError};
use sqlx::PgConnection;
use std::time::Duration;

/// Which lease.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LeaseName {
    /// Applies the members' submitted commands.
    Writer,
    /// Assigns the pool.
    Assigner,
}

impl LeaseName {
    fn lock(self) -> &'static str {
        match self {
            LeaseName::Writer => {
                "LOCK TABLE pd_service_locks.writer IN SHARE UPDATE EXCLUSIVE MODE NOWAIT"
            }
            LeaseName::Assigner => {
                "LOCK TABLE pd_service_locks.assigner IN SHARE UPDATE EXCLUSIVE MODE NOWAIT"
            }
        }
    }
}

/// A lease held; dropping it closes its connection and so ends it.
pub struct Lease {
    conn: PgConnection,
}

impl Shared {
    /// Takes `name` if no other connection holds it; `None` while one does.
    pub async fn take_lease(&self, name: LeaseName) -> Result<Option<Lease>, SharedError> {
        // Tried on a pooled connection: a refused try gives it back as it was (a standing-by
        // service tries every poll); only the holder's leaves the pool, as the lease.
        let mut conn = self.pool.acquire().await?;
        sqlx::query("BEGIN").execute(&mut *conn).await?;
        match sqlx::query(name.lock()).execute(&mut *conn).await {
            Ok(_) => Ok(Some(Lease {
                conn: conn.detach(),
            })),
            Err(e) => {
                let refused =
                    matches!(&e, sqlx::Error::Database(d) if d.code().as_deref() == Some("55P03"));
                if sqlx::query("ROLLBACK").execute(&mut *conn).await.is_err() {
                    // Whether it is still in a transaction is unknown: it must not go back.
                    let _ = sqlx::Connection::close(conn.detach()).await;
                }
                if refused {
                    Ok(None)
                } else {
                    Err(e.into())
                }
            }
        }
    }
}

impl Lease {
    /// Whether the lease is still held (false once its connection broke, or the server
    /// restarted).
    pub async fn held(&mut self) -> bool {
        sqlx::query("SELECT 1")
            .execute(&mut self.conn)
            .await
            .is_ok()
    }

    /// Ends the lease at once (another service may take it on its next try).
    pub async fn release(self) {
        let _ =
            tokio::time::timeout(Duration::from_secs(1), sqlx::Connection::close(self.conn)).await;
    }
}
