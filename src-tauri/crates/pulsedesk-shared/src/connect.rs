//! A member's own connection to the shared database.

use crate::SharedError;
use pulsedesk_core::clock::Clock;
use pulsedesk_core::ids::UserId;
use pulsedesk_core::kinds::Role;
use pulsedesk_core::permissions::Actor;
use serde::{Deserialize, Serialize};
use sqlx::postgres::{PgConnectOptions, PgPool, PgPoolOptions, PgSslMode};
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

/// Where the team's database is.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Server {
    pub host: String,
    pub port: u16,
    pub database: String,
}

impl Server {
    /// Whether `host` is this machine (TLS is then optional; anywhere else it is required and
    /// the server's certificate is verified against the system's roots and its name).
    pub fn is_local(&self) -> bool {
        self.host == "localhost"
            || self.host.starts_with('/')
            || self
                .host
                .parse::<IpAddr>()
                .map(|ip| ip.is_loopback())
                .unwrap_or(false)
    }

    /// Connection options for `login`.
    pub fn options(&self, login: &str, password: &str) -> PgConnectOptions {
        let ssl = if self.is_local() {
            PgSslMode::Prefer
        } else {
            PgSslMode::VerifyFull
        };
        PgConnectOptions::new()
            .host(&self.host)
            .port(self.port)
            .database(&self.database)
            .username(login)
            .password(password)
            .ssl_mode(ssl)
            .application_name("pulsedesk")
    }
}

/// A member signed in to the shared database: everything runs as their login.
#[derive(Clone)]
pub struct Shared {
    pub(crate) pool: PgPool,
    pub(crate) actor: Actor,
    pub(crate) clock: Arc<dyn Clock>,
}

impl Shared {
    /// Connects as `login` and finds the member behind it.
    pub async fn connect(
        server: &Server,
        login: &str,
        password: &str,
        clock: Arc<dyn Clock>,
    ) -> Result<Shared, SharedError> {
        let pool = PgPoolOptions::new()
            .max_connections(4)
            .acquire_timeout(Duration::from_secs(5))
            .connect_with(server.options(login, password))
            .await?;
        let me: (Option<i64>, Option<String>) = sqlx::query_as("SELECT pd_my_id(), pd_my_role()")
            .fetch_one(&pool)
            .await?;
        let (Some(id), Some(role)) = me else {
            // A login that is not an active member (disabled, or never added by an admin).
            pool.close().await;
            return Err(SharedError::BadLogin);
        };
        let role =
            Role::parse(&role).ok_or_else(|| SharedError::Corrupt(format!("role {role}")))?;
        Ok(Shared {
            pool,
            actor: Actor {
                id: UserId(id),
                role,
            },
            clock,
        })
    }

    /// The signed-in member.
    pub fn actor(&self) -> Actor {
        self.actor
    }

    /// The member's connection pool (reads run through row-level security).
    pub fn pool(&self) -> &PgPool {
        &self.pool
    }

    /// Closes the connections.
    pub async fn close(&self) {
        self.pool.close().await;
    }
}
